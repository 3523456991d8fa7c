"""Whole-response caching of public pages and API reads for anonymous readers.

Every cached response is filed under a *generation* number kept in the cache itself. Any
write to the data readers see (a save or delete of a claims or sources model, a change of a
many-to-many, ``Claim.touch``, bulk imports and generation) bumps it, so the next request
misses and renders fresh: no stale page survives a change, and there is no list of keys to
find and delete. Editors (a session cookie) and API clients that authenticate bypass the
cache, so they always see their own writes. Works with any Django cache backend: Redis in
production (shared by every web node), local memory in development and tests.
"""

import time

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import get_cache_key, learn_cache_key

GENERATION_KEY = "public-cache-generation"
CACHED_APPS = ("claims", "sources", "trust", "archives")
# What a view asks of the middleware outside this one, on the response: a policy of its own
# (django.views.decorators.csp), no X-Frame-Options (xframe_options_exempt). A cached copy
# keeps them, so a hit gets the headers the miss got (embeds.views.frameable).
OUTER_MIDDLEWARE_MARKS = ("_csp_config", "_csp_ro_config", "xframe_options_exempt")
# Values kept per generation (counts) outlive a cached page: they are retired by the next
# write, not by time, and expire only so that old generations' keys do not pile up.
PER_GENERATION_SECONDS = 24 * 3600


def generation():
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = time.time_ns()
        cache.add(GENERATION_KEY, value, timeout=None)
        value = cache.get(GENERATION_KEY, value)
    return value


def request_generation(request):
    """The generation as this request first read it: one cache read per request, however
    many parts of it ask (the cache middleware, the claim page's ETag)."""
    if not hasattr(request, "_public_cache_generation"):
        request._public_cache_generation = generation()
    return request._public_cache_generation


def per_generation(name, compute, request=None):
    """``compute()``, once per cache generation: the same until the next write to what readers
    see. For figures that cost the database the same on every request although they change
    only with a write, such as the count of every public claim."""
    current = request_generation(request) if request is not None else generation()
    key = f"public:{current}:value:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=PER_GENERATION_SECONDS)
    return value


def public_count(published, request=None):
    """The number of rows of ``published``, a model's whole public set (its ``published()``,
    unfiltered), once per generation: an unfiltered list's "N claims" would otherwise count
    every public row on every request."""
    return per_generation(f"count:{published.model._meta.label_lower}", published.count, request)


def _retire():
    cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def bump(**kwargs):
    """Retire every cached public response (a signal receiver, or called directly): now, and
    again once the write's transaction commits, because a reader served between the two saw
    the old rows and may have cached them under the new generation."""
    _retire()
    transaction.on_commit(_retire)


def connect_signals():
    for model in apps.get_models():
        if model._meta.app_label in CACHED_APPS:
            post_save.connect(bump, sender=model, dispatch_uid=f"cache-save-{model._meta}")
            post_delete.connect(bump, sender=model, dispatch_uid=f"cache-del-{model._meta}")
    m2m_changed.connect(bump, dispatch_uid="cache-m2m")


class PublicCacheMiddleware:
    """Serve GET and HEAD requests of anonymous readers from the cache; store successful
    responses that set no cookie and are not marked private or uncacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def cacheable(self, request):
        return (
            settings.PUBLIC_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
        )

    def __call__(self, request):
        if not self.cacheable(request):
            return self.get_response(request)
        # htmx requests get a fragment of the same URL: a key of their own.
        htmx = "htmx" if request.headers.get("HX-Request") else ""
        prefix = f"public:{request_generation(request)}:{htmx}"
        key = get_cache_key(request, prefix, "GET", cache=cache)
        response = cache.get(key) if key else None
        if response is not None:
            response["X-Cache"] = "hit"
            return response
        response = self.get_response(request)
        timeout = settings.PUBLIC_CACHE_SECONDS
        cache_control = response.get("Cache-Control", "")
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in cache_control
            and "no-store" not in cache_control
            and "no-cache" not in cache_control
        ):
            key = learn_cache_key(request, response, timeout, prefix, cache=cache)
            # A plain copy: a DRF or template response drags its context into the pickle.
            copy = HttpResponse(response.content, headers=response.items())
            for name in OUTER_MIDDLEWARE_MARKS:
                if hasattr(response, name):
                    setattr(copy, name, getattr(response, name))
            cache.set(key, copy, timeout)
        response["X-Cache"] = "miss"
        return response
