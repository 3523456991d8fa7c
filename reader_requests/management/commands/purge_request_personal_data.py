"""Remove readers' emails and addresses from requests and error reports sent more than
READER_REQUEST_RETENTION_DAYS ago. Run it daily (docs/deploy.md); it is idempotent."""

from django.conf import settings
from django.core.management.base import BaseCommand

from reader_requests.models import CheckRequest, ReportedError


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        days = settings.READER_REQUEST_RETENTION_DAYS
        counts = [model.purge_personal_data() for model in (CheckRequest, ReportedError)]
        self.stdout.write(
            f"Removed the personal data of {counts[0]} check request(s) and {counts[1]} error "
            f"report(s) sent more than {days} days ago."
        )
