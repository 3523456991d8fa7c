"""The curation admin in a real browser (Playwright driving Debian's Chromium), at a laptop's
1280 px: what editors see and do where the fault would be in the browser. Screenshots land in
test-artifacts/ for people to look at."""

import pytest

from claims.models import Claim
from sources.models import Source
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
