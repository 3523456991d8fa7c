"""Lists page through ids first, then load only the page's rows (claims.pagination)."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims import pagination, views
from claims.cache import bump
from claims.models import Claim
from claims.pagination import IdsFirstPaginator, ordered_to_the_row
from sources.models import Actor, Source


def test_a_page_holds_its_rows_in_order_with_what_they_show(make):
    claims = [make.claim() for _ in range(7)]
    newest_first = Claim.objects.published().order_by("-published_at", "-id")
    paginator = IdsFirstPaginator(newest_first, 3, rows=Claim.objects.with_related())
    page = paginator.get_page(2)
    assert paginator.count == 7 and paginator.num_pages == 3
    assert list(page) == claims[::-1][3:6]
    with CaptureQueriesContext(connection) as ctx:
        shown = [(c.claimant.name, c.source.label, c.verdict.label) for c in page]
    assert len(ctx) == 0 and len(shown) == 3


def test_rows_come_from_the_given_queryset_only(make):
    published, draft = make.claim(), make.claim(status=Claim.Status.DRAFT)
    everything = Claim.objects.order_by("pk")
    page = IdsFirstPaginator(everything, 10, rows=Claim.objects.published()).get_page(1)
    assert list(page) == [published]  # the gate of the rows holds even for ids it is handed
    assert draft.pk in everything.values_list("pk", flat=True)


def test_lists_that_are_not_querysets_page_as_usual():
    page = IdsFirstPaginator(list("abcde"), 2).get_page(3)
    assert list(page) == ["e"]


def test_search_results_come_best_match_first_on_every_page(client, make):
    best = make.claim(quote="Turbines, turbines and more turbines failed.")
    newer = [make.claim(quote=f"A turbine failed, report {n}.") for n in range(25)]
    first = client.get("/claims/", {"q": "turbines"}).context["page"]
    assert first.paginator.count == 26
    assert first.object_list[0] == best
    second = client.get("/claims/", {"q": "turbines", "page": 2}).context["page"]
    shown = [*first.object_list, *second.object_list]
    assert sorted(c.pk for c in shown) == sorted(c.pk for c in [best, *newer])


def test_api_search_pages_load_their_rows(api_client, make, django_assert_max_num_queries):
    for n in range(3):
        make.claim(quote=f"Ferries were late, {n}.")
    with CaptureQueriesContext(connection) as few:
        api_client.get("/api/v1/claims/", {"q": "ferries"})
    for n in range(20):
        make.claim(quote=f"Ferries were late again, {n}.", evidence=3)
    with django_assert_max_num_queries(len(few)):
        response = api_client.get("/api/v1/claims/", {"q": "ferries"})
    assert response.json()["count"] == 23 and len(response.json()["results"]) == 20


def walk(client, url, params):
    """The ids of every row of every page of ``url``, following ``next`` links."""
    seen, response = [], client.get(url, {**params, "page_size": 3})
    while True:
        body = response.json()
        seen += [row["id"] for row in body["results"]]
        if not body["next"]:
            return seen
        response = client.get(body["next"])


CLAIM_ORDERINGS = ["", "said_on", "-said_on", "published_at", "-published_at", "updated_at"]


@pytest.mark.parametrize("ordering", [*CLAIM_ORDERINGS, "-updated_at"])
def test_api_pages_show_every_claim_once_in_every_ordering(editor_api, make, ordering):
    for _ in range(14):
        make.claim(status=Claim.Status.DRAFT)
    moment = timezone.now()
    # Every key the API sorts by, the same for all of them.
    Claim.objects.update(said_on=dt.date(2024, 5, 1), published_at=moment, updated_at=moment)
    params = {"ordering": ordering} if ordering else {}
    seen = walk(editor_api, "/api/v1/claims/", {"include_drafts": "true", **params})
    assert sorted(seen) == sorted(Claim.objects.values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("url", "model", "same"),
    [
        (
            "/api/v1/sources/",
            Source,
            {"title": "Press release", "published_on": dt.date(2024, 5, 1)},
        ),
        ("/api/v1/actors/", Actor, {"name": "A spokesperson"}),
    ],
)
def test_api_pages_show_every_row_once_when_their_keys_tie(editor_api, make, url, model, same):
    for _ in range(14):
        getattr(make, model.__name__.lower())()
    model.objects.update(**same)
    seen = walk(editor_api, url, {"include_drafts": "true"})
    assert sorted(seen) == sorted(model.objects.values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("queryset", "ordering"),
    [
        (lambda: Source.objects.all(), ["-published_on", "title", "-pk"]),  # the model's order
        (lambda: Actor.objects.order_by("name"), ["name", "pk"]),
        (lambda: Claim.objects.order_by("-published_at", "-id"), ["-published_at", "-id"]),
    ],
)
def test_every_paged_ordering_ends_with_the_primary_key(queryset, ordering):
    assert list(ordered_to_the_row(queryset()).query.order_by) == ordering


def offsets(queries):
    return [int(n) for query in queries for n in re.findall(r"OFFSET (\d+)", query["sql"])]


@pytest.fixture
def tied_claims(make, monkeypatch):
    """Thirteen public claims of one claimant, published in pairs at the same moment, with a
    bookmark every four rows."""
    monkeypatch.setattr(pagination, "BOOKMARK_EVERY", 4)
    claimant = make.actor(name="A prolific claimant")
    claims = [make.claim(claimant=claimant) for _ in range(13)]
    moment = timezone.now()
    for n, claim in enumerate(claims):
        Claim.objects.filter(pk=claim.pk).update(published_at=moment - dt.timedelta(hours=n // 2))
    bump()  # update() sends no signal
    return Claim.objects.published().filter(claimant=claimant).order_by("-published_at", "-id")


def pages(queryset, **kwargs):
    paginator = IdsFirstPaginator(queryset, 3, **kwargs)
    return [[claim.pk for claim in paginator.page(n)] for n in paginator.page_range]


def test_deep_pages_start_at_a_bookmark_and_hold_the_rows_an_offset_would(tied_claims):
    by_offset = pages(tied_claims)
    every_row = [pk for page in by_offset for pk in page]
    assert len(by_offset) == 5 and sorted(every_row) == sorted(
        tied_claims.values_list("pk", flat=True)
    )
    assert pages(tied_claims, bookmarked=True) == by_offset  # finds the bookmarks
    with CaptureQueriesContext(connection) as queries:
        assert pages(tied_claims, bookmarked=True) == by_offset
    # Kept: no page steps over more rows than lie between two bookmarks.
    assert offsets(queries.captured_queries) and max(offsets(queries.captured_queries)) < 4


def test_bookmarks_move_with_the_next_write_to_the_lists(make, tied_claims):
    pages(tied_claims, bookmarked=True)
    make.claim(claimant=tied_claims[0].claimant)  # the newest: every row moves on
    assert pages(tied_claims, bookmarked=True) == pages(tied_claims)


def test_orderings_by_an_expression_or_a_relation_are_paged_by_offset(tied_claims):
    for ordering in ([F("published_at").desc(), "-id"], ["claimant", "-id"]):
        queryset = tied_claims.order_by(*ordering)
        with CaptureQueriesContext(connection) as queries:
            assert pages(queryset, bookmarked=True) == pages(queryset)
        assert max(offsets(queries.captured_queries)) >= 4


def test_a_claimants_deep_page_lists_what_its_links_promise(client, tied_claims, monkeypatch):
    monkeypatch.setattr(views, "CLAIMS_PER_PAGE", 3)
    url = reverse("claims:actor", args=[tied_claims[0].claimant.slug])
    shown = [
        [claim.pk for claim in client.get(url, {"page": n}).context["page"]] for n in range(1, 6)
    ]
    assert shown == pages(tied_claims)
