from django.urls import path

from embeds import views

app_name = "embeds"

urlpatterns = [
    path("embed/claims/<int:pk>/", views.claim_card, name="claim-card"),
    path("oembed", views.oembed, name="oembed"),
]
