"""Background jobs end to end on the database backend, run by django-tasks-db's worker loop
on the test database: link checks, imports uploaded in the admin, quote rechecks after a
bulk change of sources' text; the jobs list, its retry action, and who may see it. Only
127.0.0.1 is contacted."""

import gzip
import http.server
import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from archives.models import Snapshot
from claims import open_data
from claims.models import Claim, QuoteCheck
from jobs.models import ClaimImport
from jobs.tasks import check_links, schedule_link_checks, schedule_open_data_dump
from sources.bulk import set_texts
from sources.models import Source
from tests.archive_server import OriginalSite

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class Pages(http.server.BaseHTTPRequestHandler):
    """/missing answers 404, anything else 200."""

    def do_HEAD(self):
        self.send_response(404 if self.path == "/missing" else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def jobs(name):
    return DBTaskResult.objects.filter(task_path__endswith=f".{name}")


def test_link_checks_run_on_the_worker_a_few_at_a_time_and_schedule_the_next(
    worker, make, site, settings
):
    settings.LINK_CHECK_BATCH = 2
    good = make.source(url=f"{site}/ok")
    broken = make.source(url=f"{site}/missing")
    later = make.source(url=f"{site}/later")
    schedule_link_checks()
    assert jobs("check_links").get().status == "READY"
    for source in (good, broken, later):  # enqueued, not run: nothing is checked yet
        source.refresh_from_db()
        assert source.links_checked_at is None

    worker()

    first = jobs("check_links").order_by("enqueued_at").first()
    assert first.status == "SUCCESSFUL"
    assert first.return_value == {"links": 2, "ok": 1, "broken": 1}
    assert (first.progress.done, first.progress.total) == (2, 2)
    good.refresh_from_db()
    broken.refresh_from_db()
    later.refresh_from_db()
    assert (good.url_status, broken.url_status, later.url_status) == ("200", "404", "")
    # The next run is scheduled, LINK_CHECK_PAUSE_SECONDS later: it checks the third.
    waiting = jobs("check_links").get(status="READY")
    assert waiting.run_after > first.finished_at
    waiting.run_after = first.finished_at
    waiting.save()
    worker()
    later.refresh_from_db()
    assert later.url_status == "200"


def test_check_links_command_still_checks_everything_at_once(make, site):
    from django.core.management import call_command

    sources = [make.source(url=f"{site}/page{n}") for n in range(3)]
    call_command("check_links", verbosity=0)
    assert {Source.objects.get(pk=s.pk).url_status for s in sources} == {"200"}


CSV = (
    "quote,summary,claimant,verdict,said_on\n"
    "The first imported quote.,First,An agency,False,2024-01-02\n"
    "A quote with a verdict nobody has.,Purple,An agency,Purple,2024-01-03\n"
    "The second imported quote.,Second,A union,True,not a date\n"
    "The third imported quote.,Third,A union,True,2024-01-04\n"
)


def upload(client, content, name="claims.csv", format="auto"):
    return client.post(
        reverse("admin:jobs_claimimport_add"),
        {"format": format, "file": SimpleUploadedFile(name, content.encode(), "text/csv")},
        follow=True,
    )


def test_an_import_uploaded_in_the_admin_runs_on_the_worker_and_shows_its_rejected_rows(
    worker, editor_client
):
    response = upload(editor_client, CSV)
    assert response.status_code == 200
    claim_import = ClaimImport.objects.get()
    assert claim_import.status == ClaimImport.Status.QUEUED
    assert not Claim.objects.filter(quote__contains="imported").exists()  # not in the request

    worker()

    claim_import.refresh_from_db()
    assert claim_import.status == ClaimImport.Status.DONE
    assert claim_import.rejected == [
        {"line": 3, "reason": "unknown verdict 'Purple'"},
        {"line": 4, "reason": "said_on is not a date: 'not a date'"},
    ]
    imported = Claim.objects.filter(quote__contains="imported")
    assert sorted(imported.values_list("quote", flat=True)) == [
        "The first imported quote.",
        "The third imported quote.",
    ]
    assert {claim.status for claim in imported} == {Claim.Status.DRAFT}
    assert "added 2 claims" in claim_import.summary

    page = editor_client.get(reverse("admin:jobs_claimimport_change", args=[claim_import.pk]))
    text = page.content.decode()
    assert "unknown verdict &#x27;Purple&#x27;" in text
    assert "2 of 2 rows saved" in text
    assert "Successful" in text  # the link to its job
    listing = editor_client.get(reverse("admin:jobs_claimimport_changelist")).content.decode()
    assert "claims.csv" in listing and "Done" in listing


def test_a_file_that_is_not_valid_fails_its_job_and_keeps_its_content(worker, editor_client):
    upload(editor_client, '[{"@type": "ClaimReview", ', name="broken.json")
    worker()
    claim_import = ClaimImport.objects.get()
    assert claim_import.status == ClaimImport.Status.FAILED
    assert "is not valid claimreview" in claim_import.error
    assert claim_import.content == '[{"@type": "ClaimReview", '
    job = jobs("import_claims").get()
    assert job.status == "FAILED"
    listing = editor_client.get(reverse("admin:jobs_job_changelist")).content.decode()
    assert "import claims" in listing and "CommandError" in listing


def test_retry_runs_a_failed_job_again_with_the_same_input(worker, editor_client):
    upload(editor_client, CSV)
    with mock.patch("jobs.tasks.call_command", side_effect=OperationalError("database is busy")):
        worker()
    claim_import = ClaimImport.objects.get()
    assert claim_import.status == ClaimImport.Status.FAILED
    assert "database is busy" in claim_import.error
    failed = jobs("import_claims").get()
    assert failed.status == "FAILED"

    response = editor_client.post(
        reverse("admin:jobs_job_changelist"),
        {"action": "retry", "_selected_action": [str(failed.pk)]},
        follow=True,
    )
    assert "1 job(s) enqueued again." in response.content.decode()
    worker()

    retried = jobs("import_claims").exclude(pk=failed.pk).get()
    assert retried.status == "SUCCESSFUL"
    assert retried.args_kwargs == failed.args_kwargs
    claim_import.refresh_from_db()
    assert claim_import.status == ClaimImport.Status.DONE
    assert claim_import.job_id == str(retried.pk)
    assert Claim.objects.filter(quote__contains="imported").count() == 2
    assert jobs("import_claims").get(pk=failed.pk).status == "FAILED"  # still listed


def test_quotes_are_rechecked_in_a_job_after_a_bulk_change_of_texts(worker, make):
    source = make.source(text="Nothing of the kind was said here.")
    other = make.source(text="Nor here.")
    claim = make.claim(
        source=source, quote="The facilities beat most local jails.", status=Claim.Status.DRAFT
    )
    assert claim.quote_check == QuoteCheck.NO_MATCH

    set_texts(
        {
            source.pk: "The agency wrote: The facilities beat most local jails.",
            other.pk: "Nor here.",  # unchanged: not rechecked
        }
    )
    job = jobs("recheck_quotes").get()
    assert job.args_kwargs["args"] == [[source.pk]]
    claim.refresh_from_db()
    assert claim.quote_check == QuoteCheck.NO_MATCH  # not yet: the worker does it

    worker()

    claim.refresh_from_db()
    assert claim.quote_check == QuoteCheck.MATCH
    assert jobs("recheck_quotes").get().status == "SUCCESSFUL"
    source.refresh_from_db()
    assert source.history.first().text.startswith("The agency wrote")


def test_only_editors_see_jobs_and_imports(worker, client, editor, fact_checker):
    urls = [
        reverse("admin:jobs_job_changelist"),
        reverse("admin:jobs_claimimport_changelist"),
        reverse("admin:jobs_claimimport_add"),
    ]
    client.force_login(fact_checker)
    assert [client.get(url).status_code for url in urls] == [403, 403, 403]
    client.force_login(editor)
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]


