"""Check every source's URL and archive URL now, and record what each answered
(``sources.links``). The worker also checks links in the background, a few at a time
(``jobs.tasks.check_links``); this command is for checking everything at once, from a shell
or cron."""

from django.core.management.base import BaseCommand, CommandError

from sources.links import check_sources, forget_removed_links, with_links

MAX_WORKERS = 64


class Command(BaseCommand):
    help = "Check every source URL and archive URL; record each one's status on the source."

    def add_arguments(self, parser):
        parser.add_argument(
            "--workers", type=int, default=8, help="Links checked at the same time (default 8)."
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=10.0,
            help="Seconds to wait for a server before giving up on a link (default 10).",
        )

    def handle(self, *args, workers, timeout, **options):
        if not 1 <= workers <= MAX_WORKERS:
            raise CommandError(f"--workers must be between 1 and {MAX_WORKERS}; got {workers}.")
        if not timeout > 0:
            raise CommandError(f"--timeout must be a positive number of seconds; got {timeout}.")
        forget_removed_links()
        sources = with_links()

        def progress(done, total):
            self.stderr.write(f"\rChecked {done}/{total} links", ending="")
            self.stderr.flush()

        show_progress = options["verbosity"] >= 1
        checked, tally = check_sources(
            sources, workers=workers, timeout=timeout, progress=progress if show_progress else None
        )
        if show_progress and checked:
            self.stderr.write("")
        self.stdout.write(
            f"Checked {checked} links on {sources.count()} sources: {tally['ok']} ok, "
            f"{tally['broken']} broken, {tally['errors']} errors."
        )
        if tally["broken"] or tally["errors"]:
            self.stdout.write("The admin lists them: Sources, filter “link status: broken”.")
