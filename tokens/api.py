"""The API's token endpoints (``/api/v1/tokens/``): a user lists, makes and revokes their own
tokens; editors (``tokens.view_apitoken``, ``tokens.delete_apitoken``) list and revoke
anyone's. No response ever holds a key except the one that makes it."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from claims.api.serializers import drf_errors
from tokens.models import ApiToken


class ApiTokenSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.get_username", read_only=True)
    prefix = serializers.CharField(
        read_only=True, help_text="The key's first characters, to recognize it; never the key."
    )
    expires = serializers.DateTimeField(source="expiry", read_only=True)

    class Meta:
        model = ApiToken
        fields = ["id", "name", "user", "prefix", "created", "expires"]


class NewApiTokenSerializer(serializers.ModelSerializer):
    days = serializers.IntegerField(
        required=False,
        help_text="How long the token lives; at most, and by default, the server's "
        "API_TOKEN_TTL_DAYS (90 unless configured).",
    )

    class Meta:
        model = ApiToken
        fields = ["name", "days"]


class IssuedApiTokenSerializer(ApiTokenSerializer):
    key = serializers.CharField(
        read_only=True,
        help_text="Send it as `Authorization: Token <key>`. Shown in this response only: "
        "the server keeps a digest, not the key.",
    )

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]


class MayRevoke(BasePermission):
    """One's own token, or anyone's with ``tokens.delete_apitoken`` (editors)."""

    def has_object_permission(self, request, view, obj):
        if request.method != "DELETE":
            return True
        return obj.user_id == request.user.pk or request.user.has_perm("tokens.delete_apitoken")


class SessionToCreate(BasePermission):
    """A token is made from a signed-in session (the admin's login), not with a token: a
    leaked key cannot make itself fresh ones that outlive it."""

    message = (
        "Make tokens while signed in (a session), or with `manage.py create_token`; "
        "a token cannot make another."
    )

    def has_permission(self, request, view):
        return view.action != "create" or request.auth is None


USER_PARAMETER = OpenApiParameter(
    "user",
    OpenApiTypes.STR,
    description="Editors only (`tokens.view_apitoken`): list this username's tokens instead "
    "of your own; 403 without the permission.",
)


@extend_schema(tags=["tokens"])
class ApiTokenViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your API tokens, newest first: name, the key's first characters (never the key), when
    made and when they expire. Editors may list anyone's with `?user=<username>`."""

    serializer_class = ApiTokenSerializer
    permission_classes = [IsAuthenticated, SessionToCreate, MayRevoke]

    def get_queryset(self):
        tokens = ApiToken.objects.select_related("user")
        user = self.request.user
        if getattr(self, "swagger_fake_view", False):
            return tokens.none()
        may_view_all = user.has_perm("tokens.view_apitoken")
        if self.action == "list":
            username = self.request.query_params.get("user")
            if username is None or username == user.get_username():
                return tokens.filter(user=user)
            if not may_view_all:
                raise exceptions.PermissionDenied("Only editors may list another's tokens.")
            return tokens.filter(user__username=username)
        return tokens if may_view_all else tokens.filter(user=user)

    @extend_schema(parameters=[USER_PARAMETER])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(description="One token of yours, or anyone's for editors.")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        description="Revoke a token, at once: yours, or anyone's for editors "
        "(`tokens.delete_apitoken`). Another's token is 404 to everyone else."
    )
    def destroy(self, request, *args, **kwargs):
        return super().destroy(request, *args, **kwargs)

    @extend_schema(
        request=NewApiTokenSerializer,
        responses={201: IssuedApiTokenSerializer},
        auth=[{"cookieAuth": []}],
        description="Make a token for yourself, from a signed-in session (a token cannot "
        "make another: 403). The key is in this response and nowhere else.",
    )
    def create(self, request):
        new = NewApiTokenSerializer(data=request.data)
        new.is_valid(raise_exception=True)
        try:
            token, key = ApiToken.objects.issue(request.user, **new.validated_data)
        except DjangoValidationError as error:
            raise serializers.ValidationError(drf_errors(error)) from error
        token.key = key
        return Response(IssuedApiTokenSerializer(token).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={
            200: inline_serializer("RevokedTokens", {"revoked": serializers.IntegerField()})
        },
        description="Revoke every token of yours, the one in use too (a lost laptop, a key "
        "pasted somewhere public). Answers how many were revoked.",
    )
    @action(detail=False, methods=["post"], url_path="revoke-all")
    def revoke_all(self, request):
        revoked, _ = ApiToken.objects.filter(user=request.user).delete()
        return Response({"revoked": revoked})
