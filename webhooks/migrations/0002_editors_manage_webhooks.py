"""Editors register partners' webhooks (in the admin and with a token in the API) and see
their deliveries. Fact-checkers do not."""

from django.db import migrations

from config.migrations import grant_permissions


class Migration(migrations.Migration):
    dependencies = [("webhooks", "0001_initial"), ("claims", "0004_roles")]

    operations = [
        grant_permissions(
            "Editors",
            "webhooks",
            [
                "view_endpoint",
                "add_endpoint",
                "change_endpoint",
                "delete_endpoint",
                "view_delivery",
                "view_attempt",
            ],
        )
    ]
