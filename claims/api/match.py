"""``/api/v1/claims:match``: has this been checked? The fact-checked claims that say the same
thing as each text, from ``claims.matching``.

Anonymous callers match against published claims only (``Claim.objects.published()``, the
one gate); editors with ``claims.view_claim`` may pass ``?status=any`` to match against every
claim, drafts included (as an admin's duplicate check would).
"""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from claims.api.serializers import ClaimSerializer
from claims.api.views import claims_for_serializer
from claims.matching import MAX_MATCHES, match_texts
from claims.models import Claim

MAX_TEXTS = 100
# A sentence, a paragraph or a short post; a longer document should be sent as sentences.
MAX_TEXT_LENGTH = 2000
ANY_STATUS = "any"

STATUS_FIELD = serializers.ChoiceField(
    choices=["published", ANY_STATUS],
    default="published",
    help_text="`any`: also drafts and claims in review (needs `claims.view_claim`; 401/403 "
    "without it).",
)


def match_text_field(**kwargs):
    return serializers.CharField(
        max_length=MAX_TEXT_LENGTH,
        help_text=f"A sentence or a paragraph, at most {MAX_TEXT_LENGTH} characters.",
        **kwargs,
    )


class MatchQuerySerializer(serializers.Serializer):
    text = match_text_field()
    status = STATUS_FIELD


class MatchStatusSerializer(serializers.Serializer):
    status = STATUS_FIELD


class MatchRequestSerializer(serializers.Serializer):
    texts = serializers.ListField(
        child=match_text_field(),
        allow_empty=False,
        max_length=MAX_TEXTS,
        help_text=f"1 to {MAX_TEXTS} texts, each matched on its own.",
    )


class MatchSerializer(serializers.Serializer):
    claim = ClaimSerializer(help_text="The claim as the claim list shows it.")
    score = serializers.FloatField(
        help_text="How closely the text says what the claim says, from 0 to 1."
    )
    confidence = serializers.ChoiceField(
        choices=["high", "possible"],
        help_text="`high`: the same claim. `possible`: worth a look (similar words, or numbers, "
        "a negation, a direction or names that differ: see `why`).",
    )
    why = serializers.ListField(
        child=serializers.CharField(),
        help_text="What keeps a similar text from being the same claim; empty when nothing does.",
    )


class TextMatchesSerializer(serializers.Serializer):
    text = serializers.CharField()
    matches = MatchSerializer(
        many=True, help_text=f"Best first, at most {MAX_MATCHES}; empty when none."
    )


class MatchResponseSerializer(serializers.Serializer):
    results = TextMatchesSerializer(many=True, help_text="One per text, in the order sent.")


class AnyStatusNeedsViewPermission(BasePermission):
    """``?status=any`` shows claims the public cannot see; anyone may match against the
    published ones."""

    message = "status=any needs the permission to view unpublished claims."

    def has_permission(self, request, view):
        if request.query_params.get("status") != ANY_STATUS:
            return True
        return request.user.has_perm("claims.view_claim")


EXAMPLE = OpenApiExample(
    "One text, one match",
    value={
        "results": [
            {
                "text": "ICE moved more than 70 women out of a Texas detention center.",
                "matches": [
                    {
                        "claim": {"id": 11, "quote": "ICE has moved more than 700 women …"},
                        "score": 0.97,
                        "confidence": "possible",
                        "why": ["numbers differ: 70 in the text, 700 in the claim"],
                    }
                ],
            }
        ]
    },
    response_only=True,
)


class ClaimMatchView(GenericAPIView):
    """The fact-checked claims that say the same thing as a text: a score from 0 to 1 and a
    confidence, `high` (the same claim) or `possible` (worth a look), with the reasons a
    similar text may say something else (numbers, negation, direction, names). See
    docs/api.md."""

    permission_classes = [AnyStatusNeedsViewPermission]
    serializer_class = MatchResponseSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        public = self.status == "published"
        claims = Claim.objects.published() if public else Claim.objects.all()
        return claims_for_serializer(claims, public=public)

    def matches(self, texts):
        self.status = self.validated(MatchStatusSerializer, self.request.query_params)["status"]
        found = match_texts(texts, claims=self.get_queryset())
        results = [
            {"text": text, "matches": matches} for text, matches in zip(texts, found, strict=True)
        ]
        context = self.get_serializer_context()
        return Response(MatchResponseSerializer({"results": results}, context=context).data)

    @staticmethod
    def validated(serializer_class, data):
        serializer = serializer_class(data=data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(
        operation_id="claims_match",
        tags=["claims:match"],
        parameters=[MatchQuerySerializer],
        examples=[EXAMPLE],
    )
    def get(self, request):
        """One text's matches (`?text=`)."""
        return self.matches([self.validated(MatchQuerySerializer, request.query_params)["text"]])

    @extend_schema(
        operation_id="claims_match_batch",
        tags=["claims:match"],
        parameters=[MatchStatusSerializer],
        request=MatchRequestSerializer,
        examples=[EXAMPLE],
    )
    def post(self, request):
        """Up to 100 texts' matches, one result per text in the order sent."""
        return self.matches(self.validated(MatchRequestSerializer, request.data)["texts"])
