"""ClaimReview JSON-LD and CSV exports, and the one place ClaimReview is built."""

import csv
import datetime as dt
import io
import json

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request

from claims.api import exports
from claims.api.filters import ClaimFilter
from claims.api.renderers import CSVRenderer
from claims.api.serializers import ClaimCSVSerializer
from claims.api.views import ClaimViewSet
from claims.claimreview import claim_review, reviewable
from claims.models import Claim, StanceLink
from sources.models import Actor


@pytest.fixture
def reviewed(make):
    person = make.actor(
        name="A spokesperson", kind=Actor.Kind.PERSON, same_as=["https://example.org/person"]
    )
    source = make.source(
        title="The letter",
        url="https://example.org/letter",
        published_on=dt.date(2025, 4, 30),
        publisher=make.actor(name="An agency"),
    )
    return make.claim(claimant=person, source=source, said_on=dt.date(2025, 5, 1))


def test_claim_review_follows_schema_org(rf, reviewed, settings):
    settings.SITE_NAME, settings.SITE_URL = "Fact desk", "https://facts.example.org"
    settings.ALLOWED_HOSTS = ["facts.example.org"]
    review = claim_review(reviewed, rf.get("/", HTTP_HOST="facts.example.org"))

    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["url"] == f"http://facts.example.org{reviewed.get_absolute_url()}"
    assert review["claimReviewed"] == reviewed.quote
    assert review["datePublished"] == reviewed.published_at.date().isoformat()
    assert review["author"] == {
        "@type": "Organization",
        "name": "Fact desk",
        "url": "http://facts.example.org/",  # the request's address, as ``url`` (config/site.py)
    }
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "False",
    }
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {
        "@type": "Person",
        "name": "A spokesperson",
        "sameAs": ["https://example.org/person"],
    }
    assert item["datePublished"] == "2025-05-01"
    assert item["appearance"][0]["url"] == "https://example.org/letter"
    assert item["appearance"][0]["publisher"]["@type"] == "Organization"


def test_claim_review_without_request_uses_site_url_and_leaves_unknowns_out(make, settings):
    settings.SITE_URL = "https://facts.example.org/"
    claim = make.claim()  # no date said, source without URL
    review = claim_review(claim)
    assert review["url"] == f"https://facts.example.org{claim.get_absolute_url()}"
    assert "datePublished" not in review["itemReviewed"]
    assert "appearance" not in review["itemReviewed"]
    assert review["itemReviewed"]["author"]["@type"] == "Organization"


def test_claimreview_endpoints_serve_json_ld(api_client, reviewed, make):
    retracted = make.claim(status=Claim.Status.RETRACTED)
    one = api_client.get(f"/api/v1/claims/{reviewed.pk}/claimreview/")
    assert one.status_code == 200
    assert one["Content-Type"] == "application/ld+json"
    assert json.loads(one.content) == claim_review(reviewed, one.wsgi_request)

    listed = api_client.get("/api/v1/claims/claimreview/")
    assert listed["Content-Type"] == "application/ld+json"
    assert [r["claimReviewed"] for r in json.loads(listed.getvalue())] == [reviewed.quote]
    # A retracted fact check keeps its page but is no rating to republish.
    assert api_client.get(f"/api/v1/claims/{retracted.pk}/claimreview/").status_code == 404


def test_claimreview_list_takes_the_claim_filters(api_client, reviewed, make):
    other = make.claim()
    url = f"/api/v1/claims/claimreview/?claimant={reviewed.claimant_id}"
    assert [r["claimReviewed"] for r in json.loads(api_client.get(url).getvalue())] == [
        reviewed.quote
    ]
    url = f"/api/v1/claims/claimreview/?q={other.quote.split()[-1]}"
    assert [r["claimReviewed"] for r in json.loads(api_client.get(url).getvalue())] == [other.quote]
    assert api_client.get("/api/v1/claims/claimreview/?said_after=nope").status_code == 400


def read_csv(response):
    assert response.status_code == 200, response.getvalue()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.getvalue().decode())))


def test_csv_has_one_row_per_claim_with_evidence_summarised(api_client, reviewed, make):
    topic = make.topic(name="Detention")
    reviewed.topics.add(topic)
    shared = make.source(title="Inspector's report")
    for stance in ("context", "supports"):
        StanceLink.objects.create(
            claim=reviewed, evidence=make.evidence(source=shared), stance=stance, position=9
        )
    make.claim()

    rows = read_csv(api_client.get(f"/api/v1/claims/csv/?claimant={reviewed.claimant_id}"))

    assert len(rows) == 1
    row = rows[0]
    assert row["id"] == str(reviewed.pk)
    assert row["quote"] == reviewed.quote
    assert row["claimant"] == "A spokesperson"
    assert row["claimant_kind"] == "person"
    assert row["said_on"] == "2025-05-01"
    assert row["source_title"] == "The letter"
    assert row["source_url"] == "https://example.org/letter"
    assert row["verdict"] == "False"
    assert row["rating"] == "1"
    assert row["topics"] == "Detention"
    assert (row["refutes"], row["context"], row["supports"]) == ("1", "1", "1")
    assert row["evidence_sources"].endswith("; Inspector's report")
    assert row["page_url"].endswith(reviewed.get_absolute_url())


