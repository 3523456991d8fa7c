"""The curation admin in a real browser (Playwright driving Debian's Chromium), at a laptop's
1280 px: what editors see and do where the fault would be in the browser. Screenshots land in
test-artifacts/ for people to look at."""

import re

import pytest

from claims.models import Claim
from sources.models import Actor, Source
from tests import test_browser
from tests.conftest import staff_in
from tests.test_browser import ARTIFACTS

# The browser tests' fixtures: Chromium, a 1280 x 900 page, the live server with the demo.
browser, page, site = test_browser.browser, test_browser.page, test_browser.site

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-long-test-password"  # what tests.conftest.staff_in gives every user


def log_in(page, site, user):
    """Sign in through the admin's own login form, as a person would."""
    page.goto(f"{site}/admin/login/?next=/admin/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form [type=submit]")
    page.wait_for_url(f"{site}/admin/")


@pytest.fixture
def editor_page(page, site, django_user_model):
    log_in(page, site, staff_in(django_user_model, "browser-editor", "Editors"))
    return page


def test_claim_list_shows_the_triage_columns_at_1280_px(editor_page, site):
    page = editor_page
    page.goto(f"{site}/admin/claims/claim/")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "admin-claim-list-1280.png")
    results = page.locator("#changelist .results").bounding_box()
    right = min(results["x"] + results["width"], 1280)
    for column in ("verdict", "status", "quote_check", "said_on"):
        header = page.locator(f"#result_list th.column-{column}").bounding_box()
        assert header is not None, column
        assert header["x"] + header["width"] <= right + 1, column
    # Nothing is hidden in a sideways scroll of the results either.
    assert page.evaluate(
        "(el => el.scrollWidth <= el.clientWidth)(document.querySelector('#changelist .results'))"
    )
    assert Claim.objects.count() > 20  # the demo's long summaries are what was tested


def test_an_actors_slug_follows_its_name_as_it_is_typed(editor_page, site):
    page = editor_page
    page.goto(f"{site}/admin/sources/actor/add/")
    page.locator("#id_name").press_sequentially("Border Patrol Union Local 2544")
    assert page.input_value("#id_slug") == "border-patrol-union-local-2544"


def test_a_sources_stored_text_opens_in_a_page_tall_box(editor_page, site):
    page = editor_page
    source = Source.objects.exclude(text="").first()
    page.goto(f"{site}/admin/sources/source/{source.pk}/change/")
    page.click("summary:has-text('Stored text')")
    box = page.locator("#id_text").bounding_box()
    assert box["height"] >= 400
    page.screenshot(path=ARTIFACTS / "admin-source-text-1280.png")


def choose(page, select_id, text):
    """Pick ``text`` in one of the admin's autocomplete (select2) fields."""
    page.locator(f"#{select_id} + .select2").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    option = re.compile(rf"^\s*{re.escape(text)}")  # "True", not "Mostly true"
    page.locator(".select2-results__option", has_text=option).first.click()


