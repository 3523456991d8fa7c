"""Client addresses (config/client_ip.py): X-Forwarded-* count only when a trusted proxy wrote
them, so a client cannot choose its own address to escape a rate limit or a lockout."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory, override_settings

from config.client_ip import client_ip

ROOT = Path(__file__).resolve().parent.parent


def request_from(remote_addr, forwarded_for=None):
    meta = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("count", "forwarded_for", "expected"),
    [
        (0, None, "10.0.0.9"),
        (0, "198.51.100.7", "10.0.0.9"),  # no proxy: the header is the client's invention
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # the client's own entry is skipped
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (2, "198.51.100.7", "10.0.0.9"),  # fewer entries than proxies: not through them all
        (1, None, "10.0.0.9"),
        (1, "not-an-address", "10.0.0.9"),
        (1, " 2001:db8::1 ", "2001:db8::1"),
    ],
)
def test_client_ip(settings, count, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(request_from("10.0.0.9", forwarded_for)) == expected


def let_through_with_spoofed_addresses(client):
    """Exhaust the anonymous API throttle from one address, then send 80 requests each
    claiming another address in X-Forwarded-For: how many are answered?"""
    for _ in range(5):
        assert client.get("/api/v1/verdicts/").status_code == 200
    assert client.get("/api/v1/verdicts/").status_code == 429
    spoofed = [
        client.get("/api/v1/verdicts/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(80)
    ]
    return spoofed.count(200)


@pytest.fixture
def strict_api_throttle(settings, db):
    settings.PUBLIC_CACHE_SECONDS = 0  # every request reaches the API and its throttle
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "5/minute", "user": "5/minute"},
    }


def test_spoofed_forwarded_for_does_not_escape_the_api_throttle(client, strict_api_throttle):
    # Before config/client_ip.py, DRF took the whole header as the address: 80 of 80 passed.
    assert let_through_with_spoofed_addresses(client) == 0


def test_behind_one_proxy_the_address_it_saw_is_throttled(client, settings, strict_api_throttle):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(5):
        assert client.get("/api/v1/verdicts/", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    refused = client.get("/api/v1/verdicts/", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    assert refused.status_code == 429
    # A client prepending addresses of its own is still the one the proxy saw ...
    prepended = "203.0.113.1, 198.51.100.7"
    assert (
        client.get("/api/v1/verdicts/", HTTP_X_FORWARDED_FOR=prepended, **proxy).status_code == 429
    )
    # ... while another client behind the same proxy has its own allowance.
    other = client.get("/api/v1/verdicts/", HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy)
    assert other.status_code == 200


def proxy_ssl_header(**env):
    """SECURE_PROXY_SSL_HEADER as config/settings.py sets it from ``env``."""
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.SECURE_PROXY_SSL_HEADER)"],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:  # not set at all: Django's default, None
        assert "has no attribute 'SECURE_PROXY_SSL_HEADER'" in result.stderr
        return None
    return ast.literal_eval(result.stdout.strip())


@pytest.mark.parametrize(("count", "secure"), [("0", False), ("1", True)])
def test_x_forwarded_proto_is_believed_only_behind_a_proxy(count, secure):
    header = proxy_ssl_header(TRUSTED_PROXY_COUNT=count)
    request = RequestFactory().get("/", HTTP_X_FORWARDED_PROTO="https")
    with override_settings(SECURE_PROXY_SSL_HEADER=header):
        assert request.is_secure() is secure
