from django.urls import path

from claims import open_data, views

app_name = "claims"

urlpatterns = [
    path("", views.home, name="home"),
    path("claims/", views.claim_list, name="list"),
    path("claims/<int:pk>/", views.claim_detail, name="detail-no-slug"),
    path("claims/<int:pk>/<str:slug>/", views.claim_detail, name="detail"),
    path("corrections/", views.corrections, name="corrections"),
    path("preview/claims/<int:pk>/", views.claim_preview, name="preview"),
    path("claimants/<slug:slug>/", views.actor_detail, name="actor"),
    path("sources/<int:pk>/", views.source_detail, name="source-no-slug"),
    path("sources/<int:pk>/<str:slug>/", views.source_detail, name="source"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("check-text/", views.check_text, name="check-text"),
    path("data/", open_data.open_data_page, name="open-data"),
    path("data/<str:name>", open_data.open_data_file, name="open-data-file"),
]
