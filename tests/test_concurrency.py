"""No lost edits: two editors on the same claim, piece of evidence or source. The second save
is refused with what changed meanwhile, the second editor's input stays on the form, and
nothing is silently overwritten."""

import pytest
from django.test import Client

from claims.admin import ClaimAdmin
from claims.models import Claim, Evidence
from sources.concurrency import EditConflict, VersionedForm
from sources.models import Source
from tests.conftest import staff_in, token_client
from tests.test_admin import admin_url, claim_form, management_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_editors(editor, django_user_model):
    """Two signed-in browsers: the editor's and a colleague's."""
    colleague = staff_in(django_user_model, "colleague", "Editors")
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(colleague)
    return first, second


def loaded_version(response):
    """The version the change form was loaded with, as its hidden field holds it."""
    return response.context["adminform"].form["loaded_version"].value()


def evidence_form(evidence, **changes):
    return {
        "excerpt": evidence.excerpt,
        "source": str(evidence.source_id),
        "author": "",
        "location": evidence.location,
        **management_form("stance_links", 0),
        **changes,
    }


def source_form(source, **changes):
    return {
        "title": source.title,
        "kind": source.kind,
        "publisher": "",
        "published_on": "",
        "language": source.language,
        "url": source.url,
        "archive_url": "",
        "via": "",
        "text": source.text,
        "slug": source.slug,
        **management_form("claims", 0),
        **management_form("evidence", 0),
        **management_form("snapshots", 0),
        **changes,
    }


def test_the_second_editor_of_a_claim_sees_what_changed_and_keeps_their_input(two_editors, make):
    first, second = two_editors
    claim = make.claim(status=Claim.Status.DRAFT, summary="Facilities beat local jails")
    url = admin_url(Claim, "change", claim.pk)
    first_loaded = loaded_version(first.get(url))
    second_loaded = loaded_version(second.get(url))

    saved = first.post(
        url, claim_form(claim, summary="The agency says", loaded_version=first_loaded)
    )
    assert saved.status_code == 302

    refused = second.post(
        url,
        claim_form(claim, ruling="Inspectors found the opposite.", loaded_version=second_loaded),
    )
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Someone else (editor) saved this claim while you were editing it" in page
    assert "Summary is now: The agency says" in page
    form = refused.context["adminform"].form
    assert form["ruling"].value() == "Inspectors found the opposite."
    assert "Inspectors found the opposite.</textarea>" in page
    claim.refresh_from_db()
    assert claim.summary == "The agency says"
    assert claim.ruling == "The evidence contradicts it."

    # Having seen the other version, the colleague saves again on purpose: now it goes through.
    again = second.post(url, {**form.data.dict(), "topics": []})
    assert again.status_code == 302
    claim.refresh_from_db()
    assert claim.ruling == "Inspectors found the opposite."


@pytest.mark.parametrize(
    ("model", "build", "form", "field", "label"),
    [
        (Evidence, "evidence", evidence_form, "location", "Location"),
        (Source, "source", source_form, "title", "Title"),
    ],
    ids=["evidence", "source"],
)
def test_the_second_editor_of_evidence_or_a_source_is_refused_too(
    two_editors, make, model, build, form, field, label
):
    first, second = two_editors
    row = getattr(make, build)()
    url = admin_url(model, "change", row.pk)
    first_loaded = loaded_version(first.get(url))
    second_loaded = loaded_version(second.get(url))

    saved = first.post(url, form(row, **{field: "Page 12", "loaded_version": first_loaded}))
    assert saved.status_code == 302, saved.context and saved.context["errors"]
    refused = second.post(url, form(row, **{field: "Annex B", "loaded_version": second_loaded}))
    assert refused.status_code == 200
    page = refused.content.decode()
    assert f"{label} is now: Page 12" in page
    assert refused.context["adminform"].form[field].value() == "Annex B"
    row.refresh_from_db()
    assert getattr(row, field) == "Page 12"