def test_csv_of_nothing_still_has_its_header(api_client, db):
    response = api_client.get("/api/v1/claims/csv/")
    assert response.getvalue().decode().splitlines()[0].startswith("id,page_url,quote,summary")


def test_csv_defuses_spreadsheet_formulas(api_client, make):
    make.claim(quote='=HYPERLINK("http://evil.example","click")', summary="+1 and more")
    row = read_csv(api_client.get("/api/v1/claims/csv/"))[0]
    assert row["quote"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["summary"] == "'+1 and more"


def test_csv_errors_are_field_rows(api_client, db):
    response = api_client.get("/api/v1/claims/csv/?said_after=not-a-date")
    assert response.status_code == 400
    assert response.content.decode().splitlines()[:2] == [
        "field,error",
        "said_after,“not-a-date” is not a date: write it as YYYY-MM-DD (ISO 8601).",
    ]


# Streaming: the whole filtered list, in batches, never held in memory or in the cache.


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(exports, "BATCH_SIZE", 2)
    monkeypatch.setattr(exports.in_batches, "__defaults__", (2,))


@pytest.fixture
def archive(make):
    """Seven public claims on two topics, a retracted one, and drafts."""
    topic, other = make.topic(name="Ports"), make.topic(name="Prisons")
    claims = [make.claim(topics=[topic if n % 2 else other]) for n in range(7)]
    make.claim(status=Claim.Status.RETRACTED, topics=[topic])
    for status in (Claim.Status.DRAFT, Claim.Status.IN_REVIEW):
        make.claim(status=status, quote=f"Unpublished words {status}.", topics=[topic])
    return {"topic": topic, "claims": claims}


EXPORT_FILTERS = [{}, {"topic": "ports"}, {"said_after": "2000-01-01"}, {"q": "words"}]


def unstreamed(request, url, params):
    """What the export would be as one response: the same filter set, serializer and
    renderer, rows in id order, rendered whole."""
    view = ClaimViewSet(request=request, format_kwarg=None, action="csv")
    view.action = "csv" if url.endswith("csv/") else "claimreview_list"
    query = reviewable(Claim.objects) if view.action != "csv" else Claim.objects.published()
    claims = ClaimFilter(params, queryset=query.with_related()).qs.order_by("pk")
    context = {"request": request, "view": view}
    if view.action == "csv":
        data = ClaimCSVSerializer(claims, many=True, context=context).data
        return CSVRenderer().render(data, renderer_context={"view": view})
    return JSONRenderer().render([claim_review(claim, request) for claim in claims])


@pytest.mark.parametrize("url", ["/api/v1/claims/csv/", "/api/v1/claims/claimreview/"])
@pytest.mark.parametrize("params", EXPORT_FILTERS)
def test_a_streamed_export_is_the_whole_list_rendered_at_once(
    api_client, archive, small_batches, url, params
):
    response = api_client.get(url, params)
    assert response.status_code == 200 and response.streaming
    body = response.getvalue()
    assert body == unstreamed(Request(response.wsgi_request), url, params)
    assert b"Unpublished words" not in body
    if "claimreview" in url:
        reviews = json.loads(body)
        assert len(reviews) == len(reviewable(ClaimFilter(params, Claim.objects.all()).qs))


@pytest.mark.parametrize("url", ["/api/v1/claims/csv/", "/api/v1/claims/claimreview/"])
def test_a_streamed_export_never_enters_the_public_cache(api_client, archive, settings, url):
    settings.PUBLIC_CACHE_SECONDS = 300
    for _ in range(2):  # the second would be a hit had the first been kept
        response = api_client.get(url)
        assert isinstance(response, StreamingHttpResponse) and response["X-Cache"] == "miss"
        response.getvalue()
    assert api_client.get("/api/v1/claims/")["X-Cache"] == "miss"
    assert api_client.get("/api/v1/claims/")["X-Cache"] == "hit"  # the cache was on


def test_an_empty_claimreview_export_is_an_empty_array(api_client, db):
    assert api_client.get("/api/v1/claims/claimreview/").getvalue() == b"[]"


def test_batches_are_read_by_keyset_not_offset(archive, small_batches):
    with CaptureQueriesContext(connection) as queries:
        batches = list(exports.in_batches(Claim.objects.published()))
    assert [len(batch) for batch in batches] == [2, 2, 2, 2]  # 8 public claims
    selects = [q["sql"] for q in queries.captured_queries]
    # The last batch was full, so one more query finds nothing after it.
    assert len(selects) == 5 and not any("OFFSET" in sql for sql in selects)
    assert all(" LIMIT 2" in sql for sql in selects)
