"""Reading claims through the API: the JSON shape, every filter, ordering, pagination, and a
query count that does not grow with the page."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.models import Claim, ClaimQuerySet, Counterclaim, StanceLink, Topic, Verdict
from sources.models import Actor

LIST = "/api/v1/claims/"
SEARCH = "/api/v1/claims:search?query=detention"


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_claim_json_has_every_documented_field(api_client, make):
    person = make.actor(
        name="A spokesperson", kind=Actor.Kind.PERSON, same_as=["https://example.org/p"]
    )
    publisher = make.actor(name="A newspaper")
    source = make.source(
        title="The article",
        url="https://example.org/article",
        publisher=publisher,
        published_on=dt.date(2025, 5, 2),
    )
    topic = make.topic(name="Detention")
    claim = make.claim(
        claimant=person,
        source=source,
        said_on=dt.date(2025, 5, 1),
        topics=[topic],
        evidence=0,
        status=Claim.Status.IN_REVIEW,
    )
    second, first = make.evidence(), make.evidence(author=publisher, location="p. 3")
    StanceLink.objects.create(claim=claim, evidence=second, stance="context", position=2)
    StanceLink.objects.create(claim=claim, evidence=first, stance="refutes", note="Why", position=1)
    claim.publish()

    data = api_client.get(f"{LIST}{claim.pk}/").json()

    assert data["id"] == claim.pk
    assert data["url"] == f"http://testserver/api/v1/claims/{claim.pk}/"
    assert data["page_url"] == f"http://testserver{claim.get_absolute_url()}"
    assert data["quote"] == claim.quote
    assert data["summary"] == claim.summary
    assert data["claimant"] == {
        "id": person.pk,
        "name": "A spokesperson",
        "kind": "person",
        "same_as": ["https://example.org/p"],
    }
    assert data["source"] == {
        "id": source.pk,
        "title": "The article",
        "label": "The article",
        "kind": "news_article",
        "url": "https://example.org/article",
        "publisher": {
            "id": publisher.pk,
            "name": "A newspaper",
            "kind": "organization",
            "same_as": [],
        },
        "published_on": "2025-05-02",
    }
    assert data["said_on"] == "2025-05-01"
    assert data["verdict"] == {"label": "False", "slug": "false", "rating": 1}
    assert data["ruling"] == claim.ruling
    assert data["topics"] == [{"slug": topic.slug, "name": "Detention"}]
    assert [(e["id"], e["stance"], e["note"]) for e in data["evidence"]] == [
        (first.pk, "refutes", "Why"),
        (second.pk, "context", ""),
    ]
    assert data["evidence"][0]["excerpt"] == first.excerpt
    assert data["evidence"][0]["location"] == "p. 3"
    assert data["evidence"][0]["source"]["id"] == first.source_id
    assert data["evidence"][0]["author"]["name"] == "A newspaper"
    assert data["counterclaims"] == {"answers": [], "answered_by": []}
    assert data["corrections"] == []
    assert data["status"] == "published"
    assert data["published_at"] == claim.published_at.isoformat().replace("+00:00", "Z")
    assert data["updated_at"]


def test_counterclaims_show_both_ends_but_only_public_claims(api_client, make):
    original, response, draft = make.claim(), make.claim(), make.claim(status="draft")
    Counterclaim.objects.create(original=original, response=response, note="Answers it")
    Counterclaim.objects.create(original=original, response=draft)

    answered = api_client.get(f"{LIST}{original.pk}/").json()["counterclaims"]
    answering = api_client.get(f"{LIST}{response.pk}/").json()["counterclaims"]

    assert [c["id"] for c in answered["answered_by"]] == [response.pk]
    assert answered["answered_by"][0]["note"] == "Answers it"
    assert answered["answered_by"][0]["claimant"] == response.claimant.name
    assert answered["answers"] == []
    assert [c["id"] for c in answering["answers"]] == [original.pk]


@pytest.fixture
def catalogue(make):
    """Claims that differ in every filtered attribute."""
    agency = make.actor(name="An agency")
    person = make.actor(name="A spokesperson", kind=Actor.Kind.PERSON)
    detention, budget = make.topic(name="Detention"), make.topic(name="Budget")
    source = make.source()
    old = make.claim(
        claimant=agency,
        topics=[detention],
        said_on=dt.date(2024, 1, 10),
        quote="Our facilities beat most local jails.",
    )
    new = make.claim(
        claimant=person,
        topics=[budget],
        source=source,
        said_on=dt.date(2025, 3, 1),
        verdict=Verdict.objects.get(slug="true"),
        evidence=0,
        status="in_review",
    )
    StanceLink.objects.create(claim=new, evidence=make.evidence(), stance="supports")
    new.publish()
    undated = make.claim(claimant=agency, topics=[detention, budget])
    Claim.objects.filter(pk=old.pk).update(
        published_at=timezone.make_aware(dt.datetime(2024, 2, 1, 12)),
        updated_at=timezone.make_aware(dt.datetime(2024, 2, 1, 12)),
    )
    return {"old": old.pk, "new": new.pk, "undated": undated.pk, "agency": agency, "source": source}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("claimant={agency}", ["undated", "old"]),
        ("claimant=an-agency", ["undated", "old"]),
        ("claimant_kind=person", ["new"]),
        ("topic=detention", ["undated", "old"]),
        ("topic=budget", ["undated", "new"]),
        ("topic={budget}", ["undated", "new"]),
        ("verdict=true", ["new"]),
        ("verdict={true}", ["new"]),
        ("verdict=false", ["undated", "old"]),
        ("source={source}", ["new"]),
        ("source={source_slug}", ["new"]),
        ("stance=supports", ["new"]),
        ("stance=refutes", ["undated", "old"]),
        ("stance=context", []),
        ("said_after=2025-01-01", ["new"]),
        ("said_before=2024-01-10", ["old"]),
        ("said_after=2024-01-10&said_before=2025-03-01", ["new", "old"]),
        ("published_before=2024-02-01", ["old"]),
        ("published_after=2024-02-02", ["undated", "new"]),
        ("updated_since=2025-01-01T00:00:00Z", ["undated", "new"]),
        ("q=LOCAL jails", ["old"]),
        ("q=spokesperson", ["new"]),
        ("q=jails nowhere", []),
        # Undated claims last in either direction, on every database.
        ("ordering=said_on", ["old", "new", "undated"]),
        ("ordering=-said_on", ["new", "old", "undated"]),
        ("ordering=-said_on&said_after=2000-01-01", ["new", "old"]),
        # The public list's former names still work.
        ("said_from=2025-01-01", ["new"]),
        ("said_to=2024-01-10", ["old"]),
        ("ordering=published_at", ["old", "new", "undated"]),
        ("", ["undated", "new", "old"]),
    ],
)
def test_every_filter(api_client, catalogue, query, expected):
    query = query.format(
        agency=catalogue["agency"].pk,
        source=catalogue["source"].pk,
        source_slug=catalogue["source"].slug,
        budget=Topic.objects.get(slug="budget").pk,
        true=Verdict.objects.get(slug="true").pk,
    )
    query = query.replace(" ", "+")
    got = ids(api_client.get(f"{LIST}?{query}"))
    assert got == [catalogue[name] for name in expected]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("claimant=nobody", "claimant", "“nobody” is not the slug or id of a known claimant."),
        ("claimant=999999", "claimant", "“999999” is not the slug or id of a known claimant."),
        ("source=no-such-source", "source", "“no-such-source” is not the slug or id of a known"),
        (
            "topic=no-such-topic",
            "topic",
            "“no-such-topic” is not the slug or id of a known "
            "topic; use one of: budget, detention.",
        ),
        (
            "verdict=bogus",
            "verdict",
            "“bogus” is not the slug or id of a known verdict; use one "
            "of: false, mostly-false, mixed, mostly-true, true.",
        ),
        (
            "claimant_kind=robot",
            "claimant_kind",
            "“robot” is not one of the allowed values: person, group, organization.",
        ),
        (
            "stance=maybe",
            "stance",
            "“maybe” is not one of the allowed values: refutes, context, supports.",
        ),
        (
            "ordering=quote",
            "ordering",
            "“quote” is not one of the allowed values: said_on, "
            "-said_on, published_at, -published_at, updated_at, -updated_at, id, -id.",
        ),
        (
            "said_after=12/03/2025",
            "said_after",
            "“12/03/2025” is not a date: write it as YYYY-MM-DD (ISO 8601).",
        ),
        ("said_before=2025-3-1x", "said_before", "“2025-3-1x” is not a date"),
        # Quoted as a parameter, never read as a format string.
        ("claimant=%25s", "claimant", "“%s” is not the slug or id of a known claimant."),
        ("claimant=%C2%B2", "claimant", "“²” is not the slug or id of a known claimant."),
        ("said_after=%25(x)s", "said_after", "“%(x)s” is not a date"),
        ("stance=%25d", "stance", "“%d” is not one of the allowed values"),
        ("published_after=03.12.2025", "published_after", "“03.12.2025” is not a date"),
    ],
)
def test_unknown_values_are_a_400_that_names_them(api_client, catalogue, query, field, message):
    for path in (LIST, f"{LIST}claimreview/"):
        response = api_client.get(f"{path}?{query}")
        assert response.status_code == 400, response.content
        assert list(response.json()) == [field]
        assert response.json()[field][0].startswith(message)


def test_a_drafts_claimant_is_as_unknown_as_nobody(api_client, make):
    hidden = make.claim(status=Claim.Status.DRAFT).claimant
    for value in (hidden.pk, hidden.slug):
        response = api_client.get(f"{LIST}?claimant={value}")
        assert response.status_code == 400
        assert response.json()["claimant"] == [
            f"“{value}” is not the slug or id of a known claimant."
        ]


def test_search_goes_through_the_model_search(api_client, catalogue, monkeypatch):
    """The API does not have a search of its own: improving ``Claim.objects.search`` improves
    the API too."""
    calls = []
    original = ClaimQuerySet.search

    def spy(self, query):
        calls.append(query)
        return original(self, query)

    monkeypatch.setattr(ClaimQuerySet, "search", spy)
    api_client.get(f"{LIST}?q=jails")
    assert calls == ["jails"]


def test_pagination_counts_and_links(api_client, make, settings):
    settings.API_MAX_PAGE_SIZE = 3
    for _ in range(5):
        make.claim(evidence=0, status="draft").save()
    for _ in range(4):
        make.claim()
    first = api_client.get(f"{LIST}?page_size=2").json()
    assert first["count"] == 4
    assert len(first["results"]) == 2
    assert first["previous"] is None
    second = api_client.get(first["next"]).json()
    assert second["next"] is None
    assert second["previous"]
    assert {r["id"] for r in first["results"]} | {r["id"] for r in second["results"]} == set(
        Claim.objects.published().values_list("pk", flat=True)
    )


@pytest.mark.parametrize("value", ["1000", "0", "-1", "abc", "2.5"])
def test_one_page_size_rule_for_lists_and_claims_search(api_client, make, settings, value):
    """A page larger than API_MAX_PAGE_SIZE (or no size at all) is a 400 that says why, on
    the lists and on claims:search alike; never a smaller page than asked for."""
    settings.API_MAX_PAGE_SIZE = 3
    make.claim(quote="Detention words.")
    for url, name in ((f"{LIST}?page_size=", "page_size"), (f"{SEARCH}&pageSize=", "pageSize")):
        response = api_client.get(url + value)
        assert response.status_code == 400, (url, response.content)
        assert list(response.json()) == [name]
        if value == "1000":
            assert response.json()[name][0].startswith("At most 3 results a page")
    for url in (f"{LIST}?page_size=3", f"{SEARCH}&pageSize=3"):
        assert api_client.get(url).status_code == 200


def test_ordering_ties_are_broken_by_id_so_pages_do_not_overlap(api_client, make):
    for _ in range(6):
        make.claim(said_on=dt.date(2025, 1, 1))
    pages = [
        ids(api_client.get(f"{LIST}?ordering=said_on&page_size=2&page={n}")) for n in (1, 2, 3)
    ]
    flat = [pk for page in pages for pk in page]
    assert flat == sorted(flat)
    assert len(set(flat)) == 6


# Query budgets: the number of queries does not depend on the number of rows shown.

BUDGETED = [
    f"{LIST}?page_size=100",
    f"{LIST}?page_size=100&q=words&topic=budget",
    f"{LIST}csv/",
    f"{LIST}claimreview/",
    "/api/v1/claims:search?query=words&pageSize=100",
    "/api/v1/evidence/?page_size=100",
    "/api/v1/sources/?page_size=100",
    "/api/v1/actors/?page_size=100",
    "/api/v1/stance-links/?page_size=100",
    "/api/v1/counterclaims/?page_size=100",
]


def _add_claims(make, n, topic):
    for _ in range(n):
        publisher = make.actor()
        claim = make.claim(
            evidence=4,
            topics=[topic],
            claimant=make.actor(kind=Actor.Kind.PERSON, same_as=["https://example.org/x"]),
            source=make.source(publisher=publisher, url=f"https://example.org/{publisher.pk}"),
        )
        Counterclaim.objects.create(original=claim, response=make.claim(topics=[topic]))


def test_lists_and_exports_cost_the_same_queries_for_5_or_100_claims(api_client, make):
    topic = make.topic(name="Budget")

    def counts():
        result = {}
        for url in BUDGETED:
            with CaptureQueriesContext(connection) as ctx:
                response = api_client.get(url)
                response.getvalue()  # a streamed export queries as it is read
            assert response.status_code == 200, url
            result[url] = len(ctx)
        return result

    _add_claims(make, 3, topic)  # 3 claims and their 3 counterclaims: 6 claims
    few = counts()
    _add_claims(make, 50, topic)  # 106 claims
    assert Claim.objects.published().count() > 100
    assert counts() == few


def test_untitled_sources_get_a_plain_label_not_an_invented_title(api_client, make):
    article = make.source(title="The article")
    letter = make.source(title="", kind="letter", via=article, publisher=make.actor(name="ICE"))
    claim = make.claim(source=letter)
    source = api_client.get(f"{LIST}{claim.pk}/").json()["source"]
    assert source["title"] == ""
    assert source["label"] == "A letter published by ICE, as reported in “The article”"


@pytest.mark.parametrize("url", ["/api/v1/claims/", "/api/v1/evidence/", "/api/v1/sources/"])
def test_untitled_sources_cost_no_query_per_row(api_client, make, url):
    def untitled_claim():
        article = make.source(title="", publisher=make.actor(), kind="news_article")
        letter = make.source(title="", kind="letter", via=article)
        claim = make.claim(source=letter, evidence=0, status="in_review")
        make_link(claim, make.evidence(source=letter))
        claim.publish()

    def make_link(claim, evidence):
        StanceLink.objects.create(claim=claim, evidence=evidence, stance="refutes")

    untitled_claim()
    with CaptureQueriesContext(connection) as few:
        assert api_client.get(url).status_code == 200
    for _ in range(6):
        untitled_claim()
    with CaptureQueriesContext(connection) as many:
        api_client.get(url)
    assert len(many) == len(few)
