"""Migration helpers shared by the apps."""

from django.db import migrations


def postgresql_only(sql, reverse_sql):
    """A migration step of raw SQL that runs on PostgreSQL and is a no-op elsewhere (SQLite,
    for development and tests): triggers, GIN and trigram indexes, extensions."""

    def run(statements):
        def step(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(statements)

        return step

    return migrations.RunPython(run(sql), run(reverse_sql), elidable=False)
