"""Archiving sources (archives/): fetches against a local "original site"
(tests/archive_server.py) for every case the limits and rules cover, the WARC, text and hash
stored, every door that asks for a snapshot, and the archived copy as readers get it."""

import hashlib
import io
import os
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from warcio.archiveiterator import ArchiveIterator

from archives import fetch, services
from archives.models import Snapshot
from archives.tasks import take_snapshot
from claims.models import Claim, QuoteCheck
from tests.archive_server import OriginalSite
from tests.conftest import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def archive_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ARCHIVE_ALLOW_PRIVATE_ADDRESSES = True  # the original site is on 127.0.0.1
    settings.ARCHIVE_CONNECT_TIMEOUT = 1
    settings.ARCHIVE_READ_TIMEOUT = 1
    settings.ARCHIVE_TOTAL_TIMEOUT = 5
    settings.ARCHIVE_MAX_BYTES = 512 * 1024
    return settings


@pytest.fixture
def original():
    with OriginalSite() as site:
        yield site


@pytest.fixture
def archived(make, original, django_capture_on_commit_callbacks):
    """``archived(path, **source fields)``: a snapshot of the original site's ``path``, asked
    for as every door asks (``archives.services``) and taken by the task once committed."""

    def archive(path, **fields):
        source = make.source(url=original.url(path), **fields)
        with django_capture_on_commit_callbacks(execute=True):
            (snapshot,) = services.archive([source])
        snapshot.refresh_from_db()
        return snapshot

    return archive


def records(snapshot):
    with snapshot.warc.open("rb") as stream:
        return [
            (record.rec_type, record.rec_headers.get_header("WARC-Target-URI"))
            for record in ArchiveIterator(stream)
        ]


def test_a_page_is_stored_as_a_warc_with_its_main_text_and_hash(archived, original):
    snapshot = archived("/article")
    assert snapshot.status == Snapshot.Status.TAKEN, snapshot.error
    assert (snapshot.http_status, snapshot.content_type) == (200, "text/html")
    data = snapshot.warc.read()
    assert hashlib.sha256(data).hexdigest() == snapshot.sha256
    assert snapshot.size == len(data)
    assert records(snapshot) == [
        ("warcinfo", None),
        # warcio writes each pair response first, as web archives do.
        ("response", original.url("/article")),
        ("request", original.url("/article")),
    ]
    assert "inspectors found expired food in the kitchens" in " ".join(snapshot.text.split())
    assert "SCRIPT RAN" not in snapshot.text
    assert "Copyright the publisher" not in snapshot.text  # the main text, not the footer
    assert original.log == ["/robots.txt", "/article"]


def test_redirects_are_followed_and_each_hop_recorded(archived, original):
    snapshot = archived("/hop/3")
    assert snapshot.status == Snapshot.Status.TAKEN, snapshot.error
    assert snapshot.url == original.url("/hop/0")
    assert snapshot.redirects == [
        {"url": original.url("/hop/3"), "status": 301},
        {"url": original.url("/hop/2"), "status": 302},
        {"url": original.url("/hop/1"), "status": 301},
    ]
    responses = [uri for kind, uri in records(snapshot) if kind == "response"]
    assert responses == [original.url(f"/hop/{n}") for n in (3, 2, 1, 0)]


def test_too_many_redirects_fail_with_the_limit_named(archived, settings):
    settings.ARCHIVE_MAX_REDIRECTS = 2
    snapshot = archived("/hop/3")
    assert snapshot.status == Snapshot.Status.FAILED
    assert "Too many redirects: more than 2" in snapshot.error
    assert not snapshot.warc


def test_a_redirect_loop_fails(archived, original):
    snapshot = archived("/loop/a")
    assert snapshot.status == Snapshot.Status.FAILED
    assert snapshot.error == f"Redirect loop: {original.url('/loop/b')} leads back to " + (
        f"{original.url('/loop/a')}."
    )


def test_a_missing_page_fails_with_its_status(archived):
    snapshot = archived("/gone")
    assert snapshot.status == Snapshot.Status.FAILED
    assert snapshot.error == "The page answered 404 Not Found."
    assert snapshot.http_status == 404
    assert not snapshot.warc and not snapshot.sha256


def test_a_slow_page_times_out(archived):
    started = time.monotonic()
    snapshot = archived("/slow")
    assert time.monotonic() - started < 2.5  # the page takes 3 s; the read timeout is 1 s
    assert snapshot.status == Snapshot.Status.FAILED
    assert "Timed out" in snapshot.error


