"""Write the open-data dump (``claims.open_data``): every public claim as gzip CSV and as
ClaimReview JSON-LD, with a README that names the licence, into ``OPEN_DATA_DIR``. Run it
nightly from cron; readers download the files from ``/data/``."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims import open_data


class Command(BaseCommand):
    help = "Write every public claim as gzip CSV and ClaimReview JSON-LD into OPEN_DATA_DIR."

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory",
            type=Path,
            help="where to write (default: the OPEN_DATA_DIR setting, which /data/ serves)",
        )

    def handle(self, *args, directory=None, **options):
        target = Path(directory) if directory else open_data.directory()
        if target.exists() and not target.is_dir():
            raise CommandError(f"{target} is a file, not a directory: give a directory.")
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"Cannot create the directory {target}: {error.strerror}.") from None
        started = time.monotonic()
        try:
            counts = open_data.write_dump(target)
        except PermissionError as error:
            raise CommandError(f"Cannot write in {target}: {error.strerror}.") from None
        for name, count in counts.items():
            size = (target / name).stat().st_size
            self.stdout.write(f"{target / name}: {count:,} claims, {size:,} bytes")
        name, _ = open_data.licence()
        self.stdout.write(
            f"Open data written in {time.monotonic() - started:.1f}s under {name} "
            f"({target / open_data.README})."
        )
