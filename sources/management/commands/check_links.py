"""Check every source's URL and archive URL, and record what each answered.

Links rot: a reader who follows "original" to a 404 loses trust in the fact check. This
command asks each link with a HEAD request (a GET when the server refuses HEAD), a few links
at a time, and stores the HTTP status, or the error when there was no answer, on the source;
the admin lists the sources whose links are broken. Run it from cron; it changes nothing but
the link statuses (no history-worthy edit, and ``updated_at`` stays as it was).
"""

import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sources.models import Source

MAX_WORKERS = 64
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


class Command(BaseCommand):
    help = "Check every source URL and archive URL; record each one's status on the source."

    def add_arguments(self, parser):
        parser.add_argument(
            "--workers", type=int, default=8, help="Links checked at the same time (default 8)."
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=10.0,
            help="Seconds to wait for a server before giving up on a link (default 10).",
        )

    def handle(self, *args, workers, timeout, **options):
        if not 1 <= workers <= MAX_WORKERS:
            raise CommandError(f"--workers must be between 1 and {MAX_WORKERS}; got {workers}.")
        if not timeout > 0:
            raise CommandError(f"--timeout must be a positive number of seconds; got {timeout}.")
        show_progress = options["verbosity"] >= 1
        # Statuses of links since removed would read as current.
        Source.objects.filter(url="", archive_url="").exclude(links_checked_at=None).update(
            url_status="", archive_url_status="", links_checked_at=None
        )
        sources = {
            source.pk: source
            for source in Source.objects.exclude(url="", archive_url="").only(
                "pk", "url", "archive_url"
            )
        }
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
            futures = {
                pool.submit(check_link, url, timeout): (pk, field) for pk, field, url in links
            }
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
                    Source.objects.filter(pk=pk).update(
                        **statuses[pk], links_checked_at=timezone.now()
                    )
                if show_progress:
                    self.stderr.write(f"\rChecked {done}/{len(links)} links", ending="")
                    self.stderr.flush()
        if show_progress and links:
            self.stderr.write("")
        self.stdout.write(
            f"Checked {len(links)} links on {len(sources)} sources: {tally['ok']} ok, "
            f"{tally['broken']} broken, {tally['errors']} errors."
        )
        if tally["broken"] or tally["errors"]:
            self.stdout.write("The admin lists them: Sources, filter “link status: broken”.")
