from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and evidence"

    def ready(self):
        from claims import signals
        from claims.cache import connect_signals

        signals.connect()
        connect_signals()
