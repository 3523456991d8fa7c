from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete


class ArchivesConfig(AppConfig):
    name = "archives"
    verbose_name = "Archived copies of sources"

    def ready(self):
        from archives.models import Snapshot

        post_delete.connect(
            delete_file, sender=Snapshot, dispatch_uid="archives.delete_snapshot_file"
        )


def delete_file(sender, instance, **kwargs):
    """A snapshot goes with its source; its WARC file goes too, once the deletion is
    committed (a rolled-back deletion keeps both)."""
    if instance.warc:
        storage, name = instance.warc.storage, instance.warc.name
        transaction.on_commit(lambda: storage.delete(name))
