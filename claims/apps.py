from django.apps import AppConfig


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
