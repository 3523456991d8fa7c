"""Readers' requests in a real browser: the ALTCHA widget solving its challenge under the
site's Content-Security-Policy, matching fact checks as a reader types, an editor's triage in
the admin through to the published answer, an error report resolved with a correction, and
axe-core on the new pages at both widths."""

import time

import pytest

from claims.models import Claim, Correction
from reader_requests.models import CheckRequest, ReportedError
from sources.models import Actor, Source
from tests import test_browser
from tests.conftest import staff_in
from tests.test_admin_browser import choose, log_in
from tests.test_browser import ARTIFACTS, AXE

browser, page, site = test_browser.browser, test_browser.page, test_browser.site

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _quick_challenge(settings):
    # The same widget and check, with less work to find the answer.
    settings.READER_REQUEST_CHALLENGE_WORK = 2000


def csp_violations(page):
    found = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and found.append(message.text),
    )
    return found


def pass_the_challenge(page):
    """Tick the widget's box, as a reader does, and wait for its solution."""
    page.locator("altcha-widget label", has_text="not a robot").click()
    solution = page.locator("altcha-widget input[name=altcha]")
    for _ in range(150):
        if solution.count() and solution.input_value():
            return
        time.sleep(0.1)
    raise AssertionError("the widget did not solve its challenge")


def test_a_reader_asks_for_a_check_and_sees_matching_fact_checks(page, site):
    violations = csp_violations(page)
    claim = Claim.objects.published().first()
    page.goto(f"{site}/")
    page.click("header >> text=Ask us to check a claim")
    # The click returns once the new page starts; typing before htmx has read it (its script
    # is deferred) would send no request.
    page.wait_for_url("**/requests/ask/")
    page.wait_for_load_state()
    page.fill("#id_claim_text", claim.quote)
    match = page.locator("#matches .claim-card a", has_text=claim.summary[:30])
    match.first.wait_for()
    page.fill("#id_heard_where", "A post shared in my family's group chat")
    page.check("#id_consent")
    pass_the_challenge(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "ask-for-a-check-1280.png", full_page=True)
    page.click("text=Send my request")
    page.wait_for_url("**/requests/sent/?kind=check")
    assert "Your request was sent" in page.locator("main").inner_text()
    request = CheckRequest.objects.get()
    assert request.claim_text == claim.quote
    assert request.client_ip == "127.0.0.1"
    assert violations == []


def test_an_editor_groups_accepts_and_publishes_and_the_public_page_shows_it_answered(
    page, site, django_user_model
):
    text = "The harbour tunnel will carry 90,000 cars a day."
    first = CheckRequest.objects.create(claim_text=text, email="a@example.org")
    second = CheckRequest.objects.create(claim_text=text.lower(), email="b@example.org")
    claimant = Actor.objects.create(name="Harbour Tunnel Authority", kind="organization")
    Source.objects.create(title="Tunnel authority brochure", kind="press_release")
    log_in(page, site, staff_in(django_user_model, "browser-editor", "Editors"))

    # The change page suggests the duplicate (the claim matcher's similarity).
    page.goto(f"{site}/admin/reader_requests/checkrequest/{first.pk}/change/")
    assert text.lower() in page.locator(".field-similar_requests").inner_text()
    page.goto(f"{site}/admin/reader_requests/checkrequest/")
    for request in (first, second):
        page.check(f"input[name=_selected_action][value='{request.pk}']")
    page.select_option("select[name=action]", "group_duplicates")
    page.click("button[name=index]")
    assert "Grouped under" in page.locator(".messagelist").inner_text()
    second.refresh_from_db()
    assert second.duplicate_of == first

    page.goto(f"{site}/admin/reader_requests/checkrequest/{first.pk}/change/")
    page.select_option("#id_decision", "accept")
    choose(page, "id_claimant", claimant.name)
    choose(page, "id_source", "Tunnel authority brochure")
    page.fill("#id_summary", "The tunnel authority says 90,000 cars a day will use it")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/reader_requests/checkrequest/")
    first.refresh_from_db()
    claim = first.claim
    assert (first.status, claim.status) == ("accepted", Claim.Status.DRAFT)

    # The editor checks the claim and publishes it.
    evidence = Claim.objects.published().first().stance_links.first().evidence
    page.goto(f"{site}/admin/claims/claim/{claim.pk}/change/")
    choose(page, "id_verdict", "False")
    page.fill("#id_ruling", "Traffic counts on the old bridge never passed 40,000 a day.")
    choose(page, "id_stance_links-0-evidence", evidence.excerpt[:25])
    page.select_option("#id_stance_links-0-stance", "refutes")
    page.click("input[name=_continue]")
    page.wait_for_url(f"**/admin/claims/claim/{claim.pk}/change/")
    page.click("button.workflow-step:has-text('Submit for review')")
    page.wait_for_url(f"**/admin/claims/claim/{claim.pk}/change/")
    page.click("button.workflow-step:has-text('Publish')")
    page.wait_for_url(f"**/admin/claims/claim/{claim.pk}/change/")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PUBLISHED

    page.goto(f"{site}/requests/")
    answered = page.locator("section[aria-labelledby=answered-title]")
    assert text in answered.inner_text()
    assert "Asked by 2 readers" in answered.inner_text()
    answered.locator("a", has_text="Read our fact check").click()
    page.wait_for_url(f"**{claim.get_absolute_url()}")


