"""/sitemap.xml is an index of sections of at most ``Sitemap.limit`` URLs, paged by ranges of
ids (claims.sitemaps): every public page is in exactly one section, drafts in none."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.contrib.sitemaps import Sitemap
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim
from claims.sitemaps import IdRangeSitemap

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def read(client, url):
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content)


def index(client):
    """(section URL, lastmod) of each entry of the index."""
    root = read(client, reverse("sitemap"))
    assert root.tag == f"{NS}sitemapindex"
    return [
        (entry.find(f"{NS}loc").text, entry.find(f"{NS}lastmod").text)
        for entry in root.iter(f"{NS}sitemap")
    ]


@pytest.fixture
def small_sections(monkeypatch):
    assert IdRangeSitemap.limit <= Sitemap.limit == 50_000  # the protocol's bound
    monkeypatch.setattr(IdRangeSitemap, "limit", 3)


def test_every_published_claim_is_in_exactly_one_section(client, make, small_sections):
    public = [make.claim() for _ in range(7)] + [make.claim(status=Claim.Status.RETRACTED)]
    drafts = [
        make.claim(status=status)
        for status in (Claim.Status.DRAFT, Claim.Status.IN_REVIEW, Claim.Status.DRAFT)
    ]
    make.claim()  # a public claim after the drafts: its range comes after theirs
    public.append(Claim.objects.latest("pk"))
    entries = index(client)
    assert all(lastmod for _, lastmod in entries)
    claim_sections = [url for url, _ in entries if "/sitemap-claims.xml" in url]
    last_id = Claim.objects.published().latest("pk").pk
    assert len(claim_sections) == -(-last_id // 3)  # ranges of 3 ids up to the last

    found = []
    for url in claim_sections:
        urls = list(read(client, url).iter(f"{NS}url"))
        assert len(urls) <= 3
        for entry in urls:
            found.append(entry.find(f"{NS}loc").text)
            assert entry.find(f"{NS}lastmod").text
    expected = [f"http://testserver{claim.get_absolute_url()}" for claim in public]
    assert sorted(found) == sorted(expected)  # each once: no repeats, none missing
    for draft in drafts:
        assert not any(f"/claims/{draft.pk}/" in url for url in found)


def test_every_public_page_is_listed_and_answers(client, make):
    claim = make.claim(topics=[make.topic()])
    make.claim(status=Claim.Status.DRAFT)
    urls = set()
    for section, _ in index(client):
        urls |= {loc.text for loc in read(client, section).iter(f"{NS}loc")}
    source = claim.source
    for path in (
        claim.get_absolute_url(),
        reverse("claims:actor", args=[claim.claimant.slug]),
        reverse("claims:topic", args=[claim.topics.get().slug]),
        reverse("claims:source", args=[source.pk, source.slug]),
        reverse("claims:open-data"),
    ):
        assert f"http://testserver{path}" in urls
    for url in urls:
        assert client.get(url.removeprefix("http://testserver")).status_code == 200, url


def test_a_section_page_past_the_end_is_not_found(client, make):
    claim = make.claim()
    # Past the range of the newest id (on PostgreSQL, ids go on from where earlier tests left
    # their sequences, so page 2 may well be a range of drafts and others' rollbacks).
    past = claim.pk // IdRangeSitemap.limit + 2
    url = reverse("sitemap-section", args=["claims"])
    assert client.get(url, {"p": past - 1}).status_code == 200
    assert client.get(url, {"p": past}).status_code == 404
    assert client.get(reverse("sitemap-section", args=["claims"]), {"p": "x"}).status_code == 404
    assert client.get(reverse("sitemap-section", args=["nothing"])).status_code == 404


def test_sections_neither_count_nor_offset(client, make, small_sections, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    for _ in range(7):
        make.claim()
    with CaptureQueriesContext(connection) as queries:
        index(client)
        read(client, reverse("sitemap-section", args=["claims"]) + "?p=2")
    sql = " ".join(query["sql"].upper() for query in queries.captured_queries)
    assert "COUNT(" not in sql and "OFFSET" not in sql


def test_the_index_is_served_from_the_public_cache(client, make, settings):
    settings.PUBLIC_CACHE_SECONDS = 300
    make.claim()
    assert client.get(reverse("sitemap"))["X-Cache"] == "miss"
    assert client.get(reverse("sitemap"))["X-Cache"] == "hit"
    section = reverse("sitemap-section", args=["claims"])
    assert client.get(section)["X-Cache"] == "miss"
    assert client.get(section)["X-Cache"] == "hit"
    make.claim()  # a write retires both
    assert client.get(reverse("sitemap"))["X-Cache"] == "miss"


def test_robots_txt_points_at_the_index(client):
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content.decode()


def test_each_page_of_claims_has_its_own_lastmod(client, make, small_sections):
    """A crawler re-reads only the pages whose claims changed."""
    claims = [make.claim() for _ in range(6)]
    Claim.objects.update(updated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    edited = claims[-1]
    Claim.objects.filter(pk=edited.pk).update(updated_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    holding = {(claim.pk - 1) // 3 + 1 for claim in claims}
    edited_page = (edited.pk - 1) // 3 + 1
    seen = set()
    for url, lastmod in index(client):
        if "/sitemap-claims.xml" not in url:
            continue
        page = int(url.partition("?p=")[2] or 1)
        if page in holding:
            seen.add(page)
            assert lastmod[:10] == ("2026-03-01" if page == edited_page else "2026-01-01")
    assert seen == holding and len(holding) >= 2
