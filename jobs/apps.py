from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Background jobs: the tasks this project runs on the worker, their progress, imports
    started from the admin, and the jobs list (with retry) in the admin."""

    name = "jobs"

    def ready(self):
        from sources.bulk import texts_changed

        texts_changed.connect(recheck_quotes_later, dispatch_uid="jobs.recheck_quotes")


def recheck_quotes_later(sender, source_ids, **kwargs):
    """Sources' text changed in bulk: recheck the quotes against them in a job. Enqueued in
    the writer's transaction: on the database backend the job is stored with the change, or
    not at all."""
    from jobs.tasks import recheck_quotes

    recheck_quotes.enqueue(list(source_ids))
