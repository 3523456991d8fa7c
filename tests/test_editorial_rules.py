"""The editorial rules hold on every door: each door, role, status and kind of change.

Each cell changes a claim (or its evidence) through one door, as one role, on a claim in one
status, with one kind of change, and checks what a user would see: refused with the reason,
or saved with the public correction (or update) shown on the claim page, at /corrections/,
in the corrections feed and in the API. The expected outcomes are written here from the
rules as docs/editorial-rules.md states them, not read from ``claims.rules``.
"""

from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from claims import rules, services
from claims.models import Claim, Correction, StanceLink
from tests.conftest import token_client
from tests.test_editorial import admin_change, posted
from tests.test_import import run as run_import

pytestmark = pytest.mark.django_db

STATUSES = [
    Claim.Status.DRAFT,
    Claim.Status.IN_REVIEW,
    Claim.Status.PUBLISHED,
    Claim.Status.RETRACTED,
]
ROLES = ["anonymous", "fact-checker", "editor"]
NOTE = "We reworded the ruling after a second inspection report."
NEW_RULING = "A second inspection report contradicts it."
# Kinds of change: a material change with a public note, the same without one, and a change
# marked as minor (editors only).
KINDS = ["material", "material-without-note", "minor"]


def expected(role, status, kind):
    """What the rules promise (docs/editorial-rules.md)."""
    if role == "anonymous":
        return "unauthenticated"
    if role == "fact-checker":
        if status != Claim.Status.DRAFT:
            return "forbidden"  # drafts only, including claims sent back to them
        return "invalid" if kind == "minor" else "saved"
    public = status in Claim.PUBLIC_STATUSES
    if public and kind == "material-without-note":
        return "invalid"
    return "saved"


def extra(kind):
    """The note and mark a door is given for this kind of change."""
    return {
        "material": {"correction_note": NOTE},
        "material-without-note": {},
        "minor": {"minor": True},
    }[kind]


@pytest.fixture
def users(django_user_model, editor, fact_checker):
    return {
        "anonymous": None,
        "fact-checker": fact_checker,
        "editor": editor,
        # A signed-in account with no editorial role, for doors that always have a user.
        "nobody": django_user_model.objects.create_user("nobody"),
    }


# The doors. Each makes one change and returns what the user was told: (outcome, message).


def _api_outcome(response):
    if response.status_code in (200, 201, 204):
        return "saved", ""
    body = response.json()
    if response.status_code == 401:
        return "unauthenticated", body["detail"]
    if response.status_code == 403:
        return "forbidden", body["detail"]
    assert response.status_code == 400, (response.status_code, body)
    return "invalid", str(body)


def _api(user):
    return APIClient() if user is None else token_client(user)


def _if_match(claim):
    return {"HTTP_IF_MATCH": f'"{claim.version}"'}


def api_patch(claim, user, kind, make):
    url = f"/api/v1/claims/{claim.pk}/"
    client = _api(user)
    body = {"ruling": NEW_RULING, **extra(kind)}
    return _api_outcome(client.patch(url, body, format="json", **_if_match(claim)))


def api_put(claim, user, kind, make):
    url = f"/api/v1/claims/{claim.pk}/"
    client = _api(user)
    body = {
        "quote": claim.quote,
        "summary": claim.summary,
        "claimant": claim.claimant_id,
        "source": claim.source_id,
        "said_on": None,
        "topics": [],
        "verdict": claim.verdict.slug,
        "ruling": NEW_RULING,
        **extra(kind),
    }
    return _api_outcome(client.put(url, body, format="json", **_if_match(claim)))


def api_link_create(claim, user, kind, make):
    body = {"claim": claim.pk, "evidence": make.evidence().pk, "stance": "context", **extra(kind)}
    return _api_outcome(_api(user).post("/api/v1/stance-links/", body, format="json"))


