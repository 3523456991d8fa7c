"""Lists page through ids first, then load only the page's rows (claims.pagination)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from claims.pagination import IdsFirstPaginator


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
