"""Checking sources' links (their URL and archive URL) and recording what each answered.

Links rot: a reader who follows "original" to a 404 loses trust in the fact check. Each link
is asked with a HEAD request (a GET when the server refuses HEAD), a few at a time, and the
HTTP status, or the error when there was no answer, is stored on the source; the admin lists
the sources whose links are broken. Only the link statuses change (no history-worthy edit,
and ``updated_at`` stays as it was). Two doors: ``manage.py check_links`` checks every
source now; the background job ``jobs.tasks.check_links`` checks a few at a time, the least
recently checked first.
"""

import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from sources.models import Source

# Servers that do not implement HEAD, or refuse it, say so with one of these.
HEAD_REFUSED = {403, 405, 501}
LINK_FIELDS = {"url": "url_status", "archive_url": "archive_url_status"}
STATUS_MAX_LENGTH = Source._meta.get_field("url_status").max_length


class _SameMethodRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects with the method asked for: urllib turns a redirected HEAD into a
    GET, which would download every redirected page."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        request = super().redirect_request(req, fp, code, msg, headers, newurl)
        if request is not None:
            request.method = req.get_method()
        return request


_opener = urllib.request.build_opener(_SameMethodRedirects)


def _ask(url, method, timeout):
    request = urllib.request.Request(
        url,
        method=method,
        headers={"User-Agent": f"{settings.SITE_NAME} link checker ({settings.SITE_URL})"},
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def check_link(url, timeout):
    """What ``url`` answers, after redirects: ``(status code, None)``, or ``(None, error)``
    when it gives no HTTP answer (no such host, refused, timed out)."""
    if not url.lower().startswith(("http://", "https://")):
        return None, "not an http(s) URL"
    try:
        status = _ask(url, "HEAD", timeout)
        if status in HEAD_REFUSED:
            status = _ask(url, "GET", timeout)
    except urllib.error.URLError as error:
        reason = error.reason
        return None, str(reason if not isinstance(reason, OSError) else reason.strerror or reason)
    except (OSError, ValueError) as error:  # timeouts, resets, malformed URLs
        return None, str(error) or type(error).__name__
    return status, None


def forget_removed_links():
    """Clear the statuses of sources that no longer have a link: they would read as current."""
    Source.objects.filter(url="", archive_url="").exclude(links_checked_at=None).update(
        url_status="", archive_url_status="", links_checked_at=None
    )


def with_links():
    """The sources that have a link to check, the least recently checked (or never) first."""
    return Source.objects.exclude(url="", archive_url="").order_by(
        F("links_checked_at").asc(nulls_first=True), "pk"
    )


def check_sources(sources, *, workers, timeout, progress=None):
    """Check the links of ``sources`` (a queryset), ``workers`` at a time, and record each
    source's statuses as soon as all its links are in. ``progress(done, total)`` is called
    after each link. Returns ``(links checked, Counter of ok / broken / errors)``."""
    sources = {source.pk: source for source in sources.only("pk", "url", "archive_url")}
    links = [
        (source.pk, field, getattr(source, field))
        for source in sources.values()
        for field in LINK_FIELDS
        if getattr(source, field)
    ]
    pending = Counter(pk for pk, _, _ in links)
    statuses = {pk: dict.fromkeys(LINK_FIELDS.values(), "") for pk in sources}
    tally = Counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(check_link, url, timeout): (pk, field) for pk, field, url in links}
        for done, future in enumerate(as_completed(futures), start=1):
            pk, field = futures[future]
            code, error = future.result()
            if error is not None:
                tally["errors"] += 1
                status = error
            else:
                tally["ok" if Source.is_ok_status(str(code)) else "broken"] += 1
                status = str(code)
            statuses[pk][LINK_FIELDS[field]] = status[:STATUS_MAX_LENGTH]
            pending[pk] -= 1
            if not pending[pk]:  # record each source as soon as all its links are in
                Source.objects.filter(pk=pk).update(**statuses[pk], links_checked_at=timezone.now())
            if progress is not None:
                progress(done, len(links))
    return len(links), tally
