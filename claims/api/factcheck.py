"""``/api/v1/claims:search``: Google Fact Check Tools' ``claims:search`` over our claims.

Same parameters and response shape as
https://developers.google.com/fact-check/tools/api/reference/rest/v1alpha1/claims/search,
so a client of that API can point at Counterclaim by changing its base URL. Results are the
published (not retracted) claims, newest review first; the text search is the site's own
``Claim.objects.search()``.
"""

import base64
import binascii
import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from claims import languages
from claims.api.pagination import page_size_field
from claims.claimreview import page_url, reviewable
from claims.filters import MAX_QUERY_LENGTH
from claims.models import Claim
from claims.pagination import rows_in_order
from config.site import site_domain

MAX_OFFSET = 2**31 - 1
# Python's datetime cannot go further back than this many days from now.
MAX_AGE_DAYS = 700_000


def encode_token(offset):
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def decode_token(token):
    try:
        prefix, _, offset = base64.urlsafe_b64decode(token.encode()).decode().partition(":")
        if prefix == "offset" and offset.isdigit() and int(offset) <= MAX_OFFSET:
            return int(offset)
    except (binascii.Error, UnicodeError, ValueError):
        pass
    raise serializers.ValidationError({"pageToken": ["Invalid page token."]})


def _timestamp(value):
    """RFC 3339 in UTC with a Z, as Google's API writes timestamps."""
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.UTC)
    else:
        value = dt.datetime.combine(value, dt.time.min, tzinfo=dt.UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


class FactCheckQuerySerializer(serializers.Serializer):
    query = serializers.CharField(
        required=False,
        max_length=MAX_QUERY_LENGTH,
        help_text="Words to search for. Required unless reviewPublisherSiteFilter is given.",
    )
    languageCode = serializers.CharField(
        required=False,
        max_length=languages.MAX_LENGTH,
        validators=[languages.validate_language_tag],
        help_text='BCP-47 language of the claims, e.g. "es" or "en-US"; only the language is '
        'compared, not the region ("en-US" also finds claims tagged en or en-GB).',
    )
    reviewPublisherSiteFilter = serializers.CharField(
        required=False,
        max_length=253,
        help_text="Publisher site, e.g. example.org: this site's reviews when it matches, "
        "none otherwise.",
    )
    maxAgeDays = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_AGE_DAYS,
        help_text="Only claims said or reviewed within this many days.",
    )
    pageSize = page_size_field(required=False, default=10)
    pageToken = serializers.CharField(
        required=False, max_length=100, help_text="nextPageToken of the previous response."
    )
    offset = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_OFFSET,
        default=0,
        help_text="Where to start; ignored when pageToken is given.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The lists' rule, with the maximum as it is set now.
        self.fields["pageSize"] = page_size_field(required=False, default=10)

    def validate(self, attrs):
        if not attrs.get("query", "").strip() and not attrs.get("reviewPublisherSiteFilter"):
            raise serializers.ValidationError(
                {"query": ["Give query or reviewPublisherSiteFilter."]}
            )
        if attrs.get("pageToken"):
            attrs["offset"] = decode_token(attrs["pageToken"])
        return attrs


class PublisherSerializer(serializers.Serializer):
    name = serializers.CharField()
    site = serializers.CharField()


class FactCheckReviewSerializer(serializers.Serializer):
    publisher = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    title = serializers.CharField(source="summary")
    reviewDate = serializers.SerializerMethodField()
    textualRating = serializers.CharField(source="verdict.label")
    languageCode = serializers.SerializerMethodField()

    def get_publisher(self, claim) -> PublisherSerializer:
        return {"name": settings.SITE_NAME, "site": site_domain(self.context.get("request"))}

    def get_url(self, claim) -> str:
        return page_url(claim, self.context.get("request"))

    def get_reviewDate(self, claim) -> str:
        return _timestamp(claim.published_at)

    def get_languageCode(self, claim) -> str:
        # A claim's review is in the claim's language, as Google's results give it.
        return claim.language


class FactCheckClaimSerializer(serializers.Serializer):
    text = serializers.CharField(source="quote")
    claimant = serializers.CharField(source="claimant.name")
    claimDate = serializers.SerializerMethodField()
    claimReview = serializers.SerializerMethodField()

    def get_claimDate(self, claim) -> str | None:
        return _timestamp(claim.said_on) if claim.said_on else None

    def get_claimReview(self, claim) -> FactCheckReviewSerializer(many=True):
        return [FactCheckReviewSerializer(claim, context=self.context).data]


class FactCheckResponseSerializer(serializers.Serializer):
    claims = FactCheckClaimSerializer(many=True)
    nextPageToken = serializers.CharField(required=False)


class FactCheckSearchView(GenericAPIView):
    """Search fact-checked claims with Google Fact Check Tools' parameters and response."""

    permission_classes = [AllowAny]
    serializer_class = FactCheckResponseSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return reviewable(Claim.objects).with_related()

    @extend_schema(
        operation_id="claims_search",
        tags=["claims:search"],
        parameters=[FactCheckQuerySerializer],
        examples=[
            OpenApiExample(
                "A page of results",
                value={
                    "claims": [
                        {
                            "text": "The exact words.",
                            "claimant": "An agency",
                            "claimDate": "2025-06-01T00:00:00Z",
                            "claimReview": [
                                {
                                    "publisher": {"name": "Counterclaim", "site": "example.org"},
                                    "url": "https://example.org/claims/1/the-exact-words/",
                                    "title": "The agency says its facilities are safe",
                                    "reviewDate": "2025-06-03T09:30:00Z",
                                    "textualRating": "False",
                                    "languageCode": "en",
                                }
                            ],
                        }
                    ],
                    "nextPageToken": "b2Zmc2V0OjEw",
                },
                response_only=True,
            )
        ],
    )
    def get(self, request):
        params = FactCheckQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        params = params.validated_data
        claims = self.get_queryset()
        if params.get("languageCode"):
            claims = claims.in_language(languages.primary(params["languageCode"]))
        site = params.get("reviewPublisherSiteFilter", "").strip().lower().removeprefix("www.")
        if site and site != site_domain(request):
            claims = claims.none()
        if "maxAgeDays" in params:
            since = timezone.now() - dt.timedelta(days=params["maxAgeDays"])
            claims = claims.filter(Q(published_at__gte=since) | Q(said_on__gte=since.date()))
        rows = claims
        if params.get("query", "").strip():  # last: see ClaimQuerySet.search
            claims = claims.search(params["query"])
        offset, size = params["offset"], params["pageSize"]
        # The page's ids first, then its rows by id (see claims.pagination).
        ids = list(claims.values_list("pk", flat=True)[offset : offset + size + 1])
        page = rows_in_order(rows, ids)
        data = {
            "claims": FactCheckClaimSerializer(
                page[:size], many=True, context={"request": request}
            ).data
        }
        if len(page) > size:
            data["nextPageToken"] = encode_token(offset + size)
        return Response(data)
