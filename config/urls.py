from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path
from django.views.decorators.cache import cache_control
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from claims.feeds import ActorClaimsFeed, CorrectionsFeed, LatestClaimsFeed, TopicClaimsFeed
from claims.sitemaps import SITEMAPS
from config.health import healthz

admin.site.site_header = "Counterclaim curation"
admin.site.site_title = "Counterclaim"
admin.site.index_title = "Sources, claims and evidence"

feeds = (
    [
        path("claims/", LatestClaimsFeed(), name="latest"),
        path("topics/<slug:slug>/", TopicClaimsFeed(), name="topic"),
        path("claimants/<slug:slug>/", ActorClaimsFeed(), name="actor"),
        path("corrections/", CorrectionsFeed(), name="corrections"),
    ],
    "feeds",
)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("feeds/", include(feeds)),
    # An index of sections of at most 50,000 URLs each (claims/sitemaps.py).
    path(
        "sitemap.xml",
        cache_control(public=True, max_age=3600)(sitemaps.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cache_control(public=True, max_age=3600)(sitemaps.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("api/v1/", include("claims.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("", include("claims.urls")),
]
if settings.BENCH:
    urlpatterns.insert(0, path("bench/", include("config.bench")))