def test_from_a_new_source_to_a_published_claim_with_the_pages_buttons(
    browser, site, django_user_model
):
    """A fact-checker adds a source with its evidence, quotes a claim from it and submits it
    for review; an editor publishes it; readers see it. Only the change forms' buttons."""
    checker = staff_in(django_user_model, "browser-checker", "Fact-checkers")
    editor = staff_in(django_user_model, "browser-editor", "Editors")
    Actor.objects.create(name="Harbor County Sheriff", kind=Actor.Kind.ORGANIZATION)
    ARTIFACTS.mkdir(exist_ok=True)

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, site, checker)
    page.goto(f"{site}/admin/sources/source/add/")
    page.fill("#id_title", "Harbor County jail inspection report")
    page.select_option("#id_kind", "government_report")
    page.click("text=Add another Evidence drawn from this source")
    page.fill("#id_evidence-0-excerpt", "Inspectors counted 41 beds for 63 detainees.")
    page.click("input[name=_save]")
    page.wait_for_url(f"{site}/admin/sources/source/")

    page.goto(f"{site}/admin/claims/claim/add/")
    page.fill("#id_quote", "Nobody in our jail sleeps on the floor.")
    choose(page, "id_claimant", "Harbor County Sheriff")
    choose(page, "id_source", "Harbor County jail inspection report")
    page.fill("#id_summary", "The county sheriff says no detainee sleeps on the floor")
    choose(page, "id_verdict", "False")
    page.fill("#id_ruling", "The county's own inspectors counted fewer beds than detainees.")
    choose(page, "id_stance_links-0-evidence", "Inspectors counted 41 beds")
    page.select_option("#id_stance_links-0-stance", "refutes")
    page.click("input[name=_continue]")
    page.wait_for_url("**/admin/claims/claim/*/change/")
    claim = Claim.objects.get(summary__startswith="The county sheriff says")
    assert claim.status == Claim.Status.DRAFT
    page.screenshot(path=ARTIFACTS / "admin-claim-draft-buttons-1280.png", full_page=True)
    page.click("button.workflow-step:has-text('Submit for review')")
    page.wait_for_url(f"**/admin/claims/claim/{claim.pk}/change/")
    assert "was submitted for review" in page.locator(".messagelist").inner_text()
    assert page.locator("button.workflow-step").count() == 0  # it is the editor's now
    context.close()

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, site, editor)
    page.goto(f"{site}/admin/claims/claim/{claim.pk}/change/")
    assert page.locator("button.workflow-step").all_inner_texts() == [
        "Send back to draft",
        "Publish",
    ]
    page.click("button.workflow-step:has-text('Publish')")
    page.wait_for_url(f"**/admin/claims/claim/{claim.pk}/change/")
    assert "was published" in page.locator(".messagelist").inner_text()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PUBLISHED
    transitions = [(t.target, t.by.username) for t in claim.transitions.order_by("at", "id")]
    assert transitions == [("in_review", "browser-checker"), ("published", "browser-editor")]

    page.goto(f"{site}{claim.get_absolute_url()}")
    assert "no detainee sleeps on the floor" in page.locator("h1").inner_text()
    assert "Inspectors counted 41 beds for 63 detainees." in page.content()
    context.close()


def test_the_workflow_buttons_hold_while_the_form_has_unsaved_edits(editor_page, site):
    page = editor_page
    claim = Claim.objects.filter(status=Claim.Status.PUBLISHED).first()
    page.goto(f"{site}/admin/claims/claim/{claim.pk}/change/")
    retract = page.locator("button.workflow-step:has-text('Retract')")
    assert retract.is_enabled()
    assert page.locator("#workflow-hint").is_hidden()
    page.fill("#id_summary", "An edit not saved yet")
    assert retract.is_disabled()
    assert page.locator("#workflow-hint").is_visible()

    page.goto(f"{site}/admin/claims/claim/{claim.pk}/change/")
    assert retract.is_enabled()
    other = "True" if claim.verdict.label != "True" else "False"
    choose(page, "id_verdict", other)  # an autocomplete's choice is an edit too
    assert retract.is_disabled()


def test_typing_a_quote_shows_the_claims_already_here_beside_it(editor_page, site):
    """The demo's claim of HSI agents, typed again in other words: it is suggested, published
    and scored, with a link to record the new words as an appearance of it; the policy
    refuses nothing on the way (htmx is set to add no inline style)."""
    page = editor_page
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    said = Claim.objects.get(quote__startswith="Many jurisdictions continue to refuse")
    page.goto(f"{site}/admin/claims/claim/add/")
    typed = (
        "Many jurisdictions still refuse to work with HSI because of the politics of immigration"
    )
    page.locator("#id_quote").press_sequentially(typed, delay=10)
    suggestion = page.locator("#quote-suggestions .suggestion").first
    suggestion.wait_for()
    assert said.summary in suggestion.inner_text()
    assert "Published" in suggestion.inner_text()
    assert re.search(r"score (0\.\d\d|1\.00)", suggestion.inner_text())
    link = suggestion.get_by_role("link", name="Record as an appearance")
    href = link.get_attribute("href")
    assert href.startswith(f"/admin/claims/appearance/add/?claim={said.pk}&quote=Many%20")
    page.screenshot(path=ARTIFACTS / "admin-claim-suggestions-1280.png")
    assert refused == []
