"""``manage.py check_links`` against a local HTTP server started here: nothing but 127.0.0.1
is ever contacted."""

import http.server
import io
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from sources.models import Source

pytestmark = pytest.mark.django_db

SLOW_SECONDS = 2
TIMEOUT = 0.5


class Handler(http.server.BaseHTTPRequestHandler):
    """/ok answers 200, /missing 404, /moved redirects to /ok, /slow answers after
    SLOW_SECONDS, /no-head refuses HEAD (405) but answers GET."""

    def do_HEAD(self):
        if self.path == "/no-head":
            self.answer(405)
        else:
            self.do_GET()

    def do_GET(self):
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path == "/slow":
            time.sleep(SLOW_SECONDS)
        self.answer(404 if self.path == "/missing" else 200)

    def answer(self, status):
        self.server.requests.append((self.command, self.path))
        body = b"hello" if self.command == "GET" else b""
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server(monkeypatch):
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)  # straight to 127.0.0.1, never via a proxy
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.requests = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    httpd.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def check_links(**options):
    out, err = io.StringIO(), io.StringIO()
    call_command("check_links", timeout=TIMEOUT, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_statuses_are_recorded_and_summarised(make, server):
    base = server.base
    fine = make.source(url=f"{base}/ok", archive_url=f"{base}/moved")
    missing = make.source(url=f"{base}/missing")
    slow = make.source(url=f"{base}/slow", archive_url=f"{base}/no-head")
    unlinked = make.source()

    out, err = check_links(workers=4)

    assert "Checked 5 links on 3 sources: 3 ok, 1 broken, 1 errors." in out
    assert "Checked 5/5 links" in err
    fine.refresh_from_db()
    assert (fine.url_status, fine.archive_url_status) == ("200", "200")
    assert fine.links_checked_at is not None
    missing.refresh_from_db()
    assert missing.url_status == "404"
    slow.refresh_from_db()
    assert "timed out" in slow.url_status
    assert slow.archive_url_status == "200"
    assert ("GET", "/no-head") in server.requests  # HEAD was refused, GET asked instead
    assert ("GET", "/ok") not in server.requests  # the redirect was followed with HEAD
    unlinked.refresh_from_db()
    assert unlinked.links_checked_at is None
    assert set(Source.objects.with_broken_links()) == {missing, slow}


def test_a_removed_link_loses_its_old_status(make, server):
    source = make.source(url=f"{server.base}/missing")
    check_links()
    source.url = ""
    source.save()
    check_links()
    assert not Source.objects.with_broken_links().exists()


def test_admin_lists_broken_links(editor_client, make, server):
    make.source(title="Fine article", url=f"{server.base}/ok")
    make.source(title="Gone article", url=f"{server.base}/missing")
    make.source(title="Never checked")
    check_links()
    url = reverse("admin:sources_source_changelist")
    page = editor_client.get(url, {"links": "broken"}).content.decode()
    assert "Gone article" in page
    assert "broken: URL 404" in page
    assert "Fine article" not in page
    assert "Never checked" not in page
    everything = editor_client.get(url).content.decode()
    assert "Fine article" in everything and ">ok<" in everything


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"workers": 0}, "--workers must be between 1 and 64"),
        ({"workers": 1000}, "--workers must be between 1 and 64"),
        ({"timeout": 0}, "--timeout must be a positive number"),
        ({"timeout": -3}, "--timeout must be a positive number"),
    ],
)
def test_bad_arguments_are_refused_clearly(db, options, message):
    with pytest.raises(CommandError, match=message):
        call_command("check_links", **options)


def test_a_non_number_is_refused_by_the_parser(db):
    with pytest.raises(CommandError, match="invalid int value"):
        call_command("check_links", "--workers", "many")
