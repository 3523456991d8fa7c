"""No draft, and nothing only a draft uses, leaks through any API endpoint or export."""

import pytest

from claims.models import Claim, Counterclaim, StanceLink
from sources.models import Actor

MARKER = "zqxmarker"


@pytest.fixture
def unpublished(make):
    """A published claim, and drafts and a claim in review that touch it and carry MARKER in
    every text they own."""
    public = make.claim()
    for status in (Claim.Status.DRAFT, Claim.Status.IN_REVIEW):
        claimant = make.actor(name=f"{MARKER} {status}", kind=Actor.Kind.PERSON)
        source = make.source(title=f"{MARKER} source", url=f"https://{MARKER}.example/{status}")
        claim = make.claim(
            status=status,
            claimant=claimant,
            source=source,
            quote=f"{MARKER} quote {status}",
            summary=f"{MARKER} summary",
            ruling=f"{MARKER} ruling",
            topics=[make.topic(name=f"{MARKER} topic {status}")],
        )
        claim.stance_links.update(note=f"{MARKER} note")
        claim.stance_links.get().evidence.__class__.objects.filter(
            stance_links__claim=claim
        ).update(excerpt=f"{MARKER} excerpt", location=MARKER)
        # Shared with the public claim: the draft's link to it must not show.
        StanceLink.objects.create(
            claim=claim,
            evidence=public.stance_links.get().evidence,
            stance="supports",
            note=f"{MARKER} shared",
        )
        Counterclaim.objects.create(original=public, response=claim, note=f"{MARKER} counter")
        Counterclaim.objects.create(original=claim, response=public, note=f"{MARKER} counter")
    return public


def public_urls(public):
    evidence = public.stance_links.get().evidence
    yield from [
        "/api/v1/claims/",
        f"/api/v1/claims/{public.pk}/",
        "/api/v1/claims/csv/",
        "/api/v1/claims/claimreview/",
        f"/api/v1/claims/{public.pk}/claimreview/",
        f"/api/v1/claims:search?query={MARKER}",
        "/api/v1/claims:search?reviewPublisherSiteFilter=127.0.0.1",
        f"/api/v1/claims/?q={MARKER}",
        "/api/v1/evidence/",
        f"/api/v1/evidence/{evidence.pk}/",
        "/api/v1/stance-links/",
        "/api/v1/corrections/",
        "/api/v1/counterclaims/",
        "/api/v1/sources/",
        "/api/v1/actors/",
        "/api/v1/topics/",
        "/api/v1/verdicts/",
        "/api/schema/",
    ]


def test_unpublished_rows_appear_nowhere(api_client, unpublished):
    for url in public_urls(unpublished):
        response = api_client.get(url)
        assert response.status_code == 200, url
        assert MARKER not in response.getvalue().decode(), url


def test_unpublished_rows_have_no_detail(api_client, unpublished, editor_api):
    hidden = {
        "claims": Claim.objects.exclude(pk=unpublished.pk),
        "actors": Actor.objects.filter(name__startswith=MARKER),
        "sources": unpublished.__class__.source.field.related_model.objects.filter(
            title__startswith=MARKER
        ),
        "evidence": StanceLink.objects.filter(note=f"{MARKER} note"),
        "stance-links": StanceLink.objects.filter(note__startswith=MARKER),
        "counterclaims": Counterclaim.objects.all(),
    }
    for resource, rows in hidden.items():
        pks = rows.values_list("evidence" if resource == "evidence" else "pk", flat=True)
        assert pks, resource
        for pk in pks:
            url = f"/api/v1/{resource}/{pk}/"
            assert api_client.get(url).status_code == 404, url
            # An editor sees them only when asking for drafts.
            assert editor_api.get(url).status_code == 404, url
            assert editor_api.get(f"{url}?include_drafts=true").status_code == 200, url
    for status in (Claim.Status.DRAFT, Claim.Status.IN_REVIEW):
        topic = f"/api/v1/topics/{MARKER}-topic-{status.replace('_', '-')}/"
        assert api_client.get(topic).status_code == 404
