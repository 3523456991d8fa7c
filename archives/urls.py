from django.urls import path

from archives import views

app_name = "archives"

# Stable addresses: a snapshot's id never changes and its file is never replaced.
urlpatterns = [
    path("<int:pk>/", views.snapshot, name="snapshot"),
    path("<int:pk>/page/", views.page, name="page"),
    path("<int:pk>/warc/", views.warc, name="warc"),
]
