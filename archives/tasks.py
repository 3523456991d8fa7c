"""Background work of the archive, run by the task worker (``django.tasks``; docs/deploy.md)."""

from django.tasks import task

from archives.models import Snapshot


@task
def take_snapshot(snapshot_id):
    """Take a waiting snapshot. A snapshot already taken or failed is left as it is, so a job
    run twice archives once. Returns the snapshot's status."""
    snapshot = Snapshot.objects.filter(pk=snapshot_id, status=Snapshot.Status.WAITING).first()
    if snapshot is None:
        return None
    snapshot.take()
    return snapshot.status
