"""Anonymous readers get cached pages and API reads; a change retires those that show it, so
a changed claim is never served stale (tests/test_cache_dependencies.py changes each related
thing); editors always bypass the cache."""

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from claims.models import Claim, StanceLink


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PUBLIC_CACHE_SECONDS = 300


def fetch(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code in (200, 304), response.status_code
    return response


def test_claim_page_is_cached_until_the_claim_changes(client, make):
    claim = make.claim(summary="Before the edit")
    url = claim.get_absolute_url()
    assert fetch(client, url)["X-Cache"] == "miss"
    assert fetch(client, url)["X-Cache"] == "hit"
    claim.summary = "After the edit"
    claim.save()
    response = fetch(client, url)
    assert response["X-Cache"] == "miss" and "After the edit" in response.content.decode()


def test_a_release_retires_what_the_code_before_it_kept(client, make, django_assert_num_queries):
    # A claim page's rows are kept for a day in a shape the next release may change: the
    # release's migrate retires them, with every cached page.
    claim = make.claim()
    url = claim.get_absolute_url()
    fetch(client, url)
    with django_assert_num_queries(0):
        assert fetch(client, f"{url}?from=mail")["X-Cache"] == "miss"  # the rows: kept
    call_command("migrate", verbosity=0)
    with CaptureQueriesContext(connection) as queries:
        fetch(client, f"{url}?from=feed")
    assert len(queries) > 0  # read again from the database
    assert fetch(client, url)["X-Cache"] == "miss"


@pytest.mark.parametrize("path", ["/", "/claims/", "/api/v1/claims/"])
def test_lists_never_show_a_retracted_or_new_claim_stale(client, make, path):
    claim = make.claim(summary="Soon retracted")
    fetch(client, path)
    assert fetch(client, path)["X-Cache"] == "hit"
    claim.retract("We got it wrong.")
    make.claim(summary="Brand new claim")
    page = fetch(client, path).content.decode()
    assert "Brand new claim" in page


def test_new_evidence_and_corrections_retire_the_page(client, make):
    claim = make.claim()
    url = claim.get_absolute_url()
    fetch(client, url)
    StanceLink.objects.create(
        claim=claim, evidence=make.evidence(excerpt="A fresh finding"), stance="context"
    )
    assert "A fresh finding" in fetch(client, url).content.decode()
    claim.record_correction("We fixed the ruling.", ["ruling"])
    assert "We fixed the ruling." in fetch(client, url).content.decode()


def test_api_writes_are_seen_by_the_next_anonymous_read(api_client, editor_api, make):
    claim = make.claim(summary="Old API summary")
    url = f"/api/v1/claims/{claim.pk}/"
    etag = api_client.get(url)["ETag"]
    response = editor_api.patch(
        url, {"summary": "New API summary"}, format="json", headers={"If-Match": etag}
    )
    assert response.status_code == 200, response.content
    assert api_client.get(url).json()["summary"] == "New API summary"


def test_bulk_writes_through_touch_retire_the_cache(client, make):
    claim = make.claim(summary="Touched claim")
    url = claim.get_absolute_url()
    fetch(client, url)
    Claim.objects.filter(pk=claim.pk).update(summary="Bulk edited")
    Claim.touch([claim.pk])
    assert "Bulk edited" in fetch(client, url).content.decode()


def test_editors_bypass_the_cache(editor_client, make):
    url = make.claim().get_absolute_url()
    assert "X-Cache" not in fetch(editor_client, url)
    assert "X-Cache" not in fetch(editor_client, url)


def test_conditional_get_answers_304_from_the_cache(client, make):
    url = make.claim().get_absolute_url()
    etag = fetch(client, url)["ETag"]
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304


def test_a_write_retires_the_cache_again_when_it_commits(make, django_capture_on_commit_callbacks):
    # A reader served between the write and its commit sees the old rows and caches them
    # under the versions the write set: the commit must retire that too.
    from claims.cache import claim_tag, versions

    claim = make.claim()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        claim.summary = "Renamed inside a transaction"
        claim.save()
        during = versions([claim_tag(claim.pk)])
    assert versions([claim_tag(claim.pk)]) != during


def test_the_list_filters_show_the_current_choices_and_the_chosen_one(
    client, make, django_assert_max_num_queries
):
    # The selects are kept per version of the lists and per choice of filters, whatever the
    # search (claims.views.claim_list): a new claimant is offered at once, each choice shown.
    make.claim(claimant=make.actor(name="Ada Fenwick"), topics=[make.topic(name="Ferries")])
    make.claim(topics=[make.topic(name="Harbours")])
    assert "Ada Fenwick</option>" in fetch(client, "/claims/?q=one").content.decode()
    with django_assert_max_num_queries(3):  # the page's own; none for the selects' choices
        page = fetch(client, "/claims/?q=two&utm_source=newsletter").content.decode()
        assert "Ada Fenwick</option>" in page
    make.claim(claimant=make.actor(name="Bea Ortiz"))
    assert "Bea Ortiz</option>" in fetch(client, "/claims/?q=three").content.decode()
    for chosen, other in (("ferries", "harbours"), ("harbours", "ferries")):
        page = fetch(client, f"/claims/?topic={chosen}").content.decode()
        assert f'<option value="{chosen}" selected>' in page
        assert f'<option value="{other}">' in page
    # An old link's name for the order: the select shows the order it asked for.
    oldest = '<option value="published_at" selected>Published, oldest first</option>'
    assert oldest not in fetch(client, "/claims/").content.decode()
    assert oldest in fetch(client, "/claims/?sort=oldest").content.decode()


def test_docker_composes_migrate_waits_for_the_cache_it_retires():
    from pathlib import Path

    import yaml

    compose = yaml.safe_load((Path(__file__).parent.parent / "docker-compose.yml").read_text())
    migrate = compose["services"]["migrate"]
    assert (
        migrate["environment"]["REDIS_URL"]
        == compose["services"]["web"]["environment"]["REDIS_URL"]
    )
    assert migrate["depends_on"]["redis"] == {"condition": "service_healthy"}
