"""The live server the browser tests drive: a page's requests overlap (htmx fragments while
a form posts), and each must be answered as a real server would answer it."""

import http.cookiejar
import re
import threading
import urllib.parse
import urllib.request

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def site(live_server):
    call_command("load_demo", verbosity=0)
    return live_server.url


def sign_in_attempts(site, statuses):
    """Failed sign-ins through the admin's form: each POST writes (the attempt is logged)."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    for n in range(2):
        with opener.open(f"{site}/admin/login/", timeout=30) as response:
            token = re.search(
                r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode()
            )
        form = {"csrfmiddlewaretoken": token[1], "username": f"nobody{n}", "password": "wrong"}
        request = urllib.request.Request(
            f"{site}/admin/login/",
            data=urllib.parse.urlencode(form).encode(),
            headers={"Referer": f"{site}/admin/login/"},
        )
        with opener.open(request, timeout=30) as response:
            statuses.append(response.status)


def reads(site, statuses):
    for path in ["/claims/?q=ice", "/check-text/", "/api/v1/claims/", "/"] * 3:
        with urllib.request.urlopen(f"{site}{path}", timeout=30) as response:
            statuses.append(response.status)


def test_overlapping_requests_are_all_answered(site):
    statuses = []
    threads = [
        threading.Thread(target=work, args=(site, statuses))
        for work in [sign_in_attempts, reads, sign_in_attempts, reads]
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * (2 * 2 + 2 * 12)
