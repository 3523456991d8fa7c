"""An archived copy in a real browser (Playwright driving Debian's Chromium): the original
page has inline and external scripts, an external style sheet, images, a frame and a video
poster on the original site; the copy shows the article, no script runs, and the browser
asks the original site for nothing: neither Playwright's record of every request nor the
original site's own log shows one. Proven twice: as served, and with the sanitizer switched
off, so that the response's own Content-Security-Policy and the sandboxed frame are shown to
hold by themselves."""

import pytest

from archives import content, services
from tests import test_browser
from tests.archive_server import OriginalSite
from tests.test_browser import ARTIFACTS

browser, page = test_browser.browser, test_browser.page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def site(live_server, settings, tmp_path):
    # Instead of the reader site's fixture: no demo data is needed here.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ARCHIVE_ALLOW_PRIVATE_ADDRESSES = True
    return live_server.url


@pytest.fixture
def original():
    with OriginalSite() as original:
        yield original


@pytest.fixture
def snapshot(site, original, make):
    source = make.source(url=original.url("/article"))
    make.claim(source=source)
    # No transaction around this call: the snapshot is taken at once (ImmediateBackend).
    (snapshot,) = services.archive([source])
    snapshot.refresh_from_db()
    assert snapshot.status == snapshot.Status.TAKEN, snapshot.error
    original.log.clear()
    return snapshot


def open_copy(page, site, snapshot):
    """Open the copy's page; return its frame, the URL of every request the browser began,
    and {URL: why} of those that failed."""
    requests, failed = [], {}
    page.on("request", lambda request: requests.append(request.url))
    page.on("requestfailed", lambda request: failed.update({request.url: request.failure}))
    page.goto(f"{site}{snapshot.get_absolute_url()}")
    frame = page.frame_locator("iframe.archived-page")
    frame.locator("h1").wait_for()
    page.wait_for_load_state("networkidle")
    return frame, requests, failed


@pytest.mark.parametrize("sanitized", [True, False], ids=["as-served", "sanitizer-off"])
def test_the_archived_copy_runs_nothing_and_asks_the_original_site_for_nothing(
    page, site, snapshot, original, monkeypatch, sanitized
):
    if not sanitized:
        # The page exactly as fetched, scripts and all: only the CSP and the sandbox remain.
        monkeypatch.setattr(content, "inert_html", lambda page: content.decode(page))
    frame, requests, failed = open_copy(page, site, snapshot)
    assert frame.locator("h1").inner_text() == "Inspectors found expired food"
    assert "SCRIPT RAN" not in frame.locator("body").inner_text()
    assert page.title().startswith("Archived copy:")
    to_original = [url for url in requests if url.startswith(original.url(""))]
    if sanitized:
        # Nothing in the copy names the original site: the browser never tries.
        assert to_original == []
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "archived-copy.png", full_page=True)
    else:
        # The unsanitized page's images and style sheets are refused by the copy's own policy
        # before they leave the browser; its scripts (inline and external) and its frame are
        # never even tried, since the sandbox runs no script.
        assert sorted(to_original) == [
            original.url(path)
            for path in (
                "/absolute-photo.png",
                "/absolute-style.css",
                "/background.png",
                "/poster.png",
            )
        ]
        assert {failed[url] for url in to_original} == {"csp"}
        assert not any(url.endswith(("/tracker.js", "/beacon", "/frame.html")) for url in requests)
    # And the original site's own log: not one request reached it.
    assert original.log == []
