"""The API's webhook endpoints (``/api/v1/webhooks/``): editors, with a token or a session,
register partners' URLs, read each one's secret, and list its deliveries with the answers.
Nothing here is public: every method needs the model permission, reads included."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import DjangoModelPermissions

from webhooks.models import EVENT_CHOICES, Attempt, Delivery, Endpoint


class EditorsOnly(DjangoModelPermissions):
    """The model permissions for every method: reading a webhook shows its secret."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }


class EndpointSerializer(serializers.ModelSerializer):
    events = serializers.MultipleChoiceField(
        choices=EVENT_CHOICES, allow_empty=False, help_text="The events sent here."
    )
    secret = serializers.CharField(
        read_only=True,
        help_text="The key each delivery is signed with (docs/api.md, Webhooks). Give it to "
        "the partner.",
    )

    class Meta:
        model = Endpoint
        fields = ["id", "partner", "url", "events", "active", "secret", "created_at"]

    def validate_events(self, events):
        return sorted(events)  # stored as a JSON list, in a stable order


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attempt
        fields = ["at", "status_code", "duration_ms", "response_excerpt", "error"]


class DeliverySerializer(serializers.ModelSerializer):
    tries = AttemptSerializer(many=True, read_only=True, help_text="Newest first.")

    class Meta:
        model = Delivery
        fields = [
            "id",
            "event",
            "created_at",
            "status",
            "attempts",
            "next_attempt_at",
            "delivered_at",
            "payload",
            "tries",
        ]


@extend_schema(tags=["webhooks"])
class EndpointViewSet(viewsets.ModelViewSet):
    """Partners' webhooks: the URL each event they want is POSTed to, signed with the
    webhook's secret. Editors only (`webhooks.*_endpoint`)."""

    queryset = Endpoint.objects.all()
    serializer_class = EndpointSerializer
    permission_classes = [EditorsOnly]

    def perform_create(self, serializer):
        serializer.save(created_by=self.request.user)

    @extend_schema(
        responses=DeliverySerializer(many=True),
        description="This webhook's deliveries, newest first, each with every try's answer "
        "(status code, milliseconds, the start of the body, or why there was none).",
    )
    @action(detail=True, serializer_class=DeliverySerializer)
    def deliveries(self, request, pk=None):
        deliveries = self.get_object().deliveries.prefetch_related("tries")
        page = self.paginate_queryset(deliveries)
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)