def test_a_reader_reports_an_error_and_the_editor_resolves_it_with_a_correction(
    browser, site, django_user_model
):
    claim = Claim.objects.published().first()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    reader = context.new_page()
    reader.set_default_timeout(10_000)
    violations = csp_violations(reader)
    reader.goto(f"{site}{claim.get_absolute_url()}")
    reader.click("text=Report an error")
    reader.fill("#id_what_is_wrong", "The ruling gives the inspection's year as 2019; it was 2018.")
    reader.fill("#id_source", "https://oig.example/reports/2018-17")
    reader.check("#id_consent")
    pass_the_challenge(reader)
    reader.click("text=Send my report")
    reader.wait_for_url("**/requests/sent/**")
    assert "Your report was sent" in reader.locator("main").inner_text()
    assert violations == []
    context.close()
    report = ReportedError.objects.get()

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, site, staff_in(django_user_model, "browser-editor", "Editors"))
    page.goto(f"{site}/admin/claims/claim/{claim.pk}/change/")
    assert "it was 2018" in page.locator("#reported_errors-group").inner_text()
    page.fill("#id_ruling", claim.ruling + " (Inspected in 2018.)")
    page.fill("#id_correction_note", "We gave the wrong year of the inspection.")
    page.click("input[name=_continue]")
    page.wait_for_url(f"**/admin/claims/claim/{claim.pk}/change/")
    correction = Correction.objects.get(claim=claim)
    page.select_option("#id_reported_errors-0-status", "corrected")
    page.select_option("#id_reported_errors-0-correction", str(correction.pk))
    page.click("input[name=_continue]")
    page.wait_for_url(f"**/admin/claims/claim/{claim.pk}/change/")
    report.refresh_from_db()
    assert (report.status, report.correction) == ("corrected", correction)

    page.goto(f"{site}/corrections/")
    text = page.locator("main").inner_text()
    assert "Readers reported 1 error in our published fact checks; we resolved 1" in text
    assert "We gave the wrong year of the inspection." in text
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_new_pages_have_no_axe_violations(browser, site, width, django_user_model):
    claim = Claim.objects.published().first()
    editor = staff_in(django_user_model, "axe-editor", "Editors")
    CheckRequest.objects.create(claim_text="Declined claim").decline("An opinion.", by=editor)
    answered = CheckRequest.objects.create(claim_text="Answered claim")
    CheckRequest.group([answered, CheckRequest.objects.create(claim_text="Answered claim")])
    answered.answer(claim, by=editor)
    # axe is added as an inline script, which the site's Content-Security-Policy refuses.
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    ARTIFACTS.mkdir(exist_ok=True)
    failures = {}

    def check(name):
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']})"
        )
        if result["violations"]:
            failures[name] = [
                (v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
            ]
        page.screenshot(path=ARTIFACTS / f"{name}-{width}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name

    for name, path in {
        "requests": "/requests/",
        "ask": "/requests/ask/",
        "report-error": f"/requests/report-error/{claim.pk}/",
        "request-sent": "/requests/sent/?kind=check",
        "corrections-with-reports": "/corrections/",
    }.items():
        page.goto(f"{site}{path}")
        check(name)
    # The form with matches beside it, and with its errors.
    page.goto(f"{site}/requests/ask/")
    page.fill("#id_claim_text", claim.quote)
    page.locator("#matches .claim-card").first.wait_for()
    check("ask-with-matches")
    page.click("text=Send my request")
    page.locator(".notice-error, .field-error").first.wait_for()
    check("ask-refused")
    context.close()
    assert failures == {}