def test_the_total_time_limit_covers_the_whole_fetch(archived, settings):
    settings.ARCHIVE_READ_TIMEOUT = 10
    settings.ARCHIVE_TOTAL_TIMEOUT = 1
    started = time.monotonic()
    snapshot = archived("/slow")
    assert time.monotonic() - started < 2.5
    assert snapshot.status == Snapshot.Status.FAILED


@pytest.mark.parametrize("path", ["/huge", "/huge-declared"])
def test_a_page_over_the_size_limit_is_refused(archived, path):
    snapshot = archived(path)
    assert snapshot.status == Snapshot.Status.FAILED
    assert "larger than the limit of 0.524288 MB" in snapshot.error
    assert not snapshot.warc


def test_a_pdf_is_kept_as_a_warc_without_text_or_rendering(archived, client, make):
    snapshot = archived("/report.pdf")
    assert snapshot.status == Snapshot.Status.TAKEN, snapshot.error
    assert (snapshot.content_type, snapshot.text, snapshot.is_shown) == (
        "application/pdf",
        "",
        False,
    )
    assert snapshot.page().body.startswith(b"%PDF-1.4")
    make.claim(source=snapshot.source)
    page = client.get(snapshot.get_absolute_url())
    assert b"is not shown here" in page.content and b"<iframe" not in page.content
    assert client.get(reverse("archives:page", args=[snapshot.pk])).status_code == 404
    assert client.get(reverse("archives:warc", args=[snapshot.pk])).status_code == 200


def test_plain_text_is_its_own_text_and_shown_escaped(archived, client, make):
    snapshot = archived("/notes.txt")
    assert snapshot.text == "Plain notes: <b>not bold</b>."
    make.claim(source=snapshot.source)
    page = client.get(reverse("archives:page", args=[snapshot.pk]))
    assert b"&lt;b&gt;not bold&lt;/b&gt;" in page.content


def test_robots_txt_is_obeyed(archived, original, settings):
    snapshot = archived("/private/article")
    assert snapshot.status == Snapshot.Status.FAILED
    assert snapshot.error == (
        f"{original.url('')}/robots.txt does not allow CounterclaimArchiver to fetch "
        f"{original.url('/private/article')}."
    )
    assert original.log == ["/robots.txt"]  # the page itself was never asked for
    settings.ARCHIVE_RESPECT_ROBOTS = False
    assert archived("/private/article?again").status == Snapshot.Status.TAKEN


def test_private_addresses_are_refused_in_production(archived, original, settings):
    settings.ARCHIVE_ALLOW_PRIVATE_ADDRESSES = False
    snapshot = archived("/article")
    assert snapshot.status == Snapshot.Status.FAILED
    assert "127.0.0.1, a private or local address: refused" in snapshot.error
    assert original.log == []


def test_a_task_run_twice_archives_once(archived, original):
    snapshot = archived("/article")
    take_snapshot.enqueue(snapshot.pk)
    assert original.log.count("/article") == 1


# The doors: the admin's action and button, publication (admin and API), and what editors
# see of a failure.


def test_archive_now_from_the_source_list_and_page(
    editor_client, make, original, django_capture_on_commit_callbacks
):
    with_url = make.source(url=original.url("/article"))
    without = make.source()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("admin:sources_source_changelist"),
            {"action": "archive_now", "_selected_action": [with_url.pk, without.pk]},
            follow=True,
        )
    assert "1 source(s) will be archived" in response.text
    assert "1 source(s) have no URL to archive" in response.text
    assert with_url.snapshots.get().status == Snapshot.Status.TAKEN

    change = editor_client.get(reverse("admin:sources_source_change", args=[with_url.pk]))
    assert "Archive now" in change.text
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(reverse("admin:sources_source_archive", args=[with_url.pk]))
    assert with_url.snapshots.filter(status=Snapshot.Status.TAKEN).count() == 2
    assert (
        editor_client.get(reverse("admin:sources_source_archive", args=[with_url.pk])).status_code
        == 405
    )


def test_archive_now_needs_the_right_to_change_sources(client, django_user_model, make):
    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    client.force_login(viewer)
    source = make.source(url="https://example.org/a")
    response = client.post(reverse("admin:sources_source_archive", args=[source.pk]))
    assert response.status_code == 403
    assert not Snapshot.objects.exists()


