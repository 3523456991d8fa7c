from django.apps import AppConfig


class TrustConfig(AppConfig):
    name = "trust"
    verbose_name = "Organization and staff"

    def ready(self):
        from trust import checks  # noqa: F401  (registers the system checks)