def api_link_update(claim, user, kind, make):
    link = claim.stance_links.first()
    body = {"stance": "supports", **extra(kind)}
    return _api_outcome(_api(user).patch(f"/api/v1/stance-links/{link.pk}/", body, format="json"))


def api_link_delete(claim, user, kind, make):
    link = claim.stance_links.first()
    return _api_outcome(
        _api(user).delete(f"/api/v1/stance-links/{link.pk}/", extra(kind), format="json")
    )


def admin_form(claim, user, kind, make, client):
    if user is not None:
        client.force_login(user)
    data = posted(claim, ruling=NEW_RULING)
    data |= {"minor": "on"} if kind == "minor" else extra(kind)
    response = client.post(admin_change(claim), data)
    if response.status_code == 302:
        if reverse("admin:login") in response["Location"]:
            return "unauthenticated", ""
        return "saved", ""
    if response.status_code == 403:
        return "forbidden", "403"
    errors = response.context["adminform"].form.errors
    return "invalid", str(errors)


def shell(claim, user, kind, make):
    try:
        services.change_claim(claim, by=user or AnonymousUser(), ruling=NEW_RULING, **extra(kind))
    except PermissionDenied as error:
        outcome = "unauthenticated" if "Sign in" in str(error) else "forbidden"
        return outcome, str(error)
    except ValidationError as error:
        return "invalid", str(error.message_dict)
    return "saved", ""


def import_upsert(claim, user, kind, make, tmp_path, users):
    path = Path(tmp_path) / "claims.csv"
    path.write_text(
        "quote,summary,claimant,claimant_kind,verdict,ruling\n"
        f'"{claim.quote}","{claim.summary}","{claim.claimant.name}",organization,'
        f'"{claim.verdict.label}","{NEW_RULING}"\n'
    )
    args = ["--user", (user or users["nobody"]).username]
    if kind == "material":
        args += ["--correction-note", NOTE]
    elif kind == "minor":
        args.append("--minor")
    report = run_import(path, *args)
    if "updated 1" in report:
        return "saved", ""
    if "Sign in" in report:
        return "unauthenticated", report
    if "only editors" in report:
        return "forbidden", report
    assert "rejected: claim" in report, report
    return "invalid", report


CLAIM_DOORS = {
    "admin form": admin_form,
    "API PATCH": api_patch,
    "API PUT": api_put,
    "import upsert": import_upsert,
    "shell": shell,
}
LINK_DOORS = {
    "API stance-link create": api_link_create,
    "API stance-link update": api_link_update,
    "API stance-link delete": api_link_delete,
}


def run_door(door, claim, user, kind, make, client, tmp_path, users):
    function = {**CLAIM_DOORS, **LINK_DOORS}[door]
    if door == "admin form":
        return function(claim, user, kind, make, client)
    if door == "import upsert":
        return function(claim, user, kind, make, tmp_path, users)
    return function(claim, user, kind, make)


def links_of(claim):
    return sorted(StanceLink.objects.filter(claim=claim).values_list("evidence", "stance"))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("door", [*CLAIM_DOORS, *LINK_DOORS])