def test_a_failure_is_shown_in_the_admin(archived, editor_client):
    snapshot = archived("/gone")
    source_page = editor_client.get(
        reverse("admin:sources_source_change", args=[snapshot.source.pk])
    )
    assert "The page answered 404 Not Found." in source_page.text
    listed = editor_client.get(reverse("admin:archives_snapshot_changelist") + "?status=failed")
    assert "The page answered 404 Not Found." in listed.text


@pytest.fixture
def in_review(make, original):
    """A claim in review whose source and evidence sources have URLs on the original site,
    and one more source already archived."""
    claim = make.claim(
        status=Claim.Status.IN_REVIEW, source=make.source(url=original.url("/article"))
    )
    evidence = claim.stance_links.get().evidence
    evidence.source.url = original.url("/notes.txt")
    evidence.source.save()
    return claim


def test_publishing_archives_the_sources_without_a_snapshot(
    in_review, editor_client, settings, original, django_capture_on_commit_callbacks
):
    settings.ARCHIVE_ON_PUBLISH = True
    with django_capture_on_commit_callbacks() as callbacks:
        editor_client.post(
            reverse("admin:claims_claim_changelist"),
            {"action": "publish", "_selected_action": [in_review.pk]},
        )
    # The request only records what is to be archived; nothing was fetched in it.
    waiting = Snapshot.objects.filter(status=Snapshot.Status.WAITING)
    assert {s.requested_url for s in waiting} == {
        original.url("/article"),
        original.url("/notes.txt"),
    }
    assert original.log == []
    for callback in callbacks:
        callback()
    assert Snapshot.objects.filter(status=Snapshot.Status.TAKEN).count() == 2


def test_publishing_through_the_api_archives_too_but_not_twice(
    in_review, editor, settings, original, django_capture_on_commit_callbacks
):
    settings.ARCHIVE_ON_PUBLISH = True
    with django_capture_on_commit_callbacks(execute=True):
        services.archive([in_review.source])  # archived before publication
    with django_capture_on_commit_callbacks(execute=True):
        response = token_client(editor).post(f"/api/v1/claims/{in_review.pk}/publish/")
    assert response.status_code == 200, response.content
    assert in_review.source.snapshots.count() == 1
    assert Snapshot.objects.count() == 2


def test_no_archiving_on_publication_when_turned_off(in_review, editor_client, settings):
    settings.ARCHIVE_ON_PUBLISH = False
    editor_client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "publish", "_selected_action": [in_review.pk]},
    )
    assert Claim.objects.get(pk=in_review.pk).status == Claim.Status.PUBLISHED
    assert not Snapshot.objects.exists()


def test_the_extracted_text_becomes_the_stored_text_when_an_editor_accepts_it(
    archived, editor_client, make
):
    snapshot = archived("/article")
    draft = make.claim(
        status=Claim.Status.DRAFT,
        source=snapshot.source,
        quote="its facilities compare favourably with most local jails",
    )
    assert draft.quote_check == QuoteCheck.NO_TEXT
    page = editor_client.get(reverse("admin:archives_snapshot_change", args=[snapshot.pk]))
    assert "Use this text as the source's stored text" in page.text
    response = editor_client.post(
        reverse("admin:archives_snapshot_use_text", args=[snapshot.pk]), follow=True
    )
    assert "the quotes from it were checked again" in response.text
    snapshot.source.refresh_from_db()
    assert snapshot.source.text == snapshot.text
    draft.refresh_from_db()
    assert draft.quote_check == QuoteCheck.MATCH
    record = snapshot.source.history.first()
    assert record.history_change_reason.startswith("Stored text taken from the archived copy")
    assert record.history_user.username == "editor"


def test_accepting_text_needs_the_right_to_change_sources(archived, client, django_user_model):
    snapshot = archived("/article")
    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    client.force_login(viewer)
    response = client.post(reverse("admin:archives_snapshot_use_text", args=[snapshot.pk]))
    assert response.status_code == 403
    snapshot.source.refresh_from_db()
    assert snapshot.source.text == ""


# What readers get.


