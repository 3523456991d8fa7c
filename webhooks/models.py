"""Webhooks: a partner's URL subscribed to fact-check events, and the deliveries to it.

Each event a partner subscribed to becomes a ``Delivery`` (its JSON body, fixed when the
event happened) and a job that sends it (``webhooks.tasks.deliver``), retried with backoff
until the partner answers 2xx or the attempts run out; every try is an ``Attempt`` with the
partner's answer (status code, time taken, the start of the body)."""

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from claims.services import EVENTS
from webhooks.addresses import validate_webhook_url

# The events, as choices (the API's schema names them WebhookEventEnum).
EVENT_CHOICES = list(EVENTS.items())


def new_secret():
    return secrets.token_hex(32)


class Endpoint(models.Model):
    partner = models.CharField(max_length=200, help_text="Who receives: a newsroom, a partner.")
    url = models.URLField(
        "URL",
        max_length=500,
        validators=[validate_webhook_url],
        help_text="Where deliveries are POSTed: http(s), on a public address.",
    )
    events = models.JSONField(
        default=list, help_text=f"The events sent here: some of {', '.join(EVENTS)}."
    )
    secret = models.CharField(
        max_length=64,
        default=new_secret,
        editable=False,
        help_text="The key deliveries are signed with (HMAC-SHA256); the partner keeps a copy.",
    )
    active = models.BooleanField(default=True, help_text="Untick to pause deliveries.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partner", "pk"]
        verbose_name = "webhook"

    def __str__(self):
        return f"{self.partner} ({self.url})"

    def clean(self):
        unknown = [event for event in self.events or [] if event not in EVENTS]
        if not isinstance(self.events, list) or unknown or not self.events:
            raise ValidationError({"events": f"Choose one or more of: {', '.join(EVENTS)}."})


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, choices=EVENT_CHOICES)
    payload = models.JSONField(help_text="The JSON body, as it was when the event happened.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"{self.event} to {self.endpoint.partner}"


class Attempt(models.Model):
    """One try at a delivery, with what the partner answered (or why there was no answer)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="tries")
    at = models.DateTimeField(auto_now_add=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(help_text="How long the partner took to answer.")
    response_excerpt = models.TextField(blank=True, help_text="The start of the answer's body.")
    error = models.CharField(max_length=300, blank=True, help_text="Why there was no answer.")

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.status_code or self.error} at {self.at:%Y-%m-%d %H:%M:%S}"

    @property
    def ok(self):
        return self.status_code is not None and 200 <= self.status_code < 300
