"""Readers' requests (reader_requests/): asking for a check, reporting an error, the spam
protection on every door (page and API), editors' triage and its rules, the public list and
the retention of personal data."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim
from reader_requests import spam
from reader_requests.models import CLAIM_TEXT_MAX, CheckRequest, ReportedError
from tests.conftest import token_client

pytestmark = pytest.mark.django_db

ASK = "/requests/ask/"


@pytest.fixture(autouse=True)
def _cheap_challenge(settings):
    # A real challenge, solved in Python: a few hundred hashes at most.
    settings.READER_REQUEST_CHALLENGE_WORK = 300


def solved(client):
    return spam.solve(client.get(reverse("reader_requests:challenge")).json())


def ask_data(client, **overrides):
    return {
        "claim_text": "The new bridge cost twice its budget.",
        "heard_where": "https://social.example/post/1",
        "email": "reader@example.org",
        "consent": "on",
        "altcha": solved(client),
        **overrides,
    }


def test_a_reader_asks_for_a_check_and_it_is_stored_with_their_address(client):
    response = client.post(ASK, ask_data(client), REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302
    assert response["Location"] == "/requests/sent/?kind=check"
    request = CheckRequest.objects.get()
    assert request.status == CheckRequest.Status.NEW
    assert (request.email, request.client_ip) == ("reader@example.org", "198.51.100.7")
    # Undecided requests are not public.
    assert "twice its budget" not in client.get("/requests/").content.decode()


def test_the_form_shows_matching_fact_checks_with_and_without_javascript(client, make):
    claim = make.claim(
        quote="The detention centre passed every inspection this year.",
        summary="An agency says its detention centre passed every inspection",
    )
    text = "the detention centre passed every inspection"
    fragment = client.get(reverse("reader_requests:ask-matches"), {"claim_text": text})
    assert claim.get_absolute_url() in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    # Without JavaScript: the "Look for fact checks" button posts the form back, keeping it.
    page = client.post(ASK, {"claim_text": text, "look": "1", "email": "a@example.org"})
    body = page.content.decode()
    assert page.status_code == 200
    assert claim.get_absolute_url() in body
    assert "a@example.org" in body  # nothing typed is lost
    assert not CheckRequest.objects.exists()


def test_looking_up_matches_too_often_says_so_and_keeps_the_form(client, settings):
    settings.SEARCH_THROTTLE = "1/minute"
    url = reverse("reader_requests:ask-matches")
    assert client.get(url, {"claim_text": "first words"}).status_code == 200
    again = client.get(url, {"claim_text": "more words"}, HTTP_HX_REQUEST="true")
    assert again.status_code == 200 and "HX-Redirect" not in again
    assert "looked up a lot" in again.content.decode()


def test_refusals_are_friendly_and_keep_what_was_typed(client, settings):
    cases = {
        "honeypot": ask_data(client, website="http://spam.example"),
        "no challenge": ask_data(client, altcha=""),
        "bad challenge": ask_data(client, altcha="bm90IGEgc29sdXRpb24="),
        "too long": ask_data(client, claim_text="x" * (CLAIM_TEXT_MAX + 1)),
        "no consent": {k: v for k, v in ask_data(client).items() if k != "consent"},
    }
    messages = {
        "honeypot": "automated submission",
        "no challenge": "anti-spam check did not run",
        "bad challenge": "anti-spam check failed",
        "too long": "at most 1000 characters",
        "no consent": "Please agree",
    }
    for name, data in cases.items():
        response = client.post(ASK, data)
        body = response.content.decode()
        assert response.status_code == 400, name
        assert messages[name] in body, name
        assert "social.example/post/1" in body, name  # what the reader typed is still there
    assert not CheckRequest.objects.exists()


def test_a_solved_challenge_is_used_once(client):
    data = ask_data(client)
    assert client.post(ASK, data).status_code == 302
    again = client.post(ASK, data)
    assert again.status_code == 400
    assert "already used" in again.content.decode()
    assert CheckRequest.objects.count() == 1


def test_the_rate_limit_counts_pages_and_api_together_per_address(client, api_client, settings):
    settings.READER_REQUEST_THROTTLE = "2/hour"
    assert client.post(ASK, ask_data(client), REMOTE_ADDR="198.51.100.1").status_code == 302
    api_data = ask_data(client)
    api_data["consent"] = True
    response = api_client.post("/api/v1/requests/", api_data, REMOTE_ADDR="198.51.100.1")
    assert response.status_code == 201
    refused = client.post(ASK, ask_data(client), REMOTE_ADDR="198.51.100.1")
    assert refused.status_code == 429
    body = refused.content.decode()
    assert "send this one again in about" in body and "social.example/post/1" in body
    assert int(refused["Retry-After"]) > 0
    api_data["altcha"] = solved(client)
    refused = api_client.post("/api/v1/requests/", api_data, REMOTE_ADDR="198.51.100.1")
    assert refused.status_code == 429
    # Another address is not held up, nor is an error report counted apart.
    assert client.post(ASK, ask_data(client), REMOTE_ADDR="198.51.100.2").status_code == 302
    assert CheckRequest.objects.count() == 3


def test_the_challenge_can_be_turned_off(client, settings):
    settings.READER_REQUEST_CHALLENGE = False
    assert client.post(ASK, ask_data(client, altcha="")).status_code == 302


def test_every_page_links_to_the_form(client, make):
    claim = make.claim()
    for url in ("/", "/claims/", claim.get_absolute_url(), "/requests/", "/corrections/"):
        assert 'href="/requests/ask/"' in client.get(url, follow=True).content.decode(), url


# Triage


@pytest.fixture
def asked(db):
    def ask(text="Crime doubled in the city last year.", **kwargs):
        kwargs.setdefault("email", "someone@example.org")
        return CheckRequest.objects.create(claim_text=text, **kwargs)

    return ask


def test_grouping_counts_one_request_with_every_asker(asked, make, editor):
    first = asked(created_at=timezone.now() - timedelta(days=2))
    second, third = asked(), asked()
    primary = CheckRequest.group([third, second])
    assert primary == second
    assert CheckRequest.group([second, first]) == first  # groups merge into the oldest
    assert set(first.duplicates.all()) == {second, third}
    assert CheckRequest.objects.with_askers().get(pk=first.pk).askers == 3
    with pytest.raises(ValidationError):
        second.refresh_from_db()
        second.decline("No.", by=editor)  # decide on the group's request
    # A request grouped with a decided one joins its answer; two decided ones stay apart.
    decided = asked()
    decided.decline("An opinion.", by=editor)
    assert CheckRequest.group([first, decided]) == decided
    assert CheckRequest.objects.with_askers().get(pk=decided.pk).askers == 4
    other = asked()
    other.decline("Another opinion.", by=editor)
    with pytest.raises(ValidationError):
        CheckRequest.group([decided, other])


def test_accepting_makes_a_draft_claim_through_the_editorial_rules(asked, make, editor):
    request = asked()
    claimant, source = make.actor(), make.source()
    claim = request.accept(by=editor, claimant=claimant, source=source)
    assert claim.status == Claim.Status.DRAFT
    assert claim.quote == request.claim_text
    request.refresh_from_db()
    assert (request.status, request.claim, request.decided_by) == ("accepted", claim, editor)
    with pytest.raises(ValidationError):
        request.accept(by=editor, claimant=claimant, source=source)


def test_anonymous_users_cannot_accept(asked, make, django_user_model):
    from django.core.exceptions import PermissionDenied

    nobody = django_user_model.objects.create_user("nobody")
    with pytest.raises(PermissionDenied):
        asked().accept(by=nobody, claimant=make.actor(), source=make.source())
    assert not Claim.objects.exists()


def test_answers_need_a_published_fact_check_and_declines_a_reason(asked, make, editor):
    draft = make.claim(status=Claim.Status.DRAFT)
    with pytest.raises(ValidationError):
        asked().answer(draft, by=editor)
    with pytest.raises(ValidationError):
        asked().decline("  ", by=editor)


def test_the_public_page_shows_decisions_but_never_personal_data(client, asked, make, editor):
    published = make.claim()
    checking = asked("Checking this one", email="zq7@example.org", client_ip="203.0.113.9")
    checking.accept(by=editor, claimant=make.actor(), source=make.source())
    asked("Being answered", duplicate_of=None).answer(published, by=editor)
    asked("Declined one").decline("It is an opinion, not a checkable claim.", by=editor)
    group = asked("Answered twice")
    CheckRequest.group([group, asked("Answered twice")])
    group.answer(published, by=editor)
    asked("Never decided")
    body = client.get("/requests/").content.decode()
    for text in ("Checking this one", "Being answered", "Declined one", "not a checkable claim"):
        assert text in body
    assert "Asked by 2 readers" in body
    assert published.get_absolute_url() in body
    assert "Never decided" not in body
    assert "zq7@example.org" not in body and "203.0.113.9" not in body
    # The accepted request's claim is a draft: no link to it.
    assert checking.claim.get_absolute_url() not in body


def test_an_accepted_request_is_answered_once_its_claim_is_published(client, asked, make, editor):
    request = asked("Checked at last")
    claim = request.accept(by=editor, claimant=make.actor(), source=make.source())
    assert "Checked at last" in client.get("/requests/").content.decode()
    claim.verdict_id = make.claim().verdict_id
    claim.ruling = "It is wrong."
    claim.save()
    claim.stance_links.create(evidence=make.evidence(), stance="refutes")
    claim.submit_for_review(by=editor)
    claim.publish(by=editor)
    body = client.get("/requests/").content.decode()
    answered = body.split('id="answered-title"')[1].split('id="declined-title"')[0]
    assert "Checked at last" in answered and claim.get_absolute_url() in answered


def test_the_public_page_costs_the_same_queries_for_any_number_of_requests(
    client, asked, make, editor, django_assert_max_num_queries
):
    published = make.claim()
    for n in range(15):
        request = asked(f"Request {n}")
        CheckRequest.group([request, asked(f"Request {n}")])
        request.answer(published, by=editor)
    with django_assert_max_num_queries(4):
        assert client.get("/requests/").status_code == 200


# Error reports


def report_data(client, **overrides):
    return {
        "what_is_wrong": "The ruling gives the wrong year.",
        "source": "https://stats.example/2024",
        "email": "reporter@example.org",
        "consent": "on",
        "altcha": solved(client),
        **overrides,
    }


def test_a_reader_reports_an_error_and_an_editor_resolves_it(client, make, editor):
    claim = make.claim()
    page = client.get(claim.get_absolute_url()).content.decode()
    url = reverse("reader_requests:report-error", args=[claim.pk])
    assert url in page and "Report an error" in page
    response = client.post(url, report_data(client))
    assert response.status_code == 302
    report = ReportedError.objects.get()
    assert (report.claim, report.status) == (claim, "open")
    other = make.claim()
    other.record_correction("Other claim's note.", ["ruling"])
    with pytest.raises(ValidationError):
        report.resolve_corrected(other.corrections.get(), by=editor)
    correction = claim.record_correction("The year was wrong.", ["ruling"])
    report.resolve_corrected(correction, by=editor)
    assert (report.status, report.correction, report.resolved_by) == (
        "corrected",
        correction,
        editor,
    )
    body = client.get("/corrections/").content.decode()
    assert "Readers reported 1 error in our published fact checks; we resolved 1" in body


def test_reports_are_only_taken_for_public_claims_and_with_the_same_limits(client, make):
    draft = make.claim(status=Claim.Status.DRAFT)
    url = reverse("reader_requests:report-error", args=[draft.pk])
    assert client.get(url).status_code == 404
    claim = make.claim()
    url = reverse("reader_requests:report-error", args=[claim.pk])
    response = client.post(url, report_data(client, website="x", source=""))
    assert response.status_code == 400
    assert "Give us a source" in response.content.decode()
    assert not ReportedError.objects.exists()


def test_the_thanks_page_takes_any_address(client, make):
    claim = make.claim()
    page = client.get("/requests/sent/", {"kind": "error", "claim": claim.pk})
    assert claim.get_absolute_url() in page.content.decode()
    for claim_id in ("abc", "", "99999999999999999999"):
        assert (
            client.get("/requests/sent/", {"kind": "error", "claim": claim_id}).status_code == 200
        )


def test_no_change_needs_a_reason(make, editor):
    report = ReportedError.objects.create(claim=make.claim(), what_is_wrong="x", source="y")
    with pytest.raises(ValidationError):
        report.resolve_no_change("", by=editor)
    report.resolve_no_change("The source says what we say.", by=editor)
    assert report.status == "no_change"


# Retention


def test_personal_data_is_removed_after_the_retention_period(make, settings):
    settings.READER_REQUEST_RETENTION_DAYS = 30
    old = timezone.now() - timedelta(days=31)
    stale = CheckRequest.objects.create(
        claim_text="Old", email="old@example.org", client_ip="203.0.113.1", created_at=old
    )
    fresh = CheckRequest.objects.create(claim_text="New", email="new@example.org")
    report = ReportedError.objects.create(
        claim=make.claim(), what_is_wrong="x", source="y", email="r@example.org", created_at=old
    )
    call_command("purge_request_personal_data", stdout=StringIO())
    stale.refresh_from_db(), fresh.refresh_from_db(), report.refresh_from_db()
    assert (stale.email, stale.client_ip) == ("", None)
    assert stale.personal_data_removed_at is not None
    assert stale.claim_text == "Old"  # the request itself stays
    assert fresh.email == "new@example.org"
    assert report.email == ""


# API


def test_the_api_lists_published_requests_without_personal_data(api_client, asked, editor):
    declined = asked("An opinion", email="zq7@example.org", client_ip="203.0.113.9")
    declined.decline("Opinion.", by=editor)
    asked("Undecided")
    response = api_client.get("/api/v1/requests/")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["claim_text"] == "An opinion" and row["status"] == "declined"
    assert row["askers"] == 1 and row["public_reason"] == "Opinion."
    assert "zq7@example.org" not in response.content.decode()
    assert "203.0.113.9" not in response.content.decode()
    assert "email" not in row and "client_ip" not in row
    detail = api_client.get(f"/api/v1/requests/{declined.pk}/").json()
    assert "email" not in detail


def test_editors_read_every_request_with_emails_through_a_token(asked, editor, reader_api):
    asked("Undecided", email="zq7@example.org")
    rows = token_client(editor).get("/api/v1/requests/").json()["results"]
    assert [(r["claim_text"], r["email"], r["status"]) for r in rows] == [
        ("Undecided", "zq7@example.org", "new")
    ]
    assert reader_api.get("/api/v1/requests/").json()["results"] == []


def test_the_api_takes_requests_with_the_same_protection(api_client, client):
    data = {"claim_text": "A claim", "consent": True, "email": "x@example.org"}
    refused = api_client.post("/api/v1/requests/", data)
    assert refused.status_code == 400
    assert "anti-spam check" in str(refused.json())
    data["altcha"] = solved(client)
    created = api_client.post("/api/v1/requests/", data)
    assert created.status_code == 201
    assert "email" not in created.json() and created.json()["status"] == "new"
    data["altcha"] = solved(client)
    data["claim_text"] = "x" * (CLAIM_TEXT_MAX + 1)
    assert api_client.post("/api/v1/requests/", data).status_code == 400
    data["claim_text"], data["website"] = "A claim", "bot"
    assert api_client.post("/api/v1/requests/", data).status_code == 400
    assert CheckRequest.objects.count() == 1


# Admin


def test_editors_triage_in_the_admin(client, asked, make, editor):
    client.force_login(editor)
    first, second = asked(), asked()
    changelist = reverse("admin:reader_requests_checkrequest_changelist")
    response = client.post(
        changelist, {"action": "group_duplicates", "_selected_action": [first.pk, second.pk]}
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.duplicate_of == first
    change = reverse("admin:reader_requests_checkrequest_change", args=[first.pk])
    page = client.get(change).content.decode()
    assert "someone@example.org" in page  # editors see the email, to reply
    claimant, source = make.actor(), make.source()
    missing = client.post(change, {"decision": "accept", "public_reason": ""})
    assert missing.status_code == 200 and "This decision needs it." in missing.content.decode()
    response = client.post(
        change,
        {"decision": "accept", "claimant": claimant.pk, "source": source.pk, "public_reason": ""},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == "accepted" and first.claim.status == Claim.Status.DRAFT


def test_reports_are_resolved_beside_the_claim_in_the_admin(client, make, editor):
    client.force_login(editor)
    claim = make.claim()
    report = ReportedError.objects.create(
        claim=claim, what_is_wrong="Wrong year", source="https://stats.example"
    )
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert "Wrong year" in page and "errors reported by readers" in page.lower()
    url = reverse("admin:reader_requests_reportederror_change", args=[report.pk])
    refused = client.post(url, {"status": "no_change", "reason": ""})
    assert "Say why nothing changes." in refused.content.decode()
    assert (
        client.post(url, {"status": "no_change", "reason": "Our source is right."}).status_code
        == 302
    )
    report.refresh_from_db()
    assert (report.status, report.resolved_by) == ("no_change", editor)