def test_a_save_that_loses_a_race_after_the_form_check_is_refused_too(
    editor_client, make, monkeypatch
):
    """Another save lands between the form's check and this one's: the database refuses
    this one, and the editor gets the form back with the conflict, not an error page."""
    claim = make.claim(status=Claim.Status.DRAFT)
    url = admin_url(Claim, "change", claim.pk)
    loaded = loaded_version(editor_client.get(url))
    check, load = VersionedForm.clean, ClaimAdmin.get_object
    raced = []

    def other_save():
        Claim.objects.filter(pk=claim.pk, version=loaded).update(version=loaded + 1)

    def check_then_lose_the_race(form):
        data = check(form)
        if not raced:
            raced.append(other_save())
        return data

    def load_with_the_other_save(*args, **kwargs):
        # The other save was committed: rolling back this request's transaction keeps it.
        if raced:
            other_save()
        return load(*args, **kwargs)

    monkeypatch.setattr(VersionedForm, "clean", check_then_lose_the_race)
    monkeypatch.setattr(ClaimAdmin, "get_object", load_with_the_other_save)
    response = editor_client.post(url, claim_form(claim, summary="Mine", loaded_version=loaded))
    assert raced
    assert response.status_code == 200
    assert "while you were editing it" in response.content.decode()
    assert response.context["adminform"].form["summary"].value() == "Mine"
    claim.refresh_from_db()
    assert claim.summary != "Mine"


def test_a_stale_copy_cannot_overwrite_a_newer_save(make):
    claim = make.claim(status=Claim.Status.DRAFT)
    mine, theirs = Claim.objects.get(pk=claim.pk), Claim.objects.get(pk=claim.pk)
    theirs.summary = "Theirs"
    theirs.save()
    mine.summary = "Mine"
    with pytest.raises(EditConflict):
        mine.save()
    claim.refresh_from_db()
    assert (claim.summary, claim.version) == ("Theirs", theirs.version)


def test_workflow_steps_count_as_saves(make, editor):
    claim = make.claim(status=Claim.Status.DRAFT)
    stale = Claim.objects.get(pk=claim.pk)
    claim.submit_for_review(by=editor)
    claim.publish(by=editor)
    assert Claim.objects.get(pk=claim.pk).version == stale.version + 2
    with pytest.raises(EditConflict):
        stale.submit_for_review(by=editor)


@pytest.mark.parametrize(
    ("resource", "build", "field"),
    [
        ("claims", "claim", "summary"),
        ("evidence", "evidence", "location"),
        ("sources", "source", "title"),
    ],
)
def test_api_writes_name_the_version_they_change(
    editor_api, django_user_model, make, resource, build, field
):
    row = getattr(make, build)()
    url = f"/api/v1/{resource}/{row.pk}/"
    read = editor_api.get(url, {"include_drafts": "true"})
    etag = read["ETag"]

    unconditional = editor_api.patch(url, {field: "Mine"})
    assert unconditional.status_code == 428
    assert "If-Match" in unconditional.json()["detail"]

    colleague = token_client(staff_in(django_user_model, "colleague", "Editors"))
    theirs = colleague.patch(url, {field: "Theirs"}, HTTP_IF_MATCH=etag)
    assert theirs.status_code == 200
    assert theirs["ETag"] not in ("", etag)

    stale = editor_api.patch(url, {field: "Mine"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    body = stale.json()
    assert "GET it again" in body["detail"]
    assert body["changed"] == {field: "Theirs"}
    assert body["etag"] == theirs["ETag"]
    row.refresh_from_db()
    assert getattr(row, field) == "Theirs"

    current = editor_api.patch(url, {field: "Mine"}, HTTP_IF_MATCH=theirs["ETag"])
    assert current.status_code == 200
    assert current["ETag"] == f'"{row.version + 1}"'
    row.refresh_from_db()
    assert getattr(row, field) == "Mine"