def test_every_door_keeps_the_editorial_rules(
    door, role, status, kind, make, users, client, tmp_path
):
    claim = make.claim(status=status)
    ruling, links = claim.ruling, links_of(claim)
    corrections = set(claim.corrections.values_list("pk", flat=True))
    role_user = users[role]  # import_claims, always run as someone, takes "nobody" for None

    outcome, message = run_door(door, claim, role_user, kind, make, client, tmp_path, users)

    want = expected(role, status, kind)
    assert outcome == want, message
    claim.refresh_from_db()
    changed = claim.ruling != ruling if door in CLAIM_DOORS else links_of(claim) != links
    new = claim.corrections.exclude(pk__in=corrections)
    if want != "saved":
        assert not changed and not new.exists()
        if want == "forbidden" and door != "admin form":
            assert "only editors may change it" in message
        if want == "invalid":
            assert ("correction" if kind != "minor" else "minor") in message
        return
    assert changed
    if status not in Claim.PUBLIC_STATUSES:
        assert not new.exists()
        return
    [correction] = new
    assert correction.kind == (Correction.Kind.UPDATE if kind == "minor" else "correction")
    assert correction.changed == (["ruling"] if door in CLAIM_DOORS else ["evidence"])
    assert correction.by == role_user
    if kind == "material":
        assert correction.note == NOTE
    public_note = correction.note
    reader = APIClient()
    assert public_note in reader.get(claim.get_absolute_url()).content.decode()
    assert public_note in reader.get(reverse("claims:corrections")).content.decode()
    assert public_note in reader.get(reverse("feeds:corrections")).content.decode()
    api = reader.get(f"/api/v1/claims/{claim.pk}/").json()
    assert public_note in [item["note"] for item in api["corrections"]]


def test_the_correction_note_is_the_reason_in_the_history(make, editor):
    claim = make.claim()
    services.change_claim(claim, by=editor, ruling=NEW_RULING, correction_note=NOTE)
    assert claim.history.first().history_change_reason == NOTE


# The failures this change fixed, each as it was seen.


def test_a_fact_checkers_token_cannot_change_a_published_verdict(make, fact_checker):
    claim = make.claim()
    url = f"/api/v1/claims/{claim.pk}/"
    client = token_client(fact_checker)
    response = client.patch(
        url,
        {"verdict": "mixed", "ruling": NEW_RULING},
        format="json",
        HTTP_IF_MATCH=APIClient().get(url)["ETag"],
    )
    assert response.status_code == 403
    assert "only editors may change it" in response.json()["detail"]
    page = APIClient().get(claim.get_absolute_url()).content.decode()
    assert "Mixed" not in page and NEW_RULING not in page
    assert not Correction.objects.exists()


def test_an_editors_api_edit_of_a_published_claim_needs_a_note(make, editor):
    claim = make.claim()
    url = f"/api/v1/claims/{claim.pk}/"
    client = token_client(editor)
    change = {"verdict": "mixed", "ruling": NEW_RULING}
    refused = client.patch(url, change, format="json", HTTP_IF_MATCH=f'"{claim.version}"')
    assert refused.status_code == 400
    assert "correction note" in refused.json()["correction_note"][0]
    saved = client.patch(
        url, {**change, "correction_note": NOTE}, format="json", HTTP_IF_MATCH=f'"{claim.version}"'
    )
    assert saved.status_code == 200
    [correction] = saved.json()["corrections"]
    assert correction["note"] == NOTE
    assert (correction["verdict_before"]["slug"], correction["verdict_after"]["slug"]) == (
        "false",
        "mixed",
    )
    assert sorted(correction["changed"]) == ["ruling", "verdict"]
    listed = APIClient().get("/api/v1/corrections/").json()["results"]
    assert [item["note"] for item in listed] == [NOTE]


def test_a_fact_checker_cannot_tick_minor_on_a_published_claim_in_the_admin(
    client, fact_checker, make
):
    claim = make.claim(ruling="The evidnce contradicts it.")
    client.force_login(fact_checker)
    page = client.get(admin_change(claim))
    assert page.status_code == 200  # read-only: they may look
    assert 'name="ruling"' not in page.content.decode()
    response = client.post(
        admin_change(claim), posted(claim, ruling="The evidence contradicts it.", minor="on")
    )
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.ruling == "The evidnce contradicts it."


def test_only_editors_see_the_minor_mark(client, editor_client, fact_checker, make):
    claim = make.claim()
    assert 'name="minor"' in editor_client.get(admin_change(claim)).content.decode()
    draft = make.claim(status=Claim.Status.DRAFT)
    client.force_login(fact_checker)
    page = client.get(admin_change(draft)).content.decode()
    assert 'name="ruling"' in page and 'name="minor"' not in page


