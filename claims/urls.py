from django.urls import path

from claims import views

app_name = "claims"

urlpatterns = [
    path("", views.home, name="home"),
    path("claims/<int:pk>/", views.claim_detail, name="detail-no-slug"),
    path("claims/<int:pk>/<slug:slug>/", views.claim_detail, name="detail"),
]
