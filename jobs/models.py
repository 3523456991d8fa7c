"""What the admin shows of background jobs.

The queue itself is django-tasks-db's table (``DBTaskResult``: one row per job, with its
task, arguments, status and traceback). ``Job`` is that table as the admin lists it, with
the permissions editors are given; ``JobProgress`` is how far a running job has got; a
``ClaimImport`` is a file an editor uploaded, kept whole with what importing it gave, so a
job that fails (or is retried) never loses its input.
"""

from django.conf import settings
from django.db import models
from django_tasks_db.models import DBTaskResult


class Job(DBTaskResult):
    class Meta:
        proxy = True
        verbose_name = "job"
        permissions = [("retry_job", "Can run a job again with the same input")]


class JobProgress(models.Model):
    """How far a job has got (``jobs.progress.report``): ``done`` of ``total`` items."""

    job = models.OneToOneField(
        DBTaskResult, on_delete=models.CASCADE, primary_key=True, related_name="progress"
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.done}/{self.total}"


class ClaimImport(models.Model):
    """A ClaimReview JSON or CSV file uploaded in the admin, imported by a background job
    (``jobs.tasks.import_claims``) as ``manage.py import_claims`` would, as its uploader."""

    class Format(models.TextChoices):
        AUTO = "auto", "Recognize from the content"
        CLAIMREVIEW = "claimreview", "ClaimReview JSON-LD"
        CSV = "csv", "CSV (the API's export)"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    file_name = models.CharField(max_length=255)
    format = models.CharField(max_length=20, choices=Format.choices, default=Format.AUTO)
    content = models.TextField(help_text="The uploaded file, whole: a retry imports it again.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # The id of the job's latest run (a retry is a new run of the same import).
    job_id = models.CharField(max_length=64, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(blank=True, help_text="import_claims' closing line.")
    rejected = models.JSONField(
        default=list, blank=True, help_text="The rows not imported: [{line, reason}]."
    )
    error = models.TextField(blank=True, help_text="Why the whole file was refused.")

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = "claim import"

    def __str__(self):
        return f"{self.file_name} ({self.uploaded_at:%Y-%m-%d %H:%M})"
