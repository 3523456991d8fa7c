"""Editors and fact-checkers see snapshots in the admin (on each source's page and in their
own list). Nobody adds, changes or deletes one there: "archive now" asks for a new one, and
using a snapshot's text needs the right to change sources."""

from django.db import migrations

from config.migrations import grant_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("archives", "0001_initial"),
        ("claims", "0015_editors_clear_lockouts"),
    ]

    operations = [
        grant_permissions(group, "archives", ["view_snapshot"])
        for group in ("Editors", "Fact-checkers")
    ]
