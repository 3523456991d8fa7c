"""Snapshots: copies of sources' pages taken by Counterclaim, so a quoted page that is edited
or deleted keeps its proof.

A snapshot is one attempt to archive a source's URL. It is created waiting (by "archive now"
or by publication, ``archives.services``), and a task (``archives.tasks``) takes it: it
fetches the page within the limits of ``archives.fetch``, stores the request and response of
every hop as a WARC file in the default storage, and records the file's SHA-256, the page's
main text and what went wrong when nothing could be stored. The public sees a taken snapshot
of a public source (``Snapshot.objects.published()``), never a draft's.
"""

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from archives import content, warc
from archives.fetch import FetchError, fetch
from sources.models import Source

ERROR_MAX_LENGTH = 1000


class SnapshotQuerySet(models.QuerySet):
    def published(self):
        """Snapshots the public may see: taken ones of sources the public may see."""
        return self.filter(
            Exists(Source.objects.published().filter(pk=OuterRef("source"))),
            status=Snapshot.Status.TAKEN,
        )

    def taken(self):
        return self.filter(status=Snapshot.Status.TAKEN)


class Snapshot(models.Model):
    """One attempt to archive a source's URL, and what it stored."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        TAKEN = "taken", "Taken"
        FAILED = "failed", "Failed"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="snapshots")
    requested_url = models.URLField("URL asked for", max_length=500)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.WAITING, db_index=True
    )
    error = models.CharField(
        max_length=ERROR_MAX_LENGTH, blank=True, help_text="Why nothing could be archived."
    )
    taken_at = models.DateTimeField("taken", null=True, blank=True)
    url = models.URLField(
        "page URL", max_length=2000, blank=True, help_text="Where the redirects, if any, led."
    )
    redirects = models.JSONField(
        default=list,
        blank=True,
        help_text="Each redirect followed, in order: its URL and HTTP status.",
    )
    http_status = models.PositiveSmallIntegerField("HTTP status", null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    warc = models.FileField("WARC file", upload_to="archives/%Y/%m/", blank=True, max_length=200)
    size = models.PositiveBigIntegerField("WARC size (bytes)", null=True, blank=True)
    sha256 = models.CharField(
        "SHA-256", max_length=64, blank=True, help_text="Of the WARC file as stored."
    )
    text = models.TextField(
        "extracted text", blank=True, help_text="The page's main text, as extracted."
    )

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        get_latest_by = "taken_at"
        indexes = [models.Index(fields=["source", "-taken_at"], name="snapshot_source_taken_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["waiting", "taken", "failed"]),
                name="snapshot_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="taken")
                | (Q(taken_at__isnull=False) & ~Q(warc="") & ~Q(sha256="")),
                name="snapshot_taken_has_file",
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(error=""), name="snapshot_failed_has_error"
            ),
        ]

    def __str__(self):
        when = self.taken_at or self.requested_at
        return f"{self.requested_url} ({self.get_status_display().lower()}, {when:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        return reverse("archives:snapshot", args=[self.pk])

    @property
    def is_shown(self):
        """Whether readers see the page itself, or only the WARC to download."""
        return content.is_shown(self.content_type)

    def take(self):
        """Fetch the page and store it; or record why that failed. Saves the snapshot."""
        try:
            hops = fetch(self.requested_url)
        except FetchError as error:
            return self._fail(str(error))
        last = hops[-1]
        self.redirects = [{"url": hop.url, "status": hop.status} for hop in hops[:-1]]
        self.url, self.http_status = last.url, last.status
        self.content_type = last.content_type[:100]
        if not 200 <= last.status < 300:
            return self._fail(f"The page answered {last.status} {last.reason}".strip() + ".")
        self.taken_at = timezone.now()
        data = warc.write(hops, taken_at=self.taken_at)
        self.sha256 = hashlib.sha256(data).hexdigest()
        self.size = len(data)
        self.text = content.main_text(warc.read_page(ContentFile(data)))
        try:
            self.warc.save(
                f"{self.source_id}-{self.taken_at:%Y%m%dT%H%M%S}-{self.sha256[:12]}.warc.gz",
                ContentFile(data),
                save=False,
            )
        except OSError as error:  # a full disk, a storage service that refused it
            return self._fail(f"The page was fetched but could not be stored: {error}.")
        self.status, self.error = self.Status.TAKEN, ""
        self.save()

    def _fail(self, error):
        self.status, self.error = self.Status.FAILED, error[:ERROR_MAX_LENGTH]
        self.save()

    def page(self):
        """The archived page (``archives.warc.Page``), read from the stored WARC file."""
        with self.warc.open("rb") as stream:
            return warc.read_page(stream)
