"""History of every change: who, when and what, for single and bulk changes, on every path
(admin forms, admin actions, the API with a token, model code)."""

import pytest

from claims.models import Claim, Correction, Counterclaim, StanceLink
from sources.models import Actor, Affiliation, Source
from tests.test_admin import admin_url, claim_form, run_action

pytestmark = pytest.mark.django_db


def history_types(model, pk):
    return [record.history_type for record in model.history.filter(id=pk).order_by("history_id")]


def test_create_update_delete_of_every_tracked_model_leaves_history(make):
    claim = make.claim(status=Claim.Status.DRAFT)
    other = make.claim(status=Claim.Status.DRAFT)
    link = claim.stance_links.get()
    evidence = link.evidence
    counterclaim = Counterclaim.objects.create(original=claim, response=other)
    person = make.actor(kind=Actor.Kind.PERSON)
    affiliation = Affiliation.objects.create(person=person, organization=claim.claimant)
    source = make.source()
    rows = [link, counterclaim, affiliation, claim, evidence, person, source]
    keys = [(type(row), row.pk) for row in rows]
    for row in rows:
        row.save()  # an update
    for row in rows:
        row.delete()
    for model, pk in keys:
        assert history_types(model, pk) == ["+", "~", "-"], model.__name__


def test_an_admin_edit_records_the_editor_and_shows_old_and_new_side_by_side(
    editor_client, editor, make
):
    claim = make.claim(status=Claim.Status.DRAFT, summary="Facilities beat local jails")
    response = editor_client.post(
        admin_url(Claim, "change", claim.pk),
        claim_form(claim, summary="The agency says its facilities beat local jails"),
    )
    assert response.status_code == 302
    record = claim.history.first()
    assert (record.history_type, record.history_user) == ("~", editor)

    page = editor_client.get(admin_url(Claim, "history", claim.pk)).content.decode()
    assert (
        '<th scope="row">Summary</th><td>Facilities beat local jails</td>'
        "<td>The agency says its facilities beat local jails</td>"
    ) in page
    assert ">editor<" in page


def test_token_authenticated_api_writes_record_the_user(editor, editor_api, make):
    created = editor_api.post("/api/v1/actors/", {"name": "A union", "kind": "organization"})
    assert created.status_code == 201
    actor = Actor.objects.get(pk=created.json()["id"])
    assert actor.history.get().history_user == editor

    link = make.claim(status=Claim.Status.DRAFT).stance_links.get()
    changed = editor_api.patch(f"/api/v1/stance-links/{link.pk}/", {"stance": "context"})
    assert changed.status_code == 200
    record = link.history.first()
    assert (record.stance, record.history_user) == ("context", editor)


def test_a_bulk_admin_action_leaves_a_history_row_per_claim(editor_client, editor, make):
    claims = [make.claim(status=Claim.Status.IN_REVIEW) for _ in range(3)]
    run_action(editor_client, "publish", claims)
    for claim in claims:
        record = claim.history.first()
        assert (record.status, record.history_user) == ("published", editor)
        assert record.diff_against(record.prev_record).changed_fields == ["status"]
        assert record.published_at is not None


def test_a_bulk_delete_in_the_admin_leaves_a_history_row_per_row(editor_client, editor, make):
    links = list(make.claim(status=Claim.Status.DRAFT, evidence=2).stance_links.all())
    response = editor_client.post(
        admin_url(StanceLink, "changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [link.pk for link in links],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not StanceLink.objects.exists()
    deleted = StanceLink.history.filter(history_type="-")
    assert {(record.id, record.history_user) for record in deleted} == {
        (link.pk, editor) for link in links
    }


def test_a_retraction_and_its_public_correction_are_in_the_history(editor_client, editor, make):
    claim = make.claim()
    Claim.objects.filter(pk=claim.pk).update(retraction_note="The quote was misattributed.")
    run_action(editor_client, "retract", [claim])
    record = claim.history.first()
    assert (record.status, record.retraction_note, record.history_user) == (
        "retracted",
        "The quote was misattributed.",
        editor,
    )
    correction = Correction.history.get(claim_id=claim.pk)
    assert (correction.kind, correction.history_user) == ("retraction", editor)


def test_touching_a_claim_for_its_evidence_is_not_a_change_of_the_claim(make):
    """``Claim.touch`` only bumps ``updated_at`` (the page's "last updated" and caches): the
    change is recorded once, on the evidence, not again on every claim it serves."""
    claim = make.claim()
    before = claim.history.count()
    evidence = claim.stance_links.get().evidence
    evidence.location = "page 3"
    evidence.save()
    assert claim.history.count() == before
    assert evidence.history.first().location == "page 3"


def test_source_authors_are_part_of_the_source_history(editor_client, editor, make):
    source = make.source()
    author = make.actor(name="A reporter", kind=Actor.Kind.PERSON)
    source.authors.add(author)
    record = Source.history.filter(id=source.pk).first()
    assert [row.actor_id for row in record.authors.all()] == [author.pk]
