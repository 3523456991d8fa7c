from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate, pre_migrate


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and evidence"

    def ready(self):
        from claims import dependencies, signals, sqlite_search
        from claims.models import cites_actor, cites_source
        from sources import gate

        signals.connect()
        dependencies.connect()
        # Sources and actors are public when public claims and evidence cite them; the
        # sources app cannot import this one to find out (see sources.gate).
        gate.install(sources=cites_source, actors=cites_actor)
        # SQLite's search index: its triggers would break migrations that rebuild the
        # tables they name, so they are taken down before and put back after.
        for signal, step in (
            (pre_migrate, sqlite_search.drop_triggers),
            (post_migrate, sqlite_search.install_triggers),
        ):
            signal.connect(sqlite_search_triggers(step), sender=self, weak=False)


def sqlite_search_triggers(step):
    def receiver(using, **kwargs):
        connection = connections[using]
        if connection.vendor == "sqlite":
            step(connection)

    return receiver
