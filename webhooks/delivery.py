"""Sending one delivery: the signed POST, on a connection to an allowed address only.

The signature (docs/api.md, "Webhooks"): ``Counterclaim-Signature: t=<unix time>,v1=<hex>``,
where ``<hex>`` is HMAC-SHA256 with the endpoint's secret over ``<unix time>.<body>``. The
time is signed with the body so a captured delivery cannot be replayed later: receivers
refuse a ``t`` older than a few minutes. Redirects are not followed (a redirect could point
anywhere); a partner answers at the registered URL.
"""

import hashlib
import hmac
import http.client
import json
import time
from urllib.parse import urlsplit

from django.conf import settings

from webhooks.addresses import is_allowed_address

SIGNATURE_HEADER = "Counterclaim-Signature"
EXCERPT_CHARS = 1000


def signature(secret, timestamp, body):
    """The ``Counterclaim-Signature`` header's value for ``body`` (bytes) sent at
    ``timestamp`` (whole seconds since the epoch)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


class RefusedAddress(OSError):
    """The partner's host resolved to an address webhooks may not be sent to."""


class _CheckedConnection:
    """Checks the address the socket actually connected to, before anything is sent on it."""

    def connect(self):
        super().connect()
        address = self.sock.getpeername()[0]
        if not is_allowed_address(address):
            self.close()
            raise RefusedAddress(f"refused: {self.host} is at {address}, not a public address")


class _HTTPConnection(_CheckedConnection, http.client.HTTPConnection):
    pass


class _HTTPSConnection(_CheckedConnection, http.client.HTTPSConnection):
    pass


def post(url, payload, *, secret, headers):
    """POST ``payload`` as signed JSON to ``url``. Returns ``(status code or None,
    excerpt of the answer, error or "", milliseconds taken)``; never raises for the
    partner's failures (no answer, refused address, timeout)."""
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    parts = urlsplit(url)
    connection_class = _HTTPSConnection if parts.scheme == "https" else _HTTPConnection
    connection = connection_class(
        parts.hostname, parts.port, timeout=settings.WEBHOOK_TIMEOUT_SECONDS
    )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    started = time.monotonic()
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": f"{settings.SITE_NAME} webhooks ({settings.SITE_URL})",
                SIGNATURE_HEADER: signature(secret, int(time.time()), body),
                **headers,
            },
        )
        response = connection.getresponse()
        excerpt = response.read(EXCERPT_CHARS).decode("utf-8", errors="replace")
        status, error = response.status, ""
    except (OSError, http.client.HTTPException) as exc:  # refused, reset, timed out, TLS
        status, excerpt, error = None, "", (str(exc) or type(exc).__name__)[:300]
    finally:
        connection.close()
    return status, excerpt, error, round((time.monotonic() - started) * 1000)
