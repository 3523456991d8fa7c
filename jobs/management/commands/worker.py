"""The background worker: schedules the recurring jobs, then runs django-tasks-db's
``db_worker`` on every queue. Run it beside the web process (``make run`` does; see
docs/deploy.md, "Background jobs")."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from jobs.tasks import schedule_link_checks, schedule_open_data_dump


class Command(BaseCommand):
    help = "Run the background worker: jobs from every queue, one at a time, until stopped."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait before looking again when no job is waiting (default 1).",
        )
        parser.add_argument("--batch", action="store_true", help="Run the waiting jobs, then exit.")
        parser.add_argument(
            "--reload",
            action="store_true",
            help="Restart when the code changes (development only: a running job is cut off).",
        )
        parser.add_argument(
            "--no-schedule",
            action="store_false",
            dest="schedule",
            help="Do not schedule the recurring jobs (link checks, the nightly open-data dump).",
        )

    def handle(self, *args, interval, batch, reload, schedule, **options):
        if schedule:
            schedule_link_checks()
            schedule_open_data_dump()
        call_command(
            "db_worker",
            queue_name="*",
            interval=interval,
            batch=batch,
            # Off unless asked, even with DEBUG (db_worker's default): the reloader's parent
            # process would leave its child running when stopped.
            reload=reload,
            verbosity=options["verbosity"],
        )
