"""Fact-checkers and editors triage readers' requests: they see them (with the reader's email,
to reply) and decide on them. Only editors may delete one."""

from django.db import migrations

from config.migrations import grant_permissions

TRIAGE = [
    f"{action}_{model}" for model in ("checkrequest", "reportederror") for action in ("view", "change")
]


class Migration(migrations.Migration):
    dependencies = [
        ("reader_requests", "0001_initial"),
        ("claims", "0004_roles"),
    ]

    operations = [
        grant_permissions("Fact-checkers", "reader_requests", TRIAGE),
        grant_permissions(
            "Editors",
            "reader_requests",
            [*TRIAGE, "delete_checkrequest", "delete_reportederror"],
        ),
    ]
