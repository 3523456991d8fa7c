"""Jobs in the admin, for editors: every background job with its status, progress and error,
and a retry action; imports of claim files started by an upload, with the rows they rejected.

django-tasks-db's own admin of its table is replaced by ``JobAdmin`` (the same table as the
``Job`` proxy, so editors can be given its permissions without anyone else's)."""

import json
import uuid

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from jobs.models import ClaimImport, Job
from jobs.tasks import import_claims

admin.site.unregister(DBTaskResult)

# An upload larger than this is refused in the form (import_claims reads a file whole).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = [
        "task",
        "status",
        "progress_shown",
        "enqueued_at",
        "waits_until",
        "finished_at",
        "error",
    ]
    list_filter = ["status", "task_path"]
    list_select_related = ["progress"]
    ordering = ["-enqueued_at"]
    actions = ["retry"]
    fields = [
        "task",
        "status",
        "progress_shown",
        "input",
        "enqueued_at",
        "run_after",
        "started_at",
        "finished_at",
        "result",
        "error_shown",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        return request.user.has_perm("jobs.retry_job")

    @admin.display(description="job", ordering="task_path")
    def task(self, job):
        return job.task_path.rsplit(".", 1)[-1].replace("_", " ")

    @admin.display(description="runs after", ordering="run_after")
    def waits_until(self, job):
        """When a scheduled job (the next link check, a webhook's next try) may run."""
        if job.status != TaskResultStatus.READY or job.run_after == get_date_max():
            return None
        return job.run_after

    @admin.display(description="progress")
    def progress_shown(self, job):
        progress = getattr(job, "progress", None)
        if progress is None or not progress.total:
            return None
        return f"{progress.done:,} of {progress.total:,}"

    @admin.display(description="input")
    def input(self, job):
        return format_html("<pre>{}</pre>", _json(job.args_kwargs))

    @admin.display(description="result")
    def result(self, job):
        return (
            None
            if job.return_value is None
            else format_html("<pre>{}</pre>", _json(job.return_value))
        )

    @admin.display(description="error")
    def error(self, job):
        """The exception's last line: what went wrong, in a list cell."""
        lines = job.traceback.strip().splitlines()
        return lines[-1] if lines else ""

    @admin.display(description="error")
    def error_shown(self, job):
        return format_html("<pre>{}</pre>", job.traceback) if job.traceback else None

    @admin.action(description="Run selected jobs again (same input)", permissions=["retry"])
    def retry(self, request, queryset):
        """Enqueue each selected job's task again with the same arguments: a new job, so the
        failed run stays listed with its error. Waiting or running jobs are left alone."""
        queryset = queryset.filter(
            status__in=[TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL]
        )
        retried = 0
        for job in queryset:
            try:
                task = job.task.using(run_after=None)
            except (ImportError, AttributeError) as error:  # the task's code is gone
                messages.error(request, f"Job {job.pk} cannot be run again: {error}")
                continue
            task.enqueue(*job.args_kwargs["args"], **job.args_kwargs["kwargs"])
            retried += 1
        if retried:
            messages.success(request, f"{retried} job(s) enqueued again.")
        else:
            messages.warning(request, "No finished job selected: nothing was enqueued again.")


def _json(value):
    return json.dumps(value, indent=2, ensure_ascii=False)


class ClaimImportForm(forms.ModelForm):
    file = forms.FileField(
        help_text="ClaimReview JSON-LD, or CSV as the API's export gives it (UTF-8), as "
        "manage.py import_claims reads. Imported claims are drafts; changes to existing "
        "claims are made as you, by the editorial rules."
    )

    class Meta:
        model = ClaimImport
        fields = ["format"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB: split it, "
                "or import it with manage.py import_claims."
            )
        try:
            self.instance.content = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file is not UTF-8 text.") from None
        if not self.instance.content.strip():
            raise forms.ValidationError("The file is empty.")
        self.instance.file_name = upload.name[:255]
        return upload


@admin.register(ClaimImport)
class ClaimImportAdmin(admin.ModelAdmin):
    list_display = [
        "file_name",
        "uploaded_by",
        "uploaded_at",
        "status",
        "summary",
        "rejected_count",
    ]
    list_filter = ["status"]
    list_select_related = ["uploaded_by"]
    actions = ["import_again"]
    readonly_fields = [
        "file_name",
        "format",
        "uploaded_by",
        "uploaded_at",
        "status",
        "progress",
        "finished_at",
        "summary",
        "error",
        "rejected_rows",
        "job",
    ]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ClaimImportForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ["format", "file"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
        # In the admin's transaction: on the database backend, the upload and its job are
        # stored together or not at all.
        _enqueue_import(obj)

    def response_add(self, request, obj, post_url_continue=None):
        messages.info(
            request,
            f"“{obj.file_name}” is being imported in the background: this page shows how far "
            "it has got and, when it finishes, the rows it rejected.",
        )
        return super().response_add(request, obj, post_url_continue)

    @admin.action(description="Import selected files again", permissions=["add"])
    def import_again(self, request, queryset):
        imports = list(queryset.exclude(status=ClaimImport.Status.RUNNING))
        for claim_import in imports:
            claim_import.status = ClaimImport.Status.QUEUED
            claim_import.save(update_fields=["status"])
            _enqueue_import(claim_import)
        messages.success(request, f"{len(imports)} import(s) enqueued again.")

    @admin.display(description="rejected rows")
    def rejected_count(self, claim_import):
        return len(claim_import.rejected)

    @admin.display(description="progress")
    def progress(self, claim_import):
        job = self._job(claim_import)
        progress = getattr(job, "progress", None) if job else None
        if progress is None or not progress.total:
            return None
        return f"{progress.done:,} of {progress.total:,} rows saved"

    @admin.display(description="rejected rows")
    def rejected_rows(self, claim_import):
        if not claim_import.rejected:
            return "None"
        return format_html(
            "<table><thead><tr><th>line</th><th>why</th></tr></thead><tbody>{}</tbody></table>",
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td></tr>",
                ((row["line"], row["reason"]) for row in claim_import.rejected),
            ),
        )

    @admin.display(description="job")
    def job(self, claim_import):
        job = self._job(claim_import)
        if job is None:
            return claim_import.job_id or None
        url = reverse("admin:jobs_job_change", args=[job.pk])
        return format_html('<a href="{}">{}</a>', url, job.get_status_display())

    def _job(self, claim_import):
        if not hasattr(claim_import, "_job"):
            claim_import._job = (
                Job.objects.select_related("progress").filter(pk=claim_import.job_id).first()
                if _is_uuid(claim_import.job_id)
                else None
            )
        return claim_import._job


def _enqueue_import(claim_import):
    result = import_claims.enqueue(claim_import.pk)
    # The job sets its id itself when it runs; until then the import links to it from here.
    ClaimImport.objects.filter(pk=claim_import.pk).update(job_id=str(result.id))
    claim_import.refresh_from_db()


def _is_uuid(value):
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
