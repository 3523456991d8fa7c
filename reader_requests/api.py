"""``/api/v1/requests/``: readers' check requests. Anyone reads the published ones
(``CheckRequest.objects.published()``) through a serializer that names its fields one by one,
none of them personal; editors with ``reader_requests.view_checkrequest`` (a token or a
session) read every request with the reader's email and address. Anyone may send one, with
the limits of the form: the rate per address, the honeypot and the ALTCHA challenge
(``GET /requests/challenge/``, solved, sent as ``altcha``)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from config.client_ip import client_ip
from reader_requests import spam
from reader_requests.models import CheckRequest

VIEW_EVERYTHING = "reader_requests.view_checkrequest"


class PublicCheckRequestSerializer(serializers.ModelSerializer):
    """What readers see of a request: never who asked, nor where they heard it."""

    status = serializers.SerializerMethodField(
        help_text="`accepted`: being checked; `answered`: see `fact_check`; `declined`: see "
        "`public_reason`."
    )
    askers = serializers.IntegerField(
        read_only=True, help_text="How many readers asked (this request and its duplicates)."
    )
    asked_since = serializers.DateTimeField(source="created_at", read_only=True)
    fact_check = serializers.SerializerMethodField(
        help_text="The published fact check that answers it (API URL), when there is one."
    )

    class Meta:
        model = CheckRequest
        fields = [
            "id",
            "claim_text",
            "status",
            "askers",
            "asked_since",
            "public_reason",
            "fact_check",
        ]

    def get_status(self, obj) -> str:
        return obj.public_status.value

    def get_fact_check(self, obj) -> str | None:
        if not getattr(obj, "claim_is_public", False):
            return None
        request = self.context.get("request")
        url = reverse("api:claim-detail", args=[obj.claim_id])
        return request.build_absolute_uri(url) if request else url


class EditorCheckRequestSerializer(PublicCheckRequestSerializer):
    """Everything, for editors: the reader's email and address too, and the raw status."""

    class Meta:
        model = CheckRequest
        fields = [
            *PublicCheckRequestSerializer.Meta.fields,
            "heard_where",
            "email",
            "client_ip",
            "duplicate_of",
            "claim",
            "decided_at",
            "personal_data_removed_at",
        ]

    def get_status(self, obj) -> str:
        return obj.status


class NewCheckRequestSerializer(serializers.ModelSerializer):
    """A reader's request, with the form's protection."""

    consent = serializers.BooleanField(
        help_text="Must be true: the reader agrees that we keep what they send to answer it."
    )
    website = serializers.CharField(
        required=False, allow_blank=True, help_text="Leave empty (a trap for bots)."
    )
    altcha = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="A solved ALTCHA challenge from `GET /requests/challenge/` (base64 JSON of "
        "the challenge and its solution), used once.",
    )

    class Meta:
        model = CheckRequest
        fields = ["claim_text", "heard_where", "email", "consent", "website", "altcha"]

    def validate_consent(self, value):
        if not value:
            raise serializers.ValidationError("The reader's consent is needed.")
        return value

    def validate(self, data):
        refusal = spam.honeypot_refusal(data.get(spam.HONEYPOT)) or spam.challenge_refusal(
            data.get(spam.CHALLENGE_FIELD)
        )
        if refusal:
            raise serializers.ValidationError({"non_field_errors": [refusal]})
        return data

    def create(self, validated_data):
        fields = {
            name: validated_data.get(name, "") for name in ("claim_text", "heard_where", "email")
        }
        return CheckRequest.objects.create(**fields, client_ip=validated_data["client_ip"])


@extend_schema_view(
    list=extend_schema(
        summary="Readers' check requests",
        description="Published requests (being checked, answered, declined), newest first; no "
        "personal data. With `reader_requests.view_checkrequest` (editors' token): every "
        "request, with `email`, `client_ip` and the raw `status` (EditorCheckRequest).",
    ),
    retrieve=extend_schema(summary="One check request"),
    create=extend_schema(
        summary="Ask for a check",
        description="The same limits as the page: a few per hour per address (429 says when "
        "to come back), the `website` trap left empty, a solved ALTCHA challenge.",
        responses={201: PublicCheckRequestSerializer},
    ),
)
class CheckRequestViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [AllowAny]
    queryset = CheckRequest.objects.all()
    filter_backends = []

    def editor(self):
        return self.request.user.has_perm(VIEW_EVERYTHING)

    def get_queryset(self):
        requests = CheckRequest.objects.all() if self.editor() else CheckRequest.objects.published()
        return requests.with_askers().with_public_claim().order_by("-created_at", "-id")

    def get_serializer_class(self):
        if self.action == "create":
            return NewCheckRequestSerializer
        if getattr(self, "swagger_fake_view", False) or not self.editor():
            return PublicCheckRequestSerializer
        return EditorCheckRequestSerializer

    def perform_create(self, serializer):
        refusal = spam.rate_refusal(self.request)
        if refusal:
            message, wait = refusal
            raise Throttled(wait=wait, detail=message)
        serializer.save(client_ip=client_ip(self.request) or None)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        # Answer with what a reader may see of it: no email, no address.
        row = CheckRequest.objects.with_askers().with_public_claim().get(pk=serializer.instance.pk)
        context = self.get_serializer_context()
        return Response(PublicCheckRequestSerializer(row, context=context).data, status=201)
