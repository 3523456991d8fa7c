"""The reader site in a real browser: Playwright driving Debian's Chromium, axe-core for
accessibility. Screenshots of every page type land in test-artifacts/ for people to look at."""

import base64
import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections

from claims.models import Claim, Topic
from tests.conftest import Make

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"

if not (shutil.which(CHROMIUM) and AXE.exists()):
    # CI installs both (.ci/run); elsewhere say what is missing rather than pass silently.
    reason = f"browser tests need {CHROMIUM} (apt-get install chromium) and {AXE} (npm ci)"
    if os.environ.get("CI"):
        raise RuntimeError(reason)
    pytest.skip(reason, allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def site(live_server):
    call_command("load_demo", verbosity=0)
    return live_server.url


@pytest.fixture
def browser(site, monkeypatch):
    """A fresh Chromium for each test, started after the test database is set up: Playwright's
    sync API keeps an event loop running, and Django must not see it while it prepares or
    restores the database."""
    # The ORM calls the tests make while the loop runs are synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
        # Close the connections the test opened while the loop ran, so that the test
        # database can be dropped at the end of the session.
        connections.close_all()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_filtering_updates_results_and_url_in_place_and_back_works(page, site):
    page.goto(f"{site}/claims/")
    page.evaluate("window.notReloaded = true")
    total = page.locator(".result-count").inner_text()
    topic = Topic.objects.published().order_by("name").first()
    page.click("summary:has-text('Filter and sort')")
    with page.expect_response(lambda r: "topic=" in r.url):
        page.select_option("#id_topic", topic.slug)
    page.wait_for_url(f"**/claims/?*topic={topic.slug}*")
    filtered = page.locator(".result-count").inner_text()
    assert filtered != total
    assert page.evaluate("window.notReloaded") is True  # updated in place, no reload
    count = Claim.objects.published().filter(topics=topic).count()
    assert page.locator("#results .claim-card").count() == count
    page.go_back()
    page.wait_for_url(f"{site}/claims/")
    page.wait_for_function(
        "expected => document.querySelector('.result-count').innerText === expected", arg=total
    )


def test_back_restores_the_filters_beside_their_results_and_addresses_hold_only_them(page, site):
    first, second = Topic.objects.published().order_by("name")[:2]
    page.goto(f"{site}/claims/")
    page.click("summary:has-text('Filter and sort')")

    def choose(action, *args, address):
        with page.expect_response(lambda r: r.url == f"{site}{address}" or "topic=" in r.url):
            action(*args)
        page.wait_for_url(f"{site}{address}")  # exactly: no empty parameters

    choose(page.select_option, "#id_topic", first.slug, address=f"/claims/?topic={first.slug}")
    page.fill("#id_q", "officers")
    choose(page.press, "#id_q", "Enter", address=f"/claims/?q=officers&topic={first.slug}")
    choose(
        page.select_option,
        "#id_topic",
        second.slug,
        address=f"/claims/?q=officers&topic={second.slug}",
    )
    results = page.locator(".result-count").inner_text()

    page.go_back()
    page.wait_for_url(f"{site}/claims/?q=officers&topic={first.slug}")
    page.wait_for_function("() => document.querySelector('#id_q').value === 'officers'")
    assert page.input_value("#id_topic") == first.slug
    page.go_back()
    page.wait_for_url(f"{site}/claims/?topic={first.slug}")
    page.wait_for_function("() => document.querySelector('#id_q').value === ''")
    assert page.input_value("#id_topic") == first.slug
    page.go_forward()
    page.go_forward()
    page.wait_for_url(f"{site}/claims/?q=officers&topic={second.slug}")
    page.wait_for_function(f"() => document.querySelector('#id_topic').value === '{second.slug}'")
    assert page.input_value("#id_q") == "officers"
    assert page.locator(".result-count").inner_text() == results


def test_search_without_javascript_is_a_plain_get(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/claims/")
    page.fill("#id_q", "jails")
    page.click("form#claim-filters button[type=submit]")
    page.wait_for_url("**/claims/?q=jails*")
    assert "matching “jails”" in page.locator(".result-count").inner_text()
    context.close()


def test_open_a_claim_and_follow_an_evidence_link(page, site):
    page.goto(f"{site}/claims/")
    first = page.locator("#results .claim-card-title a").first
    title = first.inner_text()
    first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == title
    evidence_link = page.locator(".evidence-side .evidence .meta a").first
    label = evidence_link.inner_text()
    evidence_link.click()
    page.wait_for_load_state()
    assert label in page.locator("h1").inner_text()


def test_keyboard_only_reader_skips_to_content_and_opens_a_claim(page, site):
    page.goto(f"{site}/claims/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # Tab on until the first claim link has focus, then open it with Enter.
    target = page.locator("#results .claim-card-title a").first.get_attribute("href")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == target:
            break
    else:
        pytest.fail("the first claim link never got keyboard focus")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{target}")


def page_types():
    claim = Claim.objects.published().select_related("claimant", "source").first()
    topic = Topic.objects.published().first()
    return {
        "home": "/",
        "list": "/claims/?q=ice",
        "claim": claim.get_absolute_url(),
        "claimant": f"/claimants/{claim.claimant.slug}/",
        "source": f"/sources/{claim.source.pk}/{claim.source.slug}/",
        "topic": f"/topics/{topic.slug}/",
        "methodology": "/methodology/",
        "about": "/about/",
        "not-found": "/claims/999999/missing/",
    }


@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_type_has_no_axe_violations(browser, site, width):
    # axe is added as an inline script, which the site's Content-Security-Policy refuses.
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    ARTIFACTS.mkdir(exist_ok=True)
    failures = {}
    for name, path in page_types().items():
        page.goto(f"{site}{path}")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']})"
        )
        if result["violations"]:
            failures[name] = [
                (v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
            ]
        page.screenshot(path=ARTIFACTS / f"{name}-{width}.png", full_page=True)
    context.close()
    assert failures == {}


def test_claim_page_is_side_by_side_on_wide_screens_and_stacked_on_phones(browser, site):
    path = page_types()["claim"]
    positions = {}
    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(f"{site}{path}")
        claim_box = page.locator(".claim-side").bounding_box()
        evidence_box = page.locator(".evidence-side").bounding_box()
        positions[width] = (claim_box, evidence_box)
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
        context.close()
    wide_claim, wide_evidence = positions[1280]
    assert wide_evidence["x"] > wide_claim["x"] + wide_claim["width"] - 1
    narrow_claim, narrow_evidence = positions[390]
    assert narrow_evidence["y"] >= narrow_claim["y"] + narrow_claim["height"] - 1


# Every Content-Security-Policy violation the page reports, by event and in the console (where
# Chromium also reports what no event covers, e.g. a blocked inline style in a shadow root).
RECORD_CSP_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", event => {
  window.cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile}:${event.lineNumber}`);
});
"""


def test_no_page_violates_the_content_security_policy(browser, site, django_user_model):
    """Reader pages, the admin an editor works in and the API docs load under the policy, and
    nothing on them (htmx, the admin's scripts, Swagger UI) is refused by it."""
    claim = Claim.objects.published().first()
    django_user_model.objects.create_superuser("csp-admin", "csp@example.com", "a-long-password")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if "Content Security Policy" in message.text or "Permissions-Policy" in message.text
            else None
        ),
    )

    def visit(path, ready="main, #content"):
        response = page.goto(f"{site}{path}")
        page.wait_for_selector(ready)
        return response

    def collect(name, response):
        violations[name] = page.evaluate("window.cspViolations") + console[:]
        console.clear()
        headers[name] = response.headers.get("content-security-policy", "")

    violations, headers = {}, {}
    for name, path in page_types().items():
        collect(name, visit(path))
    # htmx swaps a filtered list into the page: still nothing refused.
    response = visit("/claims/")
    page.click("summary:has-text('Filter and sort')")
    with page.expect_response(lambda r: "topic=" in r.url):
        page.select_option("#id_topic", Topic.objects.published().first().slug)
    page.wait_for_url("**/claims/?*topic=*")
    collect("list-filtered-by-htmx", response)

    collect("admin-login", visit("/admin/login/"))
    page.fill("#id_username", "csp-admin")
    page.fill("#id_password", "a-long-password")
    page.click("input[type=submit]")
    page.wait_for_url(f"{site}/admin/")
    admin_pages = {
        "admin-changelist": "/admin/claims/claim/",
        "admin-change-form": f"/admin/claims/claim/{claim.pk}/change/",
        "admin-add-form": "/admin/claims/claim/add/",
        "admin-history": f"/admin/claims/claim/{claim.pk}/history/",
        "two-factor-setup": "/account/two-factor/",  # the QR code is inline SVG
    }
    for name, path in admin_pages.items():
        collect(name, visit(path))
    response = visit("/api/docs/", ready=".swagger-ui .opblock")
    page.click(".opblock-summary-get >> nth=0")  # an operation opened, its examples shown
    page.wait_for_selector(".opblock-body .responses-wrapper")
    collect("api-docs", response)
    page.screenshot(path=ARTIFACTS / "api-docs.png", full_page=False)
    context.close()

    assert {name: found for name, found in violations.items() if found} == {}
    assert len(violations) == 17  # every page was visited
    assert [name for name, header in headers.items() if "default-src 'self'" not in header] == []


def axe_violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']})"
    )
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


def test_refusals_and_two_factor_setup_read_well(browser, site, settings, django_user_model):
    """The pages that refuse (too many searches, a login lockout) and two-factor setup: what
    they say, no axe violations, and screenshots in test-artifacts/."""
    from django_otp.oath import totp

    from tests.conftest import staff_in

    settings.SEARCH_THROTTLE = "1/minute"
    staff_in(django_user_model, "editor", "Editors")
    ARTIFACTS.mkdir(exist_ok=True)
    failures = {}
    # axe is added as an inline script, which the site's Content-Security-Policy refuses.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()

    page.goto(f"{site}/claims/?q=detention")
    assert page.goto(f"{site}/claims/?q=inspection").status == 429
    assert page.get_by_role("heading", name="Too many searches").is_visible()
    failures["too-many-searches"] = axe_violations(page)
    page.screenshot(path=ARTIFACTS / "too-many-searches.png", full_page=True)

    page.goto(f"{site}/admin/login/?next=/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.get_by_role("link", name="Two-factor sign-in").click()
    assert page.locator("svg.qr-code").is_visible()
    failures["two-factor-setup"] = axe_violations(page)
    page.screenshot(path=ARTIFACTS / "two-factor-setup.png", full_page=True)
    page.fill("#id_otp_token", f"{totp(base64.b32decode(page.locator('code').inner_text())):06d}")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    assert page.get_by_text("Two-factor sign-in is on").is_visible()

    other = browser.new_context(viewport={"width": 390, "height": 900}, bypass_csp=True).new_page()
    for attempt in range(5):
        other.goto(f"{site}/admin/login/")
        other.fill("#id_username", "editor")
        other.fill("#id_password", f"wrong-{attempt}")
        other.click("input[type=submit]")
    assert other.get_by_role("heading", name="Too many failed logins").is_visible()
    failures["lockout"] = axe_violations(other)
    other.screenshot(path=ARTIFACTS / "lockout-390.png", full_page=True)
    context.close()
    assert {name: found for name, found in failures.items() if found} == {}


CHECKED_TEXT = (
    "The mayor spoke at length on Tuesday. Our employees are being protested, threatened and "
    "unfairly attacked, she said.\n\nShe added that many jurisdictions continue to refuse to "
    "work with HSI because of a perceived linkage to the politics of civil immigration. The "
    "weather was lovely and the crowd was large."
)


@pytest.mark.parametrize("javascript", [True, False])
def test_check_text_marks_the_checked_sentences_and_reads_well(browser, site, javascript):
    """A reader pastes a speech: with htmx the results replace the form in place, without
    JavaScript the form posts; either way two sentences are marked and linked, and the page
    has no axe violations on a desktop or a phone."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1280, 390):
        context = browser.new_context(
            viewport={"width": width, "height": 900}, java_script_enabled=javascript
        )
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{site}/")
        page.get_by_role("link", name="Check a text").click()
        page.get_by_label("Text to check").fill(CHECKED_TEXT)
        page.get_by_role("button", name="Check the text").click()
        page.wait_for_selector(".check-results")
        assert page.locator(".checked-text mark").count() == 2
        assert page.get_by_role("heading", name="2 sentences fact-checked").is_visible()
        assert page.locator(".match-list a[href^='/claims/']").count() == 2
        assert page.get_by_label("Text to check").input_value() == CHECKED_TEXT
        assert page.url.endswith("/check-text/")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=ARTIFACTS / f"check-text-{width}.png", full_page=True)
        if javascript:  # axe runs as a script
            context.close()
            context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
            page = context.new_page()
            page.goto(f"{site}/check-text/")
            page.get_by_label("Text to check").fill(CHECKED_TEXT)
            page.get_by_role("button", name="Check the text").click()
            page.wait_for_selector(".check-results")
            assert axe_violations(page) == []
        context.close()


def test_check_text_over_the_rate_says_so_in_place_with_the_text_kept(browser, site, settings):
    settings.CHECK_TEXT_THROTTLE = "1/minute"
    page = browser.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{site}/check-text/")
    page.get_by_label("Text to check").fill(CHECKED_TEXT)
    page.get_by_role("button", name="Check the text").click()
    page.wait_for_selector(".check-results")
    page.get_by_label("Text to check").fill(CHECKED_TEXT + " One more.")
    page.get_by_role("button", name="Check the text").click()
    page.get_by_role("alert").filter(has_text="Please try again in").wait_for()
    assert page.get_by_label("Text to check").input_value() == CHECKED_TEXT + " One more."
    assert page.locator(".check-results").count() == 0


def test_paging_the_list_swaps_the_results_in_place_and_back_returns(page, site):
    make = Make()
    for n in range(25):  # more than a page, with the demo's claims
        make.claim(summary=f"Paging claim {n}")
    page.goto(f"{site}/claims/")
    page.evaluate("window.notReloaded = true")
    with page.expect_response(lambda r: "page=2" in r.url):
        page.click(".pagination a[rel=next]")
    page.wait_for_url(f"{site}/claims/?page=2")
    assert page.locator(".pagination span").inner_text().startswith("Page 2 of")
    assert page.evaluate("window.notReloaded") is True  # the results swapped, no reload
    page.go_back()
    page.wait_for_url(f"{site}/claims/")
    page.wait_for_function(
        "() => document.querySelector('.pagination span').innerText.startsWith('Page 1 of')"
    )
