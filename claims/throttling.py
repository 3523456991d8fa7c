"""The rate limit on the public search (``/claims/?q=...``): a full-text query is the costliest
thing a reader can ask for, and anyone can ask for thousands of different ones.

Only searches count, per client address (config/client_ip.py), in the cache that the API's
throttles use, with DRF's machinery and syntax (``SEARCH_THROTTLE = "30/minute"``). A search
answered from the public cache (claims/cache.py) never reaches the view and does not count:
it costs no query, and a popular search shared on social media must keep working for everyone
behind one address (a newsroom, a school). Varying the words to miss the cache is what costs,
and every such request counts.
"""

import functools
import math

from django.conf import settings
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from rest_framework.throttling import SimpleRateThrottle

from claims.cache import HTMX_HEADERS
from config.client_ip import client_ip


class SearchThrottle(SimpleRateThrottle):
    scope = "search"

    def get_rate(self):
        return settings.SEARCH_THROTTLE or None  # empty: no limit

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


class TextCheckThrottle(SearchThrottle):
    """Texts checked at ``/check-text/``: each is a search per sentence."""

    scope = "check_text"

    def get_rate(self):
        return settings.CHECK_TEXT_THROTTLE or None


def retry_after(throttle, request, view=None):
    """Counts ``request`` against ``throttle``; None when it may be served now, else the
    whole seconds until it may."""
    if throttle.allow_request(request, view):
        return None
    return math.ceil(throttle.wait() or 1)


def throttle_searches(view):
    """Answer a search over the rate with a 429 page that says when to come back. Put it
    outside the view's cache decorators: a refusal must not be cached as the page."""

    @functools.wraps(view)
    def throttled_view(request, *args, **kwargs):
        if request.GET.get("q", "").strip():
            wait = retry_after(SearchThrottle(), request, view)
            if wait is not None:
                return too_many_searches(request, wait)
        return view(request, *args, **kwargs)

    return throttled_view


def too_many_searches(request, retry_after):
    response = render(request, "429.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    patch_vary_headers(response, HTMX_HEADERS)  # it differs for htmx, as the list does
    if request.htmx:
        # htmx swaps no error responses: have the browser load the page, and so this message.
        response["HX-Redirect"] = request.get_full_path()
    return response
