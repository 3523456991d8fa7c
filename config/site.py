"""Where absolute URLs come from: one rule for every one the site writes.

In answer to a request, the address the request came to: its scheme (behind a TLS proxy,
``X-Forwarded-Proto``) and its host (checked against ``ALLOWED_HOSTS``). That is what Django
builds feeds, the sitemap and ``build_absolute_uri`` from, and DRF the API's links, so a
claim page, its ClaimReview, the API and the feeds name one address, whichever the reader
used (``make run`` on another port, a staging host). Without a request (management commands,
tasks), ``SITE_URL``, which should name the same address in production.
"""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path, request=None):
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL.rstrip("/") + path


def site_domain(request=None):
    """The site's host name without ``www.``: the ``site`` of claims:search's publisher."""
    host = urlsplit(absolute_url("/", request)).hostname or ""
    return host.removeprefix("www.")
