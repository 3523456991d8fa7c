from django.urls import path
from rest_framework.routers import DefaultRouter

from claims.api import views
from claims.api.factcheck import FactCheckSearchView
from claims.api.match import ClaimMatchView
from reader_requests.api import CheckRequestViewSet
from tokens.api import ApiTokenViewSet
from webhooks.api import EndpointViewSet

app_name = "api"

router = DefaultRouter()
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("evidence", views.EvidenceViewSet, basename="evidence")
router.register("stance-links", views.StanceLinkViewSet, basename="stancelink")
router.register("counterclaims", views.CounterclaimViewSet, basename="counterclaim")
router.register("sources", views.SourceViewSet, basename="source")
router.register("actors", views.ActorViewSet, basename="actor")
router.register("topics", views.TopicViewSet, basename="topic")
router.register("verdicts", views.VerdictViewSet, basename="verdict")
router.register("corrections", views.CorrectionViewSet, basename="correction")
router.register("tokens", ApiTokenViewSet, basename="token")
router.register("requests", CheckRequestViewSet, basename="checkrequest")
router.register("webhooks", EndpointViewSet, basename="webhook")

urlpatterns = [
    # The colon is a literal in the path, as in Google's API.
    path("claims:search", FactCheckSearchView.as_view(), name="claims-search"),
    path("claims:match", ClaimMatchView.as_view(), name="claims-match"),
    *router.urls,
]
