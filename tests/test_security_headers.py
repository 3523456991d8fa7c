"""Content-Security-Policy and Permissions-Policy on every kind of response: reader pages,
the admin, the API and its docs, feeds, errors, cache hits. The browser test
(tests/test_browser.py) checks that nothing on those pages is refused by the policy."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


@pytest.fixture
def paths(make):
    claim = make.claim(topics=[make.topic()])
    return {
        "home": "/",
        "claim list": "/claims/?q=words",
        "claim": claim.get_absolute_url(),
        "topic": f"/topics/{claim.topics.get().slug}/",
        "404 page": "/no-such-page/",
        "admin login": "/admin/login/",
        "API list": "/api/v1/claims/",
        "API detail": f"/api/v1/claims/{claim.pk}/",
        "API 404": "/api/v1/claims/999999/",
        "API docs": "/api/docs/",
        "API docs script": "/api/docs/?script=",
        "schema": "/api/schema/",
        "feed": "/feeds/claims/",
        "health": "/healthz",
        "redirect": f"/claims/{claim.pk}/",
    }


def test_every_response_carries_the_policy_and_nothing_unsafe(client, paths):
    headers = {name: client.get(path).headers for name, path in paths.items()}
    assert {name: h.get("Content-Security-Policy") for name, h in headers.items()} == dict.fromkeys(
        paths, POLICY
    )
    assert not [name for name, h in headers.items() if "Content-Security-Policy-Report-Only" in h]
    assert "unsafe-" not in POLICY
    permissions = {h["Permissions-Policy"] for h in headers.values()}
    assert len(permissions) == 1
    assert {"camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"} <= set(
        permissions.pop().split(", ")
    )


def test_signed_in_admin_pages_and_cache_hits_carry_it_too(client, admin_user, make):
    claim = make.claim()
    assert client.get("/claims/")["X-Cache"] == "miss"
    assert client.get("/claims/")["X-Cache"] == "hit"
    assert client.get("/claims/")["Content-Security-Policy"] == POLICY
    client.force_login(admin_user)
    for path in ("/admin/", "/admin/claims/claim/", f"/admin/claims/claim/{claim.pk}/change/"):
        response = client.get(path)
        assert response.status_code == 200
        assert response["Content-Security-Policy"] == POLICY


def test_api_docs_have_no_inline_script_or_style(client):
    page = client.get("/api/docs/").content.decode()
    assert "<style" not in page
    assert "<script>" not in page  # each script has a src, the set-up one included
    assert '<script src="/api/docs/?script="></script>' in page
    script = client.get("/api/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle(" in script.content


def htmx_config(page):
    return json.loads(re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", page)[1])


def test_pages_turn_off_htmx_inline_indicator_styles(client, editor):
    assert htmx_config(client.get("/").content.decode())["includeIndicatorStyles"] is False
    # The admin's claim form uses htmx too (its similar-claims suggestions).
    client.force_login(editor)
    for path in ("/admin/claims/claim/add/", "/admin/claims/claim/"):
        page = client.get(path).content.decode()
        assert htmx_config(page)["includeIndicatorStyles"] is False
        assert page.index('name="htmx-config"') < page.index("htmx.min.js")


def test_report_only_sends_the_same_policy_without_enforcing_it(client, settings):
    settings.SECURE_CSP_REPORT_ONLY = settings.SECURE_CSP
    settings.SECURE_CSP = {}
    response = client.get("/")
    assert response["Content-Security-Policy-Report-Only"] == POLICY
    assert "Content-Security-Policy" not in response


@pytest.mark.parametrize(("value", "enforced", "reported"), [("", True, False), ("1", False, True)])
def test_csp_report_only_environment_switch(value, enforced, reported):
    code = (
        "import config.settings as s;"
        "print(bool(getattr(s, 'SECURE_CSP', {})), bool(getattr(s, 'SECURE_CSP_REPORT_ONLY', {})))"
    )
    env = {**os.environ, "CSP_REPORT_ONLY": value}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == [str(enforced), str(reported)]
