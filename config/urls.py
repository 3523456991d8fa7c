from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.decorators.cache import cache_control
from django.views.generic import RedirectView, TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from claims.feeds import (
    ActorClaimsFeed,
    CorrectionsFeed,
    LanguageClaimsFeed,
    LatestClaimsFeed,
    TopicClaimsFeed,
    VerdictClaimsFeed,
)
from claims.sitemaps import SITEMAPS
from claims.sitemaps import index as sitemap_index
from config.health import healthz

feeds = (
    [
        path("claims/", LatestClaimsFeed(), name="latest"),
        path("topics/<slug:slug>/", TopicClaimsFeed(), name="topic"),
        path("claimants/<slug:slug>/", ActorClaimsFeed(), name="actor"),
        path("corrections/", CorrectionsFeed(), name="corrections"),
        path("verdict/<slug:slug>/", VerdictClaimsFeed(), name="verdict"),
        path("language/<str:code>/", LanguageClaimsFeed(), name="language"),
    ],
    "feeds",
)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("account/", include("accounts.urls")),
    path("feeds/", include(feeds)),
    # An index of sections of at most 50,000 URLs each (claims/sitemaps.py).
    path(
        "sitemap.xml",
        cache_control(public=True, max_age=3600)(sitemap_index),
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
    # Browsers and crawlers ask for /favicon.ico whatever the page links to. Its address is
    # looked up on each request (lazy): the manifest of hashed names may not exist at import.
    path(
        "favicon.ico",
        cache_control(public=True, max_age=86400)(
            RedirectView.as_view(url=lazy(static, str)("favicon.svg"), permanent=True)
        ),
    ),
    path("archive/", include("archives.urls")),
    path("api/v1/", include("claims.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's set-up script from its own URL (?script), not inline,
    # so the Content-Security-Policy needs no exception for it.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api_docs.html"),
        name="api-docs",
    ),
    path("", include("reader_requests.urls")),
    path("", include("trust.urls")),
    path("", include("embeds.urls")),
    path("", include("claims.urls")),
]
if settings.BENCH:
    urlpatterns.insert(0, path("bench/", include("config.bench")))

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
