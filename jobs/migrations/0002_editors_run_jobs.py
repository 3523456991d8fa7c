"""Editors see the background jobs, run a job again, and import claim files from the admin.
Fact-checkers do not: an import changes many claims at once (docs/deploy.md)."""

from django.db import migrations

from config.migrations import grant_permissions


class Migration(migrations.Migration):
    dependencies = [("jobs", "0001_initial"), ("claims", "0004_roles")]

    operations = [
        grant_permissions(
            "Editors",
            "jobs",
            ["view_job", "retry_job", "view_claimimport", "add_claimimport"],
        )
    ]
