"""Asking for snapshots, and using what one extracted: the doors (admin, publication) call
these, so that every one of them archives the same way."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import formats

from archives.models import Snapshot


def archive(sources, *, by=None):
    """Ask for a snapshot of each of ``sources`` that has a URL: waiting snapshots now, taken
    by the task worker once the caller's transaction commits (never in the request). Returns
    the new snapshots."""
    snapshots = Snapshot.objects.bulk_create(
        Snapshot(source=source, requested_url=source.url, requested_by=by)
        for source in sources
        if source.url
    )
    ids = [snapshot.pk for snapshot in snapshots]
    if ids:
        transaction.on_commit(lambda: _enqueue(ids))
    return snapshots


def _enqueue(ids):
    from archives.tasks import take_snapshot

    for pk in ids:
        take_snapshot.enqueue(pk)


def archive_unarchived(sources, *, by=None):
    """``archive`` those of ``sources`` (a queryset) that have no snapshot taken or waiting:
    what publication asks for. Failed attempts are tried again."""
    kept = Snapshot.objects.filter(
        source=OuterRef("pk"), status__in=[Snapshot.Status.WAITING, Snapshot.Status.TAKEN]
    )
    return archive(sources.exclude(url="").exclude(Exists(kept)).only("pk", "url"), by=by)


def accept_text(snapshot, *, by=None):
    """Make the text extracted by ``snapshot`` its source's stored text. A save of the
    source like any other: versioned, in its history with the reason, and the quotes
    checked against it are checked again (``claims.signals``)."""
    if snapshot.status != Snapshot.Status.TAKEN or not snapshot.text.strip():
        raise ValidationError("This snapshot has no extracted text to use.")
    source = snapshot.source
    source.text = snapshot.text
    when = formats.date_format(snapshot.taken_at, "DATETIME_FORMAT")
    source._change_reason = f"Stored text taken from the archived copy of {when}."
    if by is not None:
        source._history_user = by
    source.save()
    return source
