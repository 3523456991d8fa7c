"""The background jobs of this project's own apps (webhook deliveries are in
``webhooks.tasks``). Each is a Django task (``django.tasks``): enqueued with ``.enqueue()``,
stored by django-tasks-db, run by the worker (``manage.py worker``). Arguments are ids and
plain values, never model instances: a job's input must survive in the queue as JSON."""

import re
import tempfile
from datetime import timedelta
from io import StringIO

from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.tasks import task
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from claims.signals import recheck_quotes_against
from jobs.models import ClaimImport
from jobs.progress import report
from sources.links import check_sources, forget_removed_links, with_links
from sources.models import Source

# Links checked at the same time by one link-check job.
LINK_CHECK_WORKERS = 4
LINK_CHECK_TIMEOUT = 10.0


@task(takes_context=True)
def check_links(context, source_ids=None):
    """Check the links of ``source_ids``, or else of the ``LINK_CHECK_BATCH`` sources whose
    links are due (never checked, or not for ``LINK_CHECK_EVERY_HOURS``); then, for the
    recurring run, schedule the next one."""
    if source_ids is None:
        forget_removed_links()
        due = timezone.now() - timedelta(hours=settings.LINK_CHECK_EVERY_HOURS)
        sources = with_links().filter(Q(links_checked_at=None) | Q(links_checked_at__lt=due))
        sources = with_links().filter(
            pk__in=list(sources.values_list("pk", flat=True)[: settings.LINK_CHECK_BATCH])
        )
    else:
        sources = with_links().filter(pk__in=source_ids)
    try:
        checked, tally = check_sources(
            sources,
            workers=LINK_CHECK_WORKERS,
            timeout=LINK_CHECK_TIMEOUT,
            progress=lambda done, total: report(context, done, total),
        )
    finally:
        if source_ids is None:  # even after a failure: the checks must go on
            schedule_link_checks(delay=settings.LINK_CHECK_PAUSE_SECONDS)
    return {"links": checked, **tally}


def _schedule(recurring, delay):
    """Enqueue the recurring task ``recurring`` ``delay`` seconds from now, unless one is
    waiting already. Only on a backend that can run a job later (the worker's); the worker
    calls this when it starts, and each run schedules the next."""
    if not recurring.get_backend().supports_defer:
        return None
    waiting = DBTaskResult.objects.filter(
        task_path=recurring.module_path, status=TaskResultStatus.READY
    )
    if waiting.exists():
        return None
    return recurring.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue()


def schedule_link_checks(delay=0):
    return _schedule(check_links, delay)


@task
def export_open_data():
    """The nightly open-data dump (``manage.py export_dump``); then the next night's."""
    try:
        call_command("export_dump", stdout=StringIO())
    finally:  # a failed night leaves the previous dump served, and tries again the next
        schedule_open_data_dump()


def schedule_open_data_dump(delay=None):
    """Enqueue the open-data dump for the next ``OPEN_DATA_DUMP_HOUR`` (UTC), or ``delay``
    seconds from now."""
    if delay is None:
        now = timezone.now()
        next_run = now.replace(hour=settings.OPEN_DATA_DUMP_HOUR, minute=0, second=0)
        if next_run <= now:
            next_run += timedelta(days=1)
        delay = (next_run - now).total_seconds()
    return _schedule(export_open_data, delay)


class _ImportLog(StringIO):
    """import_claims' stderr, read as it is written: its progress lines ("import [###---]
    200/1,000 ...") become the job's progress, its "line N: rejected: why" lines the
    import's rejected rows."""

    PROGRESS = re.compile(r"^import \[[#-]*\] ([\d,]+)/([\d,]+)")
    REJECTED = re.compile(r"^line (\d+): rejected(?: with its batch)?: (.*)$")

    def __init__(self, context, claim_import):
        super().__init__()
        self.context, self.claim_import = context, claim_import

    def write(self, text):
        for line in text.strip("\r\n").splitlines():
            if match := self.PROGRESS.match(line):
                done, total = (int(n.replace(",", "")) for n in match.groups())
                report(self.context, done, total)
            elif match := self.REJECTED.match(line):
                self.claim_import.rejected.append(
                    {"line": int(match[1]), "reason": match[2].strip()}
                )
        return super().write(text)


@task(takes_context=True)
def import_claims(context, import_id):
    """Import an uploaded file (a ``ClaimImport``) with ``manage.py import_claims``, as the
    editor who uploaded it (their editorial role applies to changes of existing claims)."""
    claim_import = ClaimImport.objects.select_related("uploaded_by").get(pk=import_id)
    claim_import.status = ClaimImport.Status.RUNNING
    claim_import.job_id = str(context.task_result.id)
    claim_import.rejected, claim_import.summary, claim_import.error = [], "", ""
    claim_import.finished_at = None
    claim_import.save()
    log, out = _ImportLog(context, claim_import), StringIO()
    try:
        # The command reads a file: the stored content is written to a temporary one.
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".import") as file:
            file.write(claim_import.content)
            file.flush()
            call_command(
                "import_claims",
                file.name,
                format=claim_import.format,
                user=claim_import.uploaded_by.get_username(),
                stdout=out,
                stderr=log,
            )
    except CommandError as error:
        claim_import.status, claim_import.error = ClaimImport.Status.FAILED, str(error)
        raise
    except BaseException as error:
        claim_import.status = ClaimImport.Status.FAILED
        claim_import.error = f"{type(error).__name__}: {error}"
        raise
    else:
        claim_import.status = ClaimImport.Status.DONE
        claim_import.summary = out.getvalue().strip()
    finally:
        claim_import.finished_at = timezone.now()
        claim_import.save()
    return {"summary": claim_import.summary, "rejected": len(claim_import.rejected)}


@task
def recheck_quotes(source_ids):
    """Recheck the quotes checked against these sources' text, after their text changed in
    bulk (``sources.bulk.texts_changed``): one job for many sources, not one save each."""

    for source in Source.objects.filter(pk__in=source_ids):
        recheck_quotes_against(source)
    return {"sources": len(source_ids)}
