"""Search at scale, on both databases: the index (PostgreSQL's stored search vector, SQLite's
FTS5 table) stays current on every write path, search understands phrases, exclusions and
accents, ranks a bounded set of candidates, snippets are highlighted for the rows shown, and
the admin's autocomplete finds near misses."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from claims import models as claim_models
from claims import sqlite_search
from claims.highlight import highlight
from claims.models import Claim


def found(query):
    return set(Claim.objects.search(query))


def test_bulk_created_claims_are_searchable_at_once(make):
    template = make.claim(status=Claim.Status.DRAFT, evidence=0)
    Claim.objects.bulk_create(
        [
            Claim(
                quote="Bulk quote about zeppelins",
                summary="Bulk",
                claimant=template.claimant,
                source=template.source,
            )
        ]
    )
    assert [claim.summary for claim in found("zeppelins")] == ["Bulk"]


def test_queryset_updates_and_saves_refresh_the_vector(make):
    claim = make.claim(quote="Ferries were late", summary="Ferries")
    Claim.objects.filter(pk=claim.pk).update(quote="Trams were late")
    assert found("trams") == {claim} and found("ferries") == {claim}  # summary still says so
    Claim.objects.filter(pk=claim.pk).update(summary="Transport")
    assert not found("ferries")
    claim.refresh_from_db()
    claim.summary = "Gondolas"
    claim.save()
    assert found("gondolas") == {claim}
    # A write that leaves the text alone keeps the vector (workflow steps, touch()).
    Claim.touch([claim.pk])
    assert found("trams") == {claim}


def test_renaming_a_claimant_refreshes_their_claims(make):
    claim = make.claim(claimant=make.actor(name="Harbor Union"))
    actor = claim.claimant
    actor.name = "Dockworkers Guild"
    actor.save()
    assert found("dockworkers") == {claim}
    assert not found("harbor")


def test_api_writes_are_searchable(editor_api, make):
    claim = make.claim(status=Claim.Status.DRAFT, evidence=0)
    response = editor_api.patch(
        f"/api/v1/claims/{claim.pk}/",
        {"quote": "Lighthouses were unstaffed"},
        format="json",
        headers={"If-Match": f'"{claim.version}"'},
    )
    assert response.status_code == 200
    assert found("lighthouses") == {claim}


def test_generated_data_is_searchable(db):
    call_command("generate_data", claims=40, batch_size=20)
    claim = Claim.objects.order_by("pk").first()
    word = max(claim.quote.rstrip(".").split(), key=len)
    assert claim in found(word)
    if connection.vendor == "postgresql":
        assert not Claim.objects.filter(search_vector__isnull=True).exists()


def test_search_ranks_only_the_newest_candidates_of_the_filtered_claims(make, monkeypatch):
    monkeypatch.setattr(claim_models, "SEARCH_CANDIDATES", 2)
    topic = make.topic()
    oldest = make.claim(quote="Common words here", topics=[topic])
    newer = [make.claim(quote="Common words again") for _ in range(3)]
    ranked = Claim.objects.ranked_ids("common")
    assert len(ranked) == 2 and set(ranked) <= {claim.pk for claim in newer}
    # Other filters come first, so an older claim in the topic is still found.
    assert Claim.objects.filter(topics=topic).ranked_ids("common") == [oldest.pk]


def test_phrases_and_exclusions(make):
    care = make.claim(quote="Detainees lacked medical care for weeks")
    scattered = make.claim(quote="Medical staff said they would care for them")
    assert found("medical care") == {care, scattered}
    assert found('"medical care"') == {care}
    assert found("medical -staff") == {care}
    assert found('medical -"medical care"') == {scattered}
    assert found("weeks or staff") == {care, scattered}


def test_accents_match_either_way(make):
    plain = make.claim(quote="Conditions of detention were poor")
    accented = make.claim(quote="Les conditions de détention étaient mauvaises")
    assert found("détention") == {plain, accented}
    assert found("detention") == {plain, accented}
    assert found("etaient") == {accented}


def test_deleted_claims_leave_the_index(make):
    claim = make.claim(status=Claim.Status.DRAFT, evidence=0, quote="Zeppelins were grounded")
    claim.delete()
    assert not found("zeppelins")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 index")
def test_sqlite_index_keeps_its_triggers_after_migrations(db):
    """SQLite alters a table by copying it, without its triggers; they must be there after
    every migration (claims.apps puts back any that a later migration lost)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        assert set(sqlite_search.TRIGGERS) <= {name for (name,) in cursor.fetchall()}
        cursor.execute("DROP TRIGGER claims_claim_fts_insert")
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'claims_claim_fts_insert'")
        assert cursor.fetchone()


def test_highlight_marks_the_words_and_escapes_the_quote(make):
    claim = make.claim(quote="Detention beds < 5 & <b>overflowing</b>")
    [shown] = highlight([claim], "detention")
    html = shown.highlighted_quote
    assert "<mark>Detention</mark>" in html
    assert "<b>" not in html and "&lt;" in html and "&amp;" in html


def test_claim_list_shows_snippets_for_the_page(client, make):
    make.claim(quote="Overcrowded facilities everywhere", summary="Facilities claim")
    page = client.get(reverse("claims:list"), {"q": "overcrowded"}).content.decode()
    assert "<mark>Overcrowded</mark>" in page
    page = client.get(reverse("claims:list"), {"q": '"facilities everywhere"'}).content.decode()
    assert "<mark>facilities" in page and "<mark>Overcrowded" not in page


def test_admin_autocomplete_finds_claimants(editor_client, make):
    make.actor(name="Inspector General")
    make.actor(name="Harbor Union")
    url = reverse("admin:autocomplete")
    params = {"app_label": "claims", "model_name": "claim", "field_name": "claimant"}
    names = lambda term: [  # noqa: E731
        row["text"] for row in editor_client.get(url, {**params, "term": term}).json()["results"]
    ]
    assert names("inspector") == ["Inspector General"]
    if connection.vendor == "postgresql":
        assert names("inspecter generl") == ["Inspector General"]  # a near miss
