"""The workflow on a claim's admin page: buttons for the steps the editor's role and the
claim's status allow, each a POST that takes the step through the claim's workflow method,
as the list actions do."""

import pytest
from django.test import Client
from django.urls import reverse

from claims import rules
from claims.models import Claim, Correction
from sources.models import Source
from tests.test_admin import admin_url, claim_form
from tests.test_concurrency import source_form

pytestmark = pytest.mark.django_db

Status = Claim.Status


def step_url(claim, name):
    return reverse("admin:claims_claim_workflow", args=[claim.pk, name])


def buttons(client, claim):
    """The workflow steps the claim's page offers, by the URL each button posts to."""
    page = client.get(admin_url(Claim, "change", claim.pk)).content.decode()
    return {name for name in rules.TRANSITIONS if f'formaction="{step_url(claim, name)}"' in page}


@pytest.mark.parametrize(
    ("role", "status", "expected"),
    [
        ("fact_checker", Status.DRAFT, {"submit_for_review"}),
        ("fact_checker", Status.IN_REVIEW, set()),
        ("fact_checker", Status.PUBLISHED, set()),
        ("fact_checker", Status.RETRACTED, set()),
        ("editor", Status.DRAFT, {"submit_for_review"}),
        ("editor", Status.IN_REVIEW, {"publish", "send_back_to_draft"}),
        ("editor", Status.PUBLISHED, {"retract"}),
        ("editor", Status.RETRACTED, set()),
    ],
)
def test_a_claim_page_shows_the_steps_its_status_and_the_users_role_allow(
    client, request, make, role, status, expected
):
    client.force_login(request.getfixturevalue(role))
    claim = make.claim(status=status)
    assert buttons(client, claim) == expected


@pytest.mark.parametrize(
    ("status", "name", "after"),
    [
        (Status.DRAFT, "submit_for_review", Status.IN_REVIEW),
        (Status.IN_REVIEW, "publish", Status.PUBLISHED),
        (Status.IN_REVIEW, "send_back_to_draft", Status.DRAFT),
    ],
)
def test_a_step_button_takes_the_step_and_records_who(
    editor_client, editor, make, status, name, after
):
    claim = make.claim(status=status)
    response = editor_client.post(step_url(claim, name), follow=True)
    assert response.redirect_chain[-1][0] == admin_url(Claim, "change", claim.pk)
    assert f"was {rules.TRANSITIONS[name].done}" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == after
    transition = claim.transitions.last()
    assert (transition.target, transition.by) == (after, editor)
    assert claim.history.first().history_user == editor


def test_a_fact_checker_submits_from_the_button_but_may_not_publish(client, fact_checker, make):
    client.force_login(fact_checker)
    draft = make.claim(status=Status.DRAFT)
    client.post(step_url(draft, "submit_for_review"))
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW
    assert client.post(step_url(draft, "publish")).status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW


def test_a_step_the_claim_is_not_ready_for_is_refused_with_the_reason(editor_client, make):
    unruled = make.claim(status=Status.IN_REVIEW, ruling="")
    page = editor_client.post(step_url(unruled, "publish"), follow=True).content.decode()
    assert "was not published: A published claim needs a ruling." in page
    draft = make.claim(status=Status.DRAFT)
    page = editor_client.post(step_url(draft, "publish"), follow=True).content.decode()
    assert "Only a claim that is in review can be published" in page
    assert Claim.objects.get(pk=unruled.pk).status == Status.IN_REVIEW
    assert Claim.objects.get(pk=draft.pk).status == Status.DRAFT


def test_get_never_takes_a_step_and_unknown_steps_are_not_found(editor_client, make):
    claim = make.claim(status=Status.IN_REVIEW)
    assert editor_client.get(step_url(claim, "publish")).status_code == 405
    assert editor_client.get(step_url(claim, "send_back_to_draft")).status_code == 405
    assert editor_client.post(step_url(claim, "delete")).status_code == 404
    claim.refresh_from_db()
    assert claim.status == Status.IN_REVIEW
    assert not claim.transitions.filter(target=Status.PUBLISHED).exists()


def test_a_step_needs_a_csrf_token(editor, make):
    checked = Client(enforce_csrf_checks=True)
    checked.force_login(editor)
    claim = make.claim(status=Status.IN_REVIEW)
    assert checked.post(step_url(claim, "publish")).status_code == 403
    claim.refresh_from_db()
    assert claim.status == Status.IN_REVIEW


def test_retract_asks_for_the_public_note_on_its_own_page(editor_client, editor, make):
    claim = make.claim()
    url = step_url(claim, "retract")
    page = editor_client.get(url)
    assert page.status_code == 200
    assert 'name="note"' in page.content.decode()
    claim.refresh_from_db()
    assert claim.status == Status.PUBLISHED  # showing the page changed nothing

    refused = editor_client.post(url, {"note": "  "})
    assert refused.status_code == 200
    assert "A retraction needs a public note." in refused.content.decode()
    claim.refresh_from_db()
    assert claim.status == Status.PUBLISHED

    done = editor_client.post(url, {"note": "The quote was misattributed."})
    assert done.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.retraction_note) == (
        Status.RETRACTED,
        "The quote was misattributed.",
    )
    correction = Correction.objects.get(claim=claim)
    assert (correction.kind, correction.by) == (Correction.Kind.RETRACTION, editor)


def test_a_fact_checker_may_not_open_the_retract_page(client, fact_checker, make):
    client.force_login(fact_checker)
    claim = make.claim()
    assert client.get(step_url(claim, "retract")).status_code == 403
    assert client.post(step_url(claim, "retract"), {"note": "No."}).status_code == 403
    claim.refresh_from_db()
    assert claim.status == Status.PUBLISHED


def test_saving_a_draft_whose_quote_is_not_in_its_source_warns_that_publication_is_blocked(
    editor_client, make
):
    source = make.source(text="Inspectors found expired food in two units.")
    claim = make.claim(
        status=Status.DRAFT, source=source, quote="Inspectors found expired food in two units."
    )
    response = editor_client.post(
        admin_url(Claim, "change", claim.pk),
        claim_form(claim, quote="Our facilities beat most local jails."),
        follow=True,
    )
    shown = [(m.level_tag, m.message) for m in response.context["messages"]]
    warnings = [message for level, message in shown if level == "warning"]
    assert len(warnings) == 1
    assert "cannot be published as it stands" in warnings[0]
    assert "The quote was not found in the source's text" in warnings[0]
    assert any(level == "success" for level, _ in shown)  # it was saved, as a draft

    # A matching quote saves with no warning.
    claim.refresh_from_db()
    response = editor_client.post(
        admin_url(Claim, "change", claim.pk),
        claim_form(claim, quote="Inspectors found expired food in two units."),
        follow=True,
    )
    assert [m.level_tag for m in response.context["messages"]] == ["success"]


def test_a_sources_new_text_that_leaves_a_draft_unmatched_warns_too(editor_client, make):
    source = make.source(text="Inspectors found expired food in two units.")
    claim = make.claim(
        status=Status.DRAFT, source=source, quote="Inspectors found expired food in two units."
    )
    response = editor_client.post(
        admin_url(Source, "change", source.pk),
        source_form(source, text="A different text altogether.", loaded_version=source.version),
        follow=True,
    )
    warnings = [m.message for m in response.context["messages"] if m.level_tag == "warning"]
    assert warnings == [
        f"“{claim}” cannot be published as it stands. The quote was not found in the source's "
        "text. Correct the quote or the source, or give the reason to publish it anyway."
    ]
