"""Webhooks in the admin (editors): partners' URLs with the events they want and the secret
to give them, and every delivery with each try's answer."""

import json

from django import forms
from django.contrib import admin, messages
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from claims.services import EVENTS
from webhooks.models import Attempt, Delivery, Endpoint
from webhooks.tasks import deliver


class EndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=list(EVENTS.items()), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Endpoint
        fields = ["partner", "url", "events", "active"]


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ["partner", "url", "events_shown", "active", "deliveries_link"]
    list_filter = ["active"]
    search_fields = ["partner", "url"]

    def get_fields(self, request, obj=None):
        fields = ["partner", "url", "events", "active"]
        return fields if obj is None else [*fields, "secret", "created_by", "deliveries_link"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["secret", "created_by", "deliveries_link"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="events")
    def events_shown(self, endpoint):
        return ", ".join(endpoint.events)

    @admin.display(description="deliveries")
    def deliveries_link(self, endpoint):
        url = reverse("admin:webhooks_delivery_changelist")
        return format_html(
            '<a href="{}?{}">Deliveries to {}</a>',
            url,
            urlencode({"endpoint__id__exact": endpoint.pk}),
            endpoint.partner,
        )


class AttemptInline(admin.TabularInline):
    model = Attempt
    fields = ["at", "status_code", "duration_ms", "response_excerpt", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


def _last_attempt(field):
    return Subquery(
        Attempt.objects.filter(delivery=OuterRef("pk")).order_by("-at", "-pk").values(field)[:1]
    )


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "endpoint",
        "event",
        "status",
        "attempts",
        "last_status_code",
        "last_duration",
        "last_response",
    ]
    list_filter = ["endpoint", "status", "event"]
    list_select_related = ["endpoint"]
    fields = ["endpoint", "event", "status", "attempts", "next_attempt_at", "delivered_at", "body"]
    readonly_fields = fields
    inlines = [AttemptInline]
    actions = ["send_again"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                last_code=_last_attempt("status_code"),
                last_ms=_last_attempt("duration_ms"),
                last_excerpt=_last_attempt("response_excerpt"),
                last_error=_last_attempt("error"),
            )
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_send_permission(self, request):
        return request.user.has_perm("webhooks.change_endpoint")

    @admin.display(description="status code", ordering="last_code")
    def last_status_code(self, delivery):
        return delivery.last_code

    @admin.display(description="time")
    def last_duration(self, delivery):
        return None if delivery.last_ms is None else f"{delivery.last_ms} ms"

    @admin.display(description="answer")
    def last_response(self, delivery):
        return (delivery.last_excerpt or delivery.last_error or "")[:120]

    @admin.display(description="body")
    def body(self, delivery):
        return format_html("<pre>{}</pre>", json.dumps(delivery.payload, indent=2))

    @admin.action(description="Send selected deliveries again", permissions=["send"])
    def send_again(self, request, queryset):
        """A failed delivery gets a fresh round of tries (the partner fixed their end)."""
        deliveries = list(queryset.exclude(status=Delivery.Status.PENDING))
        for delivery in deliveries:
            delivery.status, delivery.attempts = Delivery.Status.PENDING, 0
            delivery.save(update_fields=["status", "attempts"])
            deliver.enqueue(str(delivery.pk))
        messages.success(request, f"{len(deliveries)} delivery(ies) enqueued again.")
