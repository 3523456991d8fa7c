"""From a fact-check event (``claims.services.fact_check_event``) to deliveries: one per
active endpoint subscribed to it, each with the JSON body partners receive (docs/api.md,
"Webhooks"), and its job."""

from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from webhooks.models import Delivery, Endpoint


def queue_deliveries(sender, claim, event, correction=None, **kwargs):
    """Store a delivery of ``event`` for each endpoint that wants it, and enqueue its job;
    in the write's transaction, so a change and its deliveries are stored together."""
    from webhooks.tasks import deliver

    endpoints = [e for e in Endpoint.objects.filter(active=True) if event in e.events]
    if not endpoints:
        return
    body = payload(claim, event, correction)
    for endpoint in endpoints:
        delivery = Delivery.objects.create(endpoint=endpoint, event=event, payload=body)
        deliver.enqueue(str(delivery.pk))


def _absolute(path):
    return urljoin(settings.SITE_URL, path)


def payload(claim, event, correction=None):
    verdict = claim.verdict
    body = {
        "event": event,
        "occurred_at": timezone.now().isoformat(),
        "claim": {
            "id": claim.pk,
            "url": _absolute(claim.get_absolute_url()),
            "api_url": _absolute(reverse("api:claim-detail", args=[claim.pk])),
            "status": claim.status,
            "quote": claim.quote,
            "summary": claim.summary,
            "claimant": claim.claimant.name,
            "said_on": claim.said_on.isoformat() if claim.said_on else None,
            "verdict": (
                {"label": verdict.label, "slug": verdict.slug, "rating": verdict.rating}
                if verdict
                else None
            ),
            "ruling": claim.ruling,
            "published_at": claim.published_at.isoformat() if claim.published_at else None,
        },
        "correction": None,
    }
    if correction is not None:
        body["correction"] = {
            "kind": correction.kind,
            "note": correction.note,
            "changed": correction.changed,
            "verdict_before": correction.verdict_before.label
            if correction.verdict_before
            else None,
            "verdict_after": correction.verdict_after.label if correction.verdict_after else None,
            "created_at": correction.created_at.isoformat(),
        }
    return body