def test_readers_see_a_published_sources_copy_with_its_banner(archived, client, make, original):
    snapshot = archived("/hop/1")
    make.claim(source=snapshot.source)
    page = client.get(snapshot.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert snapshot.sha256 in text
    assert original.url("/hop/0") in text and original.url("/hop/1") in text
    assert f'datetime="{snapshot.taken_at.isoformat()}"' in text
    assert '<iframe class="archived-page" src="/archive/' in text and " sandbox " in text

    client.get(reverse("archives:page", args=[snapshot.pk]))
    copy = client.get(reverse("archives:page", args=[snapshot.pk]))  # from the public cache
    policy = copy.headers["Content-Security-Policy"]
    assert policy.startswith("sandbox; default-src 'none'; img-src data:;")
    assert "frame-ancestors 'self'" in policy
    assert copy.headers["X-Frame-Options"] == "SAMEORIGIN"
    html = copy.content.decode()
    assert "Inspectors found expired food" in html
    for inert in ("<script", "onload", "SCRIPT RAN", "127.0.0.1", "src=", "<iframe", "style="):
        assert inert not in html.split("</head>")[1], inert

    warc = client.get(reverse("archives:warc", args=[snapshot.pk]))
    assert hashlib.sha256(b"".join(warc.streaming_content)).hexdigest() == snapshot.sha256
    assert warc.headers["Content-Type"] == "application/warc"

    # The source's page links to our copy.
    source = snapshot.source
    source_page = client.get(reverse("claims:source", args=[source.pk, source.slug]))
    assert (
        f'<a href="{snapshot.get_absolute_url()}">Archived by Counterclaim on' in source_page.text
    )


def test_a_drafts_sources_copy_is_not_public(archived, client, make, editor_client):
    snapshot = archived("/article")
    make.claim(status=Claim.Status.DRAFT, source=snapshot.source)
    for name in ("archives:snapshot", "archives:page", "archives:warc"):
        assert client.get(reverse(name, args=[snapshot.pk])).status_code == 404, name
    # Editors preview it from the admin.
    preview = editor_client.get(reverse("admin:archives_snapshot_copy", args=[snapshot.pk]))
    assert preview.status_code == 200
    assert reverse("admin:archives_snapshot_page", args=[snapshot.pk]) in preview.text
    framed = editor_client.get(reverse("admin:archives_snapshot_page", args=[snapshot.pk]))
    assert framed.headers["Content-Security-Policy"].startswith("sandbox;")


def test_a_failed_snapshot_is_not_public(archived, client, make):
    snapshot = archived("/gone")
    make.claim(source=snapshot.source)
    assert client.get(snapshot.get_absolute_url()).status_code == 404


def test_the_copy_page_costs_few_queries(archived, client, make, django_assert_max_num_queries):
    snapshot = archived("/article")
    make.claim(source=snapshot.source)
    with django_assert_max_num_queries(3):
        client.get(snapshot.get_absolute_url())
    with django_assert_max_num_queries(2):
        client.get(reverse("archives:page", args=[snapshot.pk]))


def test_a_warc_can_be_read_back_by_warcio(archived):
    snapshot = archived("/article")
    with snapshot.warc.open("rb") as stream:
        data = stream.read()
    kinds = [record.rec_type for record in ArchiveIterator(io.BytesIO(data))]
    assert kinds == ["warcinfo", "response", "request"]


def test_deleting_a_source_deletes_its_snapshots_files(
    archived, django_capture_on_commit_callbacks
):
    snapshot = archived("/article")
    path = snapshot.warc.path
    with django_capture_on_commit_callbacks(execute=True):
        snapshot.source.delete()
    assert not Snapshot.objects.exists()
    assert not os.path.exists(path)


@pytest.mark.parametrize(
    "address", ["127.0.0.1", "10.1.2.3", "169.254.169.254", "::1", "::ffff:127.0.0.1", "fd00::1"]
)
def test_every_kind_of_private_address_is_refused(address, settings, monkeypatch):
    settings.ARCHIVE_ALLOW_PRIVATE_ADDRESSES = False
    monkeypatch.setattr(
        fetch.socket, "getaddrinfo", lambda *args, **kwargs: [(None, None, None, "", (address, 80))]
    )
    with pytest.raises(fetch.FetchError, match="a private or local address: refused"):
        fetch.fetch("http://internal.example.org/")


def test_the_snapshot_list_costs_the_same_for_one_row_or_many(editor_client, make):
    def add_snapshots(count):
        for _ in range(count):
            source = make.source(url=f"https://example.org/{Snapshot.objects.count()}")
            source.via = make.source(publisher=make.actor(), title="")
            source.save()
            Snapshot.objects.create(
                source=source,
                requested_url=source.url,
                status=Snapshot.Status.TAKEN,
                taken_at=timezone.now(),
                warc="archives/x.warc.gz",
                sha256="0" * 64,
            )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert (
                editor_client.get(reverse("admin:archives_snapshot_changelist")).status_code == 200
            )
        return len(captured)

    add_snapshots(1)
    one = queries()
    add_snapshots(5)
    assert queries() == one