@pytest.mark.parametrize("status", STATUSES)
def test_stance_links_of_a_published_claim_go_through_the_claims_page_in_the_admin(
    editor_client, make, status
):
    claim = make.claim(status=status)
    link = claim.stance_links.get()
    change = reverse("admin:claims_stancelink_change", args=[link.pk])
    data = {
        "claim": claim.pk,
        "evidence": link.evidence_id,
        "stance": "supports",
        "note": "",
        "position": 0,
    }
    response = editor_client.post(change, data)
    link.refresh_from_db()
    if status in Claim.PUBLIC_STATUSES:
        assert response.status_code == 200
        assert "correction note" in str(response.context["adminform"].form.errors)
        assert link.stance == "refutes"
        response = editor_client.post(change, {**data, "correction_note": NOTE})
        assert response.status_code == 302
        assert claim.corrections.filter(note=NOTE, changed=["evidence"]).exists()
    else:
        assert response.status_code == 302
        assert link.stance == "supports"


def test_a_counterclaim_between_public_claims_is_an_editors(make, fact_checker, editor):
    original, response = make.claim(), make.claim()
    body = {"original": original.pk, "response": response.pk}
    refused = token_client(fact_checker).post("/api/v1/counterclaims/", body, format="json")
    assert refused.status_code == 403
    assert "only editors may change it" in refused.json()["detail"]
    draft = make.claim(status=Claim.Status.DRAFT)
    body = {"original": original.pk, "response": draft.pk}
    assert token_client(fact_checker).post("/api/v1/counterclaims/", body).status_code == 201


# The rules page


def test_the_rules_page_shows_the_rules_in_the_code():
    page = (Path(__file__).parent.parent / "docs" / "editorial-rules.md").read_text()
    assert rules.rules_table() in page
    assert rules.transitions_table() in page
    for name in rules.MATERIAL:
        assert f"`{name}`" in page


# The workflow's steps, on the doors that take them: the admin's actions, the API's endpoints
# and the model's methods (the shell, management commands).

STEPS = {
    # step: (status it starts from, status it ends in, roles that may take it)
    "submit_for_review": ("draft", "in_review", {"fact-checker", "editor"}),
    "send_back_to_draft": ("in_review", "draft", {"editor"}),
    "publish": ("in_review", "published", {"editor"}),
    "retract": ("published", "retracted", {"editor"}),
}
ENDPOINTS = {
    "submit_for_review": "submit",
    "send_back_to_draft": "send-back",
    "publish": "publish",
    "retract": "retract",
}


def take_step(door, step, claim, user, client):
    if door == "admin action":
        if user is not None:
            client.force_login(user)
        client.post(
            reverse("admin:claims_claim_changelist"),
            {"action": step, "_selected_action": [claim.pk]},
        )
    elif door == "API":
        _api(user).post(
            f"/api/v1/claims/{claim.pk}/{ENDPOINTS[step]}/", {"note": "Withdrawn."}, format="json"
        )
    else:
        try:
            if step == "retract":
                claim.retract("Withdrawn.", by=user or AnonymousUser())
            else:
                getattr(claim, step)(by=user or AnonymousUser())
        except (PermissionDenied, ValidationError):
            pass


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("step", list(STEPS))
@pytest.mark.parametrize("door", ["admin action", "API", "shell"])
def test_every_door_takes_only_the_steps_the_rules_allow(
    door, step, role, status, make, users, client
):
    claim = make.claim(status=status)
    if status == Claim.Status.PUBLISHED:
        Claim.objects.filter(pk=claim.pk).update(retraction_note="Withdrawn.")
        claim.refresh_from_db()
    steps_before = claim.transitions.count()
    take_step(door, step, claim, users[role], client)
    source, target, roles = STEPS[step]
    allowed = status == source and role in roles
    claim.refresh_from_db()
    assert claim.status == (target if allowed else status)
    assert claim.transitions.count() == steps_before + allowed
