"""Editors see every API token in the admin and the API, and may revoke any (a leaked key, a
colleague who left). Nobody makes tokens in the admin: a key is shown once, to its owner, by
the API or ``create_token``."""

from django.db import migrations

from config.migrations import grant_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("tokens", "0001_initial"),
        ("claims", "0014_fact_checkers_remove_links"),
    ]

    operations = [grant_permissions("Editors", "tokens", ["view_apitoken", "delete_apitoken"])]
