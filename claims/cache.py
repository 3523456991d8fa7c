"""Whole-response caching of public pages and API reads for anonymous readers, retired by
dependency keys (cache tags) rather than all at once.

Every cached response is stored with the *versions* of the tags it depends on, as they were
when the request began; a tag's version is a value kept in the same cache. A write retires a
tag by giving it a new version, and a cached response whose stored versions are no longer
current is a miss: no list of keys to find and delete, and no stale page after a change.

Three kinds of tag (``claims.dependencies`` says which write retires which):

- ``claim:<pk>``: one claim's own responses (its page with its ClaimReview JSON-LD, its API
  detail and JSON-LD). Retired when something that page shows changes: its row, its evidence
  and their sources, its claimant, corrections, counterclaims, stance links.
- ``lists``: every other public response (home, lists, search, feeds, sitemaps, topic,
  claimant and source pages, API lists) and the counts kept per version. Retired when a
  public claim enters, leaves or changes, and by any write to a source or a person.
- ``all``: everything depends on it. Retired by bulk writes that send no signals (imports,
  ``generate_data``) and by changes to the vocabulary that most pages show (topics, verdicts).

So an editor saving one claim retires that claim's responses and the lists, and every other
claim page stays cached. Editors (a session cookie) and API clients that authenticate bypass
the cache, so they always see their own writes. Works with any Django cache backend: Redis in
production (shared by every web node), local memory in development and tests.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import get_cache_key, learn_cache_key

ALL = "all"
LISTS = "lists"
TAG_KEY = "public-tag:{}"
# Values kept per version of the lists (counts) outlive a cached page: they are retired by the
# next write, not by time, and expire only so that old versions' keys do not pile up.
PER_VERSION_SECONDS = 24 * 3600
# A tag's version outlives the responses stored with it (PUBLIC_CACHE_SECONDS), and expires so
# that a million claims' tags do not stay in Redis for good: an expired tag gets a new version,
# which only turns the responses stored with the old one into misses.
TAG_SECONDS = 24 * 3600
# The headers htmx sends that change what a view answers: a fragment for the filter form's
# requests, the whole page for a boosted link or a history restore (claims.views.claim_list).
HTMX_HEADERS = ("HX-Request", "HX-Boosted", "HX-History-Restore-Request")
# What a view asks of the middleware outside this one, on the response: a policy of its own
# (django.views.decorators.csp), no X-Frame-Options (xframe_options_exempt). A cached copy
# keeps them, so a hit gets the headers the miss got (embeds.views.frameable).
OUTER_MIDDLEWARE_MARKS = ("_csp_config", "_csp_ro_config", "xframe_options_exempt")


def claim_tag(pk):
    return f"claim:{pk}"


def versions(tags):
    """{tag: version} for ``tags``, in one cache read; a tag never retired (or evicted) gets a
    version now, so a response stored under an evicted version is never current again."""
    keys = {TAG_KEY.format(tag): tag for tag in tags}
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, time.time_ns(), timeout=TAG_SECONDS)
        found |= cache.get_many(missing)
    return {tag: found.get(key) for key, tag in keys.items()}


def _request_versions(request, tags):
    """The versions of ``tags`` as this request first read them (once each per request)."""
    request = getattr(request, "_request", request)  # DRF's Request wraps Django's
    known = request.__dict__.setdefault("_public_cache_versions", {})
    if missing := [tag for tag in tags if tag not in known]:
        known.update(versions(missing))
    return {tag: known[tag] for tag in tags}


def depend_on(request, *tags):
    """Declare that this request's response shows only what ``tags`` (and ``all``) cover,
    instead of the default ``lists``: a claim's own responses call it with its tag, before
    they read the database, so that a write that lands while they render retires what they
    store. Returns the versions (for an ETag)."""
    request = getattr(request, "_request", request)
    request._public_cache_tags = (ALL, *tags)
    return _request_versions(request, request._public_cache_tags)


def claim_versions(request, pk):
    """The versions a claim's own responses depend on, for its page's ETag and the cache."""
    return depend_on(request, claim_tag(pk))


def _response_tags(request):
    return getattr(request, "_public_cache_tags", (ALL, LISTS))


def lists_version(request=None):
    """The current version of the lists (and of everything), as one string: a key for what
    stays the same until the next write to what the lists show. As this request first read
    it, with ``request``."""
    current = _request_versions(request, (ALL, LISTS)) if request is not None else None
    current = current or versions((ALL, LISTS))
    return f"{current[ALL]}:{current[LISTS]}"


def kept(key, compute):
    """``compute()``, kept under ``key``, which names the versions it depends on: a write
    gives them new versions, so nothing kept is ever stale and it expires only so that old
    versions' keys do not pile up."""
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=PER_VERSION_SECONDS)
    return value


def per_version(name, compute, request=None):
    """``compute()``, once per version of the lists: the same until the next write to what
    they show. For figures that cost the database the same on every request although they
    change only with a write, such as the count of every public claim."""
    return kept(f"public:value:{name}:{lists_version(request)}", compute)


def public_count(published, request=None):
    """The number of rows of ``published``, a model's whole public set (its ``published()``,
    unfiltered), once per version of the lists: an unfiltered list's "N claims" would
    otherwise count every public row on every request."""
    return per_version(f"count:{published.model._meta.label_lower}", published.count, request)


def _set_new_versions(keys):
    now = time.time_ns()
    cache.set_many(dict.fromkeys(keys, now), timeout=TAG_SECONDS)


def retire(tags):
    """Give ``tags`` new versions: now, and again once the write's transaction commits,
    because a reader served between the two saw the old rows and may have stored them under
    the new versions."""
    keys = [TAG_KEY.format(tag) for tag in set(tags)]
    if keys:
        _set_new_versions(keys)
        transaction.on_commit(lambda: _set_new_versions(keys))


def retire_claims(claim_ids, *, lists=True):
    """Retire the responses of the claims ``claim_ids`` and, with ``lists``, the lists."""
    retire([*(claim_tag(pk) for pk in claim_ids), *([LISTS] if lists else [])])


def bump(**kwargs):
    """Retire every cached public response (for bulk writes, which send no signals)."""
    retire([ALL])


class PublicCacheMiddleware:
    """Serve GET and HEAD requests of anonymous readers from the cache; store successful
    responses that set no cookie and are not marked private or uncacheable, with the versions
    of the tags they depend on."""

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
        # htmx requests get a fragment or the whole page of the same URL: a key for each
        # combination, whatever Vary the view remembered to send.
        htmx = ".".join("1" if request.headers.get(name) else "" for name in HTMX_HEADERS)
        prefix = f"public:{htmx}"
        key = get_cache_key(request, prefix, "GET", cache=cache)
        entry = cache.get(key) if key else None
        if entry is not None:
            stored, response = entry
            if versions(stored) == stored:
                response["X-Cache"] = "hit"
                return response
        # Read before the view reads the database: a write that lands meanwhile has retired
        # these versions, so what this request stores is already a miss.
        _request_versions(request, (ALL, LISTS))
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
            stored = _request_versions(request, _response_tags(request))
            # A plain copy: a DRF or template response drags its context into the pickle.
            copy = HttpResponse(response.content, headers=response.items())
            for name in OUTER_MIDDLEWARE_MARKS:
                if hasattr(response, name):
                    setattr(copy, name, getattr(response, name))
            cache.set(key, (stored, copy), timeout)
        response["X-Cache"] = "miss"
        return response
