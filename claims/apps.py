from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and evidence"

    def ready(self):
        from claims import signals
        from claims.cache import connect_signals
        from claims.models import cites_actor, cites_source
        from sources import gate

        signals.connect()
        connect_signals()
        # Sources and actors are public when public claims and evidence cite them; the
        # sources app cannot import this one to find out (see sources.gate).
        gate.install(sources=cites_source, actors=cites_actor)
        post_migrate.connect(repair_sqlite_search, sender=self)


def repair_sqlite_search(using, **kwargs):
    """SQLite alters a table by copying it, and the copy has none of the old one's
    triggers: after migrations, put back any the search index lost (claims.sqlite_search).
    Only where the index was made: a database migrated back before it has none."""
    from claims import sqlite_search

    connection = connections[using]
    if (
        connection.vendor == "sqlite"
        and sqlite_search.TABLE in connection.introspection.table_names()
    ):
        sqlite_search.install(connection)
