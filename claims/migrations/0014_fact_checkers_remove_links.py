"""Fact-checkers may take evidence and counterclaim links off the claims they may change.
Which claims those are (drafts) is decided by the editorial rules (claims/rules.py), which
every door applies; the permission only lets them ask."""

from django.db import migrations

from config.migrations import grant_permissions


class Migration(migrations.Migration):
    dependencies = [("claims", "0013_correction_updates")]

    operations = [
        grant_permissions("Fact-checkers", "claims", ["delete_stancelink", "delete_counterclaim"])
    ]