def test_the_jobs_list_costs_the_same_queries_for_few_or_many_jobs(worker, editor_client, make):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert editor_client.get(reverse("admin:jobs_job_changelist")).status_code == 200
        return len(ctx)

    check_links.enqueue(source_ids=[])
    worker()
    few = queries()
    for _ in range(10):
        check_links.enqueue(source_ids=[])
    worker()
    assert queries() == few


@pytest.mark.django_db(transaction=False)
def test_docker_compose_runs_the_worker_from_the_web_image_with_its_environment():
    from pathlib import Path

    import yaml

    compose = yaml.safe_load((Path(__file__).parent.parent / "docker-compose.yml").read_text())
    web, worker = compose["services"]["web"], compose["services"]["worker"]
    assert worker["build"] == web["build"] == "."
    assert worker["environment"] == web["environment"]
    assert worker["command"] == ["python", "manage.py", "worker"]
    assert worker["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert worker["restart"] == "unless-stopped"


def test_the_open_data_dump_runs_on_the_worker_and_schedules_the_next_night(
    worker, make, settings, tmp_path
):
    settings.OPEN_DATA_DIR = tmp_path / "open-data"
    settings.OPEN_DATA_DUMP_HOUR = 3
    make.claim(summary="A fact check in the nightly dump")
    schedule_open_data_dump(delay=0)

    worker()

    first = jobs("export_open_data").get(status="SUCCESSFUL")
    with gzip.open(settings.OPEN_DATA_DIR / open_data.CSV, "rt") as dump:
        assert "A fact check in the nightly dump" in dump.read()
    # The next night's, at OPEN_DATA_DUMP_HOUR (UTC): waiting, not run by this worker loop.
    waiting = jobs("export_open_data").get(status="READY")
    assert waiting.run_after > first.finished_at
    assert (waiting.run_after.hour, waiting.run_after.minute) == (3, 0)
    assert waiting.run_after - first.finished_at <= timedelta(days=1)


def test_archiving_on_publication_runs_on_the_worker(
    worker, make, editor_client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ARCHIVE_ALLOW_PRIVATE_ADDRESSES = True  # the original site is on 127.0.0.1
    settings.ARCHIVE_ON_PUBLISH = True
    with OriginalSite() as original:
        claim = make.claim(
            status=Claim.Status.IN_REVIEW, source=make.source(url=original.url("/article"))
        )
        editor_client.post(
            reverse("admin:claims_claim_changelist"),
            {"action": "publish", "_selected_action": [claim.pk]},
        )
        # The request only asked: the page is fetched by the worker.
        snapshot = Snapshot.objects.get(source=claim.source)
        assert snapshot.status == Snapshot.Status.WAITING
        assert jobs("take_snapshot").get().status == "READY"

        worker()

    snapshot.refresh_from_db()
    assert snapshot.status == Snapshot.Status.TAKEN, snapshot.error
    assert snapshot.sha256 and snapshot.text
    assert jobs("take_snapshot").get().status == "SUCCESSFUL"
