"""No draft and no claim in review reaches the public, by any path: a crawler follows every
link of the public site from the home page, plus the feeds, the sitemap and direct URLs."""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import reverse

from claims.models import Claim, Evidence, StanceLink

pytestmark = pytest.mark.django_db

MARKER = "zq7leakmarker"


@pytest.fixture
def unpublished(make):
    """Published claims to crawl through, and unpublished ones that must stay hidden, each
    with a claimant, a source, a topic and evidence that only they use."""
    public_topic = make.topic(name="Public topic")
    for _ in range(3):
        make.claim(topics=[public_topic])
    hidden = []
    for status in (Claim.Status.DRAFT, Claim.Status.IN_REVIEW):
        claim = make.claim(
            status=status,
            quote=f"{MARKER} quote {status}",
            summary=f"{MARKER} summary {status}",
            claimant=make.actor(name=f"{MARKER} claimant {status}"),
            source=make.source(title=f"{MARKER} source {status}"),
            topics=[make.topic(name=f"{MARKER} topic {status}"), public_topic],
            evidence=0,
        )
        StanceLink.objects.create(
            claim=claim,
            evidence=Evidence.objects.create(
                excerpt=f"{MARKER} evidence", source=make.source(title=f"{MARKER} ev source")
            ),
            stance="refutes",
        )
        hidden.append(claim)
    return hidden


def links(html, base):
    for href in re.findall(r'(?:href|src)="([^"#]*)', html):
        url = urlsplit(urljoin(base, href.replace("&amp;", "&")))
        internal = url.netloc in ("", "testserver") and url.path.startswith("/")
        if internal and not url.path.startswith(("/admin/", "/static/")):
            yield url.path + (f"?{url.query}" if url.query else "")


def test_crawling_the_public_site_never_shows_an_unpublished_claim(client, unpublished):
    start = [
        "/",
        reverse("claims:list"),
        reverse("feeds:latest"),
        "/sitemap.xml",
        "/robots.txt",
    ]
    seen, queue = set(start), deque(start)
    while queue:
        url = queue.popleft()
        response = client.get(url)
        assert response.status_code in (200, 301, 302), url
        body = response.content.decode()
        assert MARKER not in body, url
        if response.status_code == 200:
            found = set(links(body, url))
            found |= {urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", body)}
            for link in found - seen:
                seen.add(link)
                queue.append(link)
    assert len(seen) > 20  # the crawl really walked the site


def test_direct_urls_of_unpublished_rows_are_not_found(client, unpublished):
    for claim in unpublished:
        topic = claim.topics.get(name__startswith=MARKER)
        evidence_source = claim.evidence.get().source
        for url in (
            claim.get_absolute_url(),
            reverse("claims:actor", args=[claim.claimant.slug]),
            reverse("claims:source", args=[claim.source.pk, claim.source.slug]),
            reverse("claims:source", args=[evidence_source.pk, evidence_source.slug]),
            reverse("claims:topic", args=[topic.slug]),
            reverse("feeds:topic", args=[topic.slug]),
            reverse("feeds:actor", args=[claim.claimant.slug]),
        ):
            response = client.get(url)
            assert response.status_code == 404, url
            assert MARKER not in response.content.decode(), url


def test_filters_by_unpublished_rows_show_nothing(client, unpublished):
    claim = unpublished[0]
    for params in (
        {"q": MARKER},
        {"claimant": claim.claimant.slug},
        {"source": claim.source.pk},
        {"topic": claim.topics.get(name__startswith=MARKER).slug},
    ):
        body = client.get(reverse("claims:list"), params).content.decode()
        assert MARKER not in body.replace(f"“{MARKER}”", "").replace(f'value="{MARKER}"', "")


def test_a_retracted_claim_appears_only_with_its_notice(client, make):
    claim = make.claim(summary=f"{MARKER} retracted summary", status=Claim.Status.RETRACTED)
    notice = "We could not verify the quote."
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "This fact check has been retracted" in page and notice in page
    listing = client.get(reverse("claims:list")).content.decode()
    card = listing[listing.index(claim.summary) :]
    assert card.index('class="badge-retracted">Retracted<') < card.index("</article>")
    assert notice in client.get(reverse("claims:corrections")).content.decode()
    data = client.get(f"/api/v1/claims/{claim.pk}/").json()
    assert (data["status"], data["retraction_note"]) == ("retracted", notice)
    assert data["corrections"][0]["kind"] == "retraction"
    # No ClaimReview is republished for a withdrawn fact check.
    assert client.get(f"/api/v1/claims/{claim.pk}/claimreview/").status_code == 404
    assert MARKER not in client.get("/api/v1/claims/claimreview/").content.decode()
    assert MARKER not in client.get(f"/api/v1/claims:search?query={MARKER}").content.decode()
