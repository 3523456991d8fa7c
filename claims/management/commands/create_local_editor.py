from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

USERNAME = "editor"
PASSWORD = "counterclaim-local-editor"


class Command(BaseCommand):
    help = (
        "Create (or reset) the local editor account for the demo. Refused on anything but the "
        "embedded SQLite database, so a well-known password never reaches a shared server."
    )

    def handle(self, *args, **options):
        if connection.vendor != "sqlite":
            raise CommandError(
                "create_local_editor only runs on the embedded SQLite database; "
                "use `manage.py createsuperuser` on a shared server."
            )
        user, _ = get_user_model().objects.get_or_create(
            username=USERNAME, defaults={"email": "editor@localhost"}
        )
        user.is_staff = True
        user.set_password(PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name="Editors"))
        self.stdout.write(
            self.style.SUCCESS(f"Local editor: log in at /admin/ as {USERNAME} / {PASSWORD}")
        )
