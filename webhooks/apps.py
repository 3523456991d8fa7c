from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    """Webhooks: partners' URLs told of fact-check events (``claims.services.EVENTS``)."""

    name = "webhooks"

    def ready(self):
        from claims.services import fact_check_event
        from webhooks.events import queue_deliveries

        fact_check_event.connect(queue_deliveries, dispatch_uid="webhooks.queue_deliveries")
