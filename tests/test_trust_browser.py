"""The trust pages and the embeddable card in a real browser: no axe-core violations at both
widths, and the card framed by another site while a claim page refuses to be. Screenshots
land in test-artifacts/."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from claims.models import Claim
from tests.test_browser import ARTIFACTS, axe_violations, browser, site  # noqa: F401
from trust.models import Funder, StaffProfile

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def claim(site, django_user_model):  # noqa: F811
    user = django_user_model.objects.create_user("pat", first_name="Pat", last_name="Reyes")
    StaffProfile.objects.create(
        user=user,
        name="Pat Reyes",
        role="Fact-checker",
        bio="Covers detention.",
        public_profile=True,
    )
    Funder.objects.create(name="A Foundation", year=2026, amount=5000, amount_to=10000)
    return Claim.objects.published().filter(status=Claim.Status.PUBLISHED).first()


@pytest.mark.parametrize("width", [1280, 390])
def test_trust_pages_and_the_card_have_no_axe_violations(browser, site, claim, width):  # noqa: F811
    # axe is added as an inline script, which the site's Content-Security-Policy refuses.
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    ARTIFACTS.mkdir(exist_ok=True)
    paths = {
        "about": "/about/",
        "funding": "/funding/",
        "team": "/team/",
        "profile": "/team/pat-reyes/",
        "corrections-policy": "/corrections-policy/",
        "contact": "/contact/",
        "methodology": "/methodology/",
        "embed": f"/embed/claims/{claim.pk}/",
    }
    failures = {}
    for name, path in paths.items():
        assert page.goto(f"{site}{path}").status == 200, path
        if found := axe_violations(page):
            failures[name] = found
        page.screenshot(path=ARTIFACTS / f"trust-{name}-{width}.png", full_page=True)
    context.close()
    assert failures == {}


@pytest.fixture
def partner():
    """Another site (another origin: a server of its own on another port) whose article is
    set with ``partner.article = html``."""

    class Article(BaseHTTPRequestHandler):
        def do_GET(self):
            body = server.article.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Article)
    server.url = f"http://127.0.0.1:{server.server_port}/article"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_another_site_frames_the_card_but_not_a_claim_page(browser, site, claim, partner):  # noqa: F811
    partner.article = (
        "<!doctype html><html lang='en'><title>Partner</title><h1>Partner article</h1>"
        f"<iframe id='card' title='Fact check' src='{site}/embed/claims/{claim.pk}/' "
        "width='560' height='400'></iframe>"
        f"<iframe id='page' title='Claim' src='{site}{claim.get_absolute_url()}'></iframe>"
    )
    context = browser.new_context(viewport={"width": 800, "height": 900})
    page = context.new_page()
    page.goto(partner.url)
    card = page.frame_locator("#card")
    assert card.locator("h1").inner_text() == claim.summary
    assert card.get_by_role("link", name="Read the full fact check").count() == 1
    page.wait_for_timeout(500)
    # Chromium shows its error page in place of a document that refuses to be framed.
    urls = [frame.url for frame in page.frames]
    assert len(urls) == 3 and urls[1].startswith(site), urls
    assert urls[2].startswith("chrome-error://"), urls
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "trust-embed-framed.png", full_page=True)
    context.close()
