"""Progress of a running job, for the admin's jobs list."""

from django_tasks_db.backend import DatabaseBackend

from jobs.models import JobProgress


def report(context, done, total):
    """Record that the job running with ``context`` (a task's ``TaskContext``) has done
    ``done`` of ``total`` items. Only jobs stored by the database backend are listed, so only
    theirs is recorded; a task run inline (``TASKS_IMMEDIATE``) has no row to show it on."""
    if not isinstance(context.task_result.task.get_backend(), DatabaseBackend):
        return
    JobProgress.objects.update_or_create(
        job_id=context.task_result.id, defaults={"done": done, "total": total}
    )
