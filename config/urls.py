from django.contrib import admin
from django.urls import include, path

from config.health import healthz

admin.site.site_header = "Counterclaim curation"
admin.site.site_title = "Counterclaim"
admin.site.index_title = "Sources, claims and evidence"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("", include("claims.urls")),
]
