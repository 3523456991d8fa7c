from django.urls import path

from trust import views
from trust.models import Page

app_name = "trust"

urlpatterns = [
    *(path(f"{kind}/", views.page, {"kind": kind}, name=kind) for kind in Page.Kind.values),
    path("team/<slug:slug>/", views.profile, name="profile"),
]
