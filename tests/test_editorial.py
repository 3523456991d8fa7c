"""Editorial integrity: previews of drafts, and public corrections of published fact checks."""

import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim, Correction, Evidence, StanceLink, Verdict

pytestmark = pytest.mark.django_db


# Preview


def test_editor_previews_a_draft_marked_as_preview_and_noindex(editor_client, make):
    draft = make.claim(status=Claim.Status.DRAFT, quote="Draft words to check.")
    response = editor_client.get(draft.get_preview_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Preview.</strong>" in page and "readers cannot see it yet" in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert "Draft words to check." in page
    assert "application/ld+json" not in page  # no machine-readable review of a draft


def test_fact_checkers_preview_too(client, fact_checker, make):
    client.force_login(fact_checker)
    assert (
        client.get(make.claim(status=Claim.Status.IN_REVIEW).get_preview_url()).status_code == 200
    )


def test_anonymous_readers_cannot_preview(client, make):
    draft = make.claim(status=Claim.Status.DRAFT, quote="Secret draft words.")
    response = client.get(draft.get_preview_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# Corrections through the admin


def admin_change(claim):
    return reverse("admin:claims_claim_change", args=[claim.pk])


def posted(claim, **changes):
    """The claim's change form as the admin would post it, with ``changes``."""
    links = list(claim.stance_links.all())
    data = {
        "quote": claim.quote,
        "claimant": claim.claimant_id,
        "source": claim.source_id,
        "said_on": "",
        "summary": claim.summary,
        "topics": [],
        "verdict": claim.verdict_id,
        "ruling": claim.ruling,
        "retraction_note": claim.retraction_note,
        "slug": claim.slug,
        "loaded_version": claim.version,
        "stance_links-TOTAL_FORMS": len(links),
        "stance_links-INITIAL_FORMS": len(links),
        "appearances-TOTAL_FORMS": 0,
        "appearances-INITIAL_FORMS": 0,
        "response_links-TOTAL_FORMS": 0,
        "response_links-INITIAL_FORMS": 0,
        "original_links-TOTAL_FORMS": 0,
        "original_links-INITIAL_FORMS": 0,
        "transitions-TOTAL_FORMS": claim.transitions.count(),
        "transitions-INITIAL_FORMS": claim.transitions.count(),
    }
    for i, link in enumerate(links):
        data |= {
            f"stance_links-{i}-id": link.pk,
            f"stance_links-{i}-claim": claim.pk,
            f"stance_links-{i}-evidence": link.evidence_id,
            f"stance_links-{i}-stance": link.stance,
            f"stance_links-{i}-note": link.note,
            f"stance_links-{i}-position": link.position,
        }
    for i, transition in enumerate(claim.transitions.all()):
        data[f"transitions-{i}-id"] = transition.pk
        data[f"transitions-{i}-claim"] = claim.pk
    data.update(changes)
    return data


def test_changing_a_published_verdict_asks_for_a_correction_note(editor_client, make):
    claim = make.claim()
    mixed = Verdict.objects.get(slug="mixed")
    response = editor_client.post(admin_change(claim), posted(claim, verdict=mixed.pk))
    assert response.status_code == 200
    assert "write a public correction note" in str(response.context["adminform"].form.errors)
    claim.refresh_from_db()
    assert claim.verdict.slug == "false"  # nothing saved
    assert not Correction.objects.exists()

    response = editor_client.post(
        admin_change(claim),
        posted(claim, verdict=mixed.pk, correction_note="A second inspection found repairs."),
    )
    assert response.status_code == 302
    correction = Correction.objects.get()
    assert (correction.verdict_before.slug, correction.verdict_after.slug) == ("false", "mixed")
    assert correction.changed == ["verdict"]
    assert correction.by.username == "editor"


def test_a_minor_change_needs_no_correction_but_is_listed_as_an_update(editor_client, make):
    claim = make.claim(ruling="The evidnce contradicts it.")
    response = editor_client.post(
        admin_change(claim), posted(claim, ruling="The evidence contradicts it.", minor="on")
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.ruling == "The evidence contradicts it."
    update = Correction.objects.get()
    assert (update.kind, update.changed) == (Correction.Kind.UPDATE, ["ruling"])
    assert update.note == "Minor change to the ruling."


def test_changing_published_evidence_asks_for_a_correction_note(editor_client, make):
    claim = make.claim()
    extra = Evidence.objects.create(excerpt="New finding.", source=make.source())
    data = posted(claim)
    data |= {
        "stance_links-TOTAL_FORMS": 2,
        "stance_links-1-evidence": extra.pk,
        "stance_links-1-stance": "context",
        "stance_links-1-position": 5,
    }
    response = editor_client.post(admin_change(claim), data)
    assert response.status_code == 200
    assert "changed the evidence of a published fact check" in response.content.decode()
    assert claim.stance_links.count() == 1
    data["correction_note"] = "Added a newer inspection."
    assert editor_client.post(admin_change(claim), data).status_code == 302
    assert claim.stance_links.count() == 2
    assert Correction.objects.get().changed == ["evidence"]


def test_editing_a_draft_needs_no_correction(editor_client, make):
    claim = make.claim(status=Claim.Status.DRAFT)
    mixed = Verdict.objects.get(slug="mixed")
    response = editor_client.post(admin_change(claim), posted(claim, verdict=mixed.pk))
    assert response.status_code == 302
    assert not Correction.objects.exists()


# Corrections on the public surfaces


@pytest.fixture
def corrected(make):
    claim = make.claim(summary="Corrected claim")
    before = claim.verdict
    claim.verdict = Verdict.objects.get(slug="mostly-false")
    claim.save()
    claim.record_correction("We found a second report.", ["verdict"], verdict_before=before)
    retracted = make.claim(summary="Withdrawn claim", status=Claim.Status.RETRACTED)
    hidden = make.claim(summary="Draft claim", status=Claim.Status.DRAFT)
    Correction.objects.create(claim=hidden, note="Hidden draft correction")
    return claim, retracted


def test_claim_page_shows_its_corrections(client, corrected):
    claim, retracted = corrected
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Corrections" in page and "We found a second report." in page
    assert "Verdict changed from" in page and "Mostly false" in page
    page = client.get(retracted.get_absolute_url()).content.decode()
    assert "Retraction" in page and "We could not verify the quote." in page


def test_corrections_page_and_feed_list_public_corrections_only(client, corrected):
    page = client.get(reverse("claims:corrections")).content.decode()
    assert "We found a second report." in page and "Withdrawn claim" in page
    assert "Hidden draft correction" not in page
    feed = ET.fromstring(client.get(reverse("feeds:corrections")).content)
    titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert "Correction: Corrected claim" in titles
    assert "Retraction: Withdrawn claim" in titles
    assert not any("Draft claim" in title for title in titles)


def test_retraction_is_recorded_as_a_public_correction(make):
    claim = make.claim(status=Claim.Status.RETRACTED)
    correction = claim.corrections.get()
    assert correction.kind == Correction.Kind.RETRACTION
    assert correction.note == "We could not verify the quote."


def test_a_correction_needs_a_note(make):
    with pytest.raises(ValidationError):
        make.claim().record_correction("  ", ["ruling"])


def test_stance_link_changes_touch_the_claim(make):
    claim = make.claim()
    before = claim.updated_at
    StanceLink.objects.create(
        claim=claim,
        evidence=Evidence.objects.create(excerpt="x", source=make.source()),
        stance="context",
    )
    claim.refresh_from_db()
    assert claim.updated_at > before


def test_api_shows_corrections_on_the_claim_and_in_a_list(api_client, corrected):
    claim, _ = corrected
    data = api_client.get(f"/api/v1/claims/{claim.pk}/").json()
    [correction] = data["corrections"]
    assert correction["kind"] == "correction"
    assert correction["verdict_before"]["slug"] == "false"
    assert correction["verdict_after"]["slug"] == "mostly-false"
    assert correction["note"] == "We found a second report."
    listed = api_client.get("/api/v1/corrections/").json()
    notes = [item["note"] for item in listed["results"]]
    assert notes == ["We could not verify the quote.", "We found a second report."]
    assert "Hidden draft correction" not in str(listed)


def test_api_claim_list_costs_the_same_queries_with_corrections(
    api_client, make, django_assert_max_num_queries
):
    make.claim()
    with CaptureQueriesContext(connection) as few:
        api_client.get("/api/v1/claims/")
    for _ in range(5):
        make.claim().record_correction("Fixed.", ["ruling"])
    with django_assert_max_num_queries(len(few)):
        api_client.get("/api/v1/claims/")
