"""What every reader's submission passes (a check request or an error report, by a page or the
API): a per-address rate limit, a honeypot field and a proof-of-work challenge (ALTCHA), with
length limits on each field of the forms and serializers themselves.

The challenge is ALTCHA's (the ``altcha`` package here, its widget vendored in static/): the
browser finds by brute force a counter whose SHA-256 the server chose, at a cost of up to
``READER_REQUEST_CHALLENGE_WORK`` hashes; no third party is asked. A solution is accepted once
(it is remembered in the cache until its challenge expires), so one solved challenge cannot
carry a flood. Tests solve it in Python (``solve``) or turn it off
(``READER_REQUEST_CHALLENGE = False``).
"""

import hashlib
import math
import secrets
import time

import altcha
from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle

from config.client_ip import client_ip

# The field a bot fills and a person never sees (hidden from sight and from screen readers).
HONEYPOT = "website"
# The field the widget puts its solution in.
CHALLENGE_FIELD = "altcha"
CHALLENGE_SECONDS = 20 * 60
ALGORITHM = "SHA-256"


def _secret(purpose):
    return hashlib.sha256(f"reader-requests:{purpose}:{settings.SECRET_KEY}".encode()).hexdigest()


def new_challenge():
    """A signed challenge, as the widget (and an API client) fetches it: JSON-ready."""
    challenge = altcha.create_challenge(
        ALGORITHM,
        1,  # one hash per counter: the work is the counter's range
        counter=secrets.randbelow(max(settings.READER_REQUEST_CHALLENGE_WORK, 1)),
        expires_at=int(time.time()) + CHALLENGE_SECONDS,
        hmac_secret=_secret("challenge"),
        hmac_key_secret=_secret("key"),
    )
    return challenge.to_dict()


def solve(challenge):
    """The payload a browser would send for ``challenge`` (``new_challenge()``): for tests
    and API clients written in Python."""
    import base64
    import json

    parsed = altcha.Challenge.from_dict(challenge)
    solution = altcha.solve_challenge(parsed)
    payload = {"challenge": challenge, "solution": solution.to_dict()}
    return base64.b64encode(json.dumps(payload).encode()).decode()


def challenge_refusal(payload):
    """Why ``payload`` (the widget's base64 solution) is refused, or "" when it is good. A
    good payload is spent: the same solution is refused the second time."""
    if not settings.READER_REQUEST_CHALLENGE:
        return ""
    if not payload:
        return (
            "The anti-spam check did not run. It needs JavaScript: please turn it on, wait "
            "for the check to finish, and send again."
        )
    result = altcha.verify_solution(payload, _secret("challenge"), hmac_key_secret=_secret("key"))
    if result.expired:
        return "The anti-spam check expired. Please let it run again, then send."
    if not result.verified:
        return "The anti-spam check failed. Please let it run again, then send."
    key = "reader-requests:spent:" + hashlib.sha256(payload.encode()).hexdigest()
    if not cache.add(key, 1, timeout=CHALLENGE_SECONDS):
        return "This anti-spam check was already used. Please let it run again, then send."
    return ""


def honeypot_refusal(value):
    if value:
        return "This looks like an automated submission, so it was not sent."
    return ""


class SubmissionThrottle(SimpleRateThrottle):
    """Submissions per client address, check requests and error reports together, pages and
    API together, in the cache the API's throttles use."""

    scope = "reader-requests"

    def get_rate(self):
        return settings.READER_REQUEST_THROTTLE or None

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


def rate_refusal(request):
    """(a friendly message, the seconds to wait), or None when this submission may go on. Only
    submissions that passed every other check count."""
    throttle = SubmissionThrottle()
    if throttle.allow_request(request, None):
        return None
    wait = math.ceil(throttle.wait() or 60)
    minutes = max(1, math.ceil(wait / 60))
    return (
        "You have sent several requests in a short time, thank you! To keep spam out we take "
        f"a few per hour from one address. Please send this one again in about {minutes} "
        f"minute{'s' if minutes != 1 else ''}: nothing you typed is lost.",
        wait,
    )
