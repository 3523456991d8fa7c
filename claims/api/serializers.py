"""JSON shapes of the API. Read serializers nest what a reader needs to make sense of a row;
write serializers take ids and slugs and run the model's own validation."""

import contextlib
import copy

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.settings import api_settings

from claims import services
from claims.claimreview import claim_review, page_url
from claims.models import (
    Appearance,
    Claim,
    Correction,
    Counterclaim,
    Evidence,
    StanceLink,
    Topic,
    Verdict,
)
from sources.models import Actor, Source


def drf_errors(error):
    """A Django ValidationError in DRF's error shape: ``{"field": ["message", ...]}``, with
    errors that belong to no field under ``non_field_errors``."""
    detail = serializers.as_serializer_error(error)
    if NON_FIELD_ERRORS in detail:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
    return detail


class ModelValidationMixin:
    """Runs the model's ``full_clean()`` (field validators, ``clean()``, unique and check
    constraints) on the row as it would be saved, so the API enforces the same rules as the
    admin, and reports them field by field."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        concrete = {field.name for field in model._meta.concrete_fields}
        row = copy.copy(self.instance) if self.instance is not None else model()
        for name, value in attrs.items():
            if name in concrete:  # not many-to-many, nor a write's correction note
                setattr(row, name, value)
        try:
            row.full_clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(drf_errors(error)) from error
        return attrs


# Small nested shapes, reused wherever a row points at another.


class ActorSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Actor
        fields = ["id", "name", "kind", "same_as"]


SOURCE_LABEL_HELP = (
    "The title, or for an untitled document (empty `title`) a plain description: "
    "kind, publisher and the document it was reported in. Never an invented title."
)


class SourceSummarySerializer(serializers.ModelSerializer):
    publisher = ActorSummarySerializer(read_only=True, allow_null=True)
    label = serializers.CharField(read_only=True, help_text=SOURCE_LABEL_HELP)

    class Meta:
        model = Source
        fields = ["id", "title", "label", "kind", "url", "publisher", "published_on"]


class VerdictSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Verdict
        fields = ["label", "slug", "rating"]


class TopicSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "name"]


class TextQuoteSelectorSerializer(serializers.Serializer):
    """Where quoted words were found in their source's stored text: a W3C Web Annotation
    TextQuoteSelector, taken from the original text."""

    type = serializers.CharField(read_only=True, help_text='Always "TextQuoteSelector".')
    exact = serializers.CharField(read_only=True, help_text="The passage, as the source has it.")
    prefix = serializers.CharField(read_only=True, help_text="Up to 32 characters before it.")
    suffix = serializers.CharField(read_only=True, help_text="Up to 32 characters after it.")


class QuoteCheckedSerializer(serializers.Serializer):
    """Adds the stored quote check of a claim or a piece of evidence (read-only; the model
    field ``quote_check`` is listed in ``Meta.fields``)."""

    quote_selector = TextQuoteSelectorSerializer(
        read_only=True,
        allow_null=True,
        help_text="Where the words were found; null unless quote_check is match.",
    )


# Claims.


class ClaimEvidenceSerializer(serializers.ModelSerializer):
    """One piece of evidence as it bears on a claim (a stance link, seen from the claim)."""

    id = serializers.IntegerField(source="evidence_id", read_only=True, help_text="Evidence id.")
    url = serializers.HyperlinkedRelatedField(
        source="evidence", view_name="api:evidence-detail", read_only=True
    )
    excerpt = serializers.CharField(source="evidence.excerpt", read_only=True)
    location = serializers.CharField(source="evidence.location", read_only=True)
    source = SourceSummarySerializer(source="evidence.source", read_only=True)
    author = ActorSummarySerializer(source="evidence.author", read_only=True, allow_null=True)

    class Meta:
        model = StanceLink
        fields = ["stance", "note", "id", "url", "excerpt", "location", "source", "author"]


def _linked_claim_serializer(end, name, doc):
    """A claim at the ``end`` of a counterclaim link; both directions share the shape."""

    class LinkedClaim(serializers.Serializer):
        id = serializers.IntegerField(source=f"{end}.id", read_only=True)
        url = serializers.HyperlinkedRelatedField(
            source=end, view_name="api:claim-detail", read_only=True
        )
        summary = serializers.CharField(source=f"{end}.summary", read_only=True)
        claimant = serializers.CharField(source=f"{end}.claimant.name", read_only=True)
        note = serializers.CharField(read_only=True)

    LinkedClaim.__name__ = LinkedClaim.__qualname__ = name
    LinkedClaim.__doc__ = doc
    return LinkedClaim


AnsweredClaimSerializer = _linked_claim_serializer(
    "original", "AnsweredClaimSerializer", "A claim this claim answers or rebuts."
)
AnsweringClaimSerializer = _linked_claim_serializer(
    "response", "AnsweringClaimSerializer", "A claim that answers or rebuts this one."
)


class CounterclaimsSerializer(serializers.Serializer):
    answers = AnsweredClaimSerializer(source="original_links", many=True, read_only=True)
    answered_by = AnsweringClaimSerializer(source="response_links", many=True, read_only=True)


class CorrectionSerializer(serializers.ModelSerializer):
    """A public correction or retraction of a published fact check."""

    claim = serializers.HyperlinkedRelatedField(view_name="api:claim-detail", read_only=True)
    verdict_before = VerdictSummarySerializer(read_only=True, allow_null=True)
    verdict_after = VerdictSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Correction
        fields = [
            "id",
            "claim",
            "kind",
            "created_at",
            "changed",
            "verdict_before",
            "verdict_after",
            "note",
        ]


class AppearanceSerializer(QuoteCheckedSerializer, serializers.ModelSerializer):
    """Another time the claim was said: by whom, when, where, in which words (checked against
    the source's stored text like the claim's quote)."""

    claimant = ActorSummarySerializer(read_only=True)
    source = SourceSummarySerializer(read_only=True)

    class Meta:
        model = Appearance
        fields = ["id", "quote", "claimant", "source", "said_on", "quote_check", "quote_selector"]


class ClaimSerializer(QuoteCheckedSerializer, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:claim-detail")
    page_url = serializers.SerializerMethodField(help_text="The claim's public page.")
    claimant = ActorSummarySerializer(read_only=True)
    source = SourceSummarySerializer(read_only=True)
    verdict = VerdictSummarySerializer(read_only=True, allow_null=True)
    topics = TopicSummarySerializer(many=True, read_only=True)
    evidence = ClaimEvidenceSerializer(
        source="stance_links", many=True, read_only=True, help_text="In the editor's order."
    )
    counterclaims = CounterclaimsSerializer(source="*", read_only=True)
    corrections = CorrectionSerializer(
        many=True, read_only=True, help_text="Public corrections and retraction, newest first."
    )
    appearances = AppearanceSerializer(
        source="shown_appearances",
        many=True,
        read_only=True,
        help_text="The other times the claim was said, oldest first (undated last).",
    )

    class Meta:
        model = Claim
        fields = [
            "id",
            "url",
            "page_url",
            "quote",
            "language",
            "summary",
            "claimant",
            "source",
            "said_on",
            "verdict",
            "ruling",
            "topics",
            "evidence",
            "appearances",
            "counterclaims",
            "corrections",
            "quote_check",
            "quote_selector",
            "status",
            "retraction_note",
            "published_at",
            "updated_at",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, claim):
        # Drafts have no public page yet (an editor reading them with include_drafts).
        return page_url(claim, self.context.get("request")) if claim.is_public else None


class CorrectionFieldsSerializer(serializers.Serializer):
    """What a write to a published fact check (or its evidence) says to readers. The rules:
    ``claims.rules`` and docs/editorial-rules.md."""

    correction_note = serializers.CharField(
        required=False,
        allow_blank=True,
        write_only=True,
        max_length=5000,
        help_text="For a material change (quote, claimant, source, date said, verdict, ruling, "
        "evidence added, removed or restanced) to a published or retracted claim: the public "
        "correction note shown on the claim page, at /corrections/, in the feed and the API, "
        "and the reason in the claim's history. Without it (or `minor`) such a write is a 400.",
    )
    minor = serializers.BooleanField(
        required=False,
        default=False,
        write_only=True,
        help_text="Editors only: the material change is minor (a typo). No correction is "
        "published; the change is listed publicly as an update, with `correction_note` as "
        "its one-line description when given.",
    )


@contextlib.contextmanager
def editorial_errors():
    """The refusals of ``claims.services`` as API errors: a 400 keyed by the field to fix, or
    a 403 that says why (DRF would replace a Django PermissionDenied's reason by its own)."""
    try:
        yield
    except DjangoValidationError as error:
        raise serializers.ValidationError(drf_errors(error)) from error
    except PermissionDenied as error:
        raise exceptions.PermissionDenied(str(error)) from error


class ClaimWriteSerializer(
    ModelValidationMixin, CorrectionFieldsSerializer, serializers.ModelSerializer
):
    """What an editor sends to create or change a claim. New claims are drafts: ``status``
    changes only through the workflow (``POST /api/v1/claims/{id}/publish/``). Writes go
    through ``claims.services``, which applies the editorial rules."""

    claimant = serializers.PrimaryKeyRelatedField(queryset=Actor.objects.all())
    source = serializers.PrimaryKeyRelatedField(queryset=Source.objects.all())
    verdict = serializers.SlugRelatedField(
        slug_field="slug", queryset=Verdict.objects.all(), allow_null=True, required=False
    )
    topics = serializers.SlugRelatedField(
        slug_field="slug", queryset=Topic.objects.all(), many=True, required=False
    )
    quote_override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        write_only=True,
        help_text="Why the claim may be published although its quote was not found in the "
        "source's text. Only editors who publish (`claims.publish_claim`) may set it; it is "
        "kept in the claim's history, not shown to readers.",
    )

    class Meta:
        model = Claim
        fields = [
            "quote",
            "language",
            "summary",
            "claimant",
            "source",
            "said_on",
            "topics",
            "verdict",
            "ruling",
            "quote_override_reason",
            "correction_note",
            "minor",
        ]

    def validate_quote_override_reason(self, value):
        return value.strip()

    def create(self, validated_data):
        validated_data.pop("correction_note", None)
        validated_data.pop("minor", None)
        with editorial_errors():
            return services.create_claim(by=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        with editorial_errors():
            services.change_claim(instance, by=self.context["request"].user, **validated_data)
        return instance


class ClaimCSVSerializer(serializers.ModelSerializer):
    """One flat row per claim; the evidence is summarised as counts per stance and the titles
    of the sources it comes from."""

    page_url = serializers.SerializerMethodField()
    claimant = serializers.CharField(source="claimant.name")
    claimant_kind = serializers.CharField(source="claimant.kind")
    source_title = serializers.CharField(source="source.title")
    source_url = serializers.CharField(source="source.url")
    verdict = serializers.CharField(source="verdict.label", default="")
    rating = serializers.IntegerField(source="verdict.rating", default=None)
    topics = serializers.SerializerMethodField()
    refutes = serializers.SerializerMethodField()
    context = serializers.SerializerMethodField()
    supports = serializers.SerializerMethodField()
    evidence_sources = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = [
            "id",
            "page_url",
            "quote",
            "summary",
            "claimant",
            "claimant_kind",
            "said_on",
            "source_title",
            "source_url",
            "verdict",
            "rating",
            "ruling",
            "topics",
            "refutes",
            "context",
            "supports",
            "evidence_sources",
            "status",
            "published_at",
            "updated_at",
        ]

    def get_page_url(self, claim):
        return page_url(claim, self.context.get("request")) if claim.is_public else ""

    def get_topics(self, claim):
        return "; ".join(topic.name for topic in claim.topics.all())

    def _count(self, claim, stance):
        return sum(1 for link in claim.stance_links.all() if link.stance == stance)

    def get_refutes(self, claim):
        return self._count(claim, StanceLink.Stance.REFUTES)

    def get_context(self, claim):
        return self._count(claim, StanceLink.Stance.CONTEXT)

    def get_supports(self, claim):
        return self._count(claim, StanceLink.Stance.SUPPORTS)

    def get_evidence_sources(self, claim):
        titles = dict.fromkeys(link.evidence.source.title for link in claim.stance_links.all())
        return "; ".join(titles)


CLAIM_REVIEW_SCHEMA = {
    "type": "object",
    "description": "A schema.org ClaimReview (JSON-LD).",
    "additionalProperties": True,
    "example": {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://example.org/claims/1/example/",
        "claimReviewed": "The exact words.",
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Organization", "name": "X"}},
        "author": {"@type": "Organization", "name": "Counterclaim"},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": 1,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": "False",
        },
    },
}


class ClaimReviewSerializer(serializers.BaseSerializer):
    """A claim as schema.org ClaimReview; the building is ``claims.claimreview.claim_review``.
    The view puts ``bounds`` (the verdict scale's worst and best ratings) in the context once
    for a whole list."""

    def to_representation(self, claim):
        return claim_review(claim, self.context.get("request"), bounds=self.context.get("bounds"))


class ClaimReviewSchema(OpenApiSerializerExtension):
    """Tells drf-spectacular what ``ClaimReviewSerializer`` gives, since its fields are not
    DRF fields."""

    target_class = ClaimReviewSerializer

    def map_serializer(self, auto_schema, direction):
        return CLAIM_REVIEW_SCHEMA


# Evidence, stance links and counterclaim links.


class EvidenceClaimSerializer(serializers.ModelSerializer):
    """A claim this evidence serves, and how."""

    id = serializers.IntegerField(source="claim_id", read_only=True, help_text="Claim id.")
    url = serializers.HyperlinkedRelatedField(
        source="claim", view_name="api:claim-detail", read_only=True
    )

    class Meta:
        model = StanceLink
        fields = ["id", "url", "stance", "note"]


class EvidenceSerializer(QuoteCheckedSerializer, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:evidence-detail")
    source = SourceSummarySerializer(read_only=True)
    author = ActorSummarySerializer(read_only=True, allow_null=True)
    claims = EvidenceClaimSerializer(source="stance_links", many=True, read_only=True)

    class Meta:
        model = Evidence
        fields = [
            "id",
            "url",
            "excerpt",
            "location",
            "source",
            "author",
            "claims",
            "quote_check",
            "quote_selector",
            "updated_at",
        ]


class EvidenceWriteSerializer(ModelValidationMixin, serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ["excerpt", "source", "author", "location"]


class StanceLinkSerializer(
    ModelValidationMixin, CorrectionFieldsSerializer, serializers.ModelSerializer
):
    """How a piece of evidence bears on a claim; ``position`` orders a claim's evidence.
    Adding, removing or restancing evidence of a published claim is a material change:
    send ``correction_note`` (or an editor's ``minor``)."""

    url = serializers.HyperlinkedIdentityField(view_name="api:stancelink-detail")

    class Meta:
        model = StanceLink
        fields = [
            "id",
            "url",
            "claim",
            "evidence",
            "stance",
            "note",
            "position",
            "correction_note",
            "minor",
        ]

    def save(self, **kwargs):
        data = {**self.validated_data, **kwargs}
        note, minor = data.pop("correction_note", ""), data.pop("minor", False)
        link = self.instance or StanceLink()
        for name, value in data.items():
            setattr(link, name, value)
        with editorial_errors():
            self.instance = services.save_stance_link(
                link, by=self.context["request"].user, correction_note=note, minor=minor
            )
        return self.instance


class CounterclaimSerializer(ModelValidationMixin, serializers.ModelSerializer):
    """``response`` is a tracked claim that answers or rebuts ``original``."""

    url = serializers.HyperlinkedIdentityField(view_name="api:counterclaim-detail")

    class Meta:
        model = Counterclaim
        fields = ["id", "url", "original", "response", "note"]

    def save(self, **kwargs):
        link = self.instance or Counterclaim()
        for name, value in {**self.validated_data, **kwargs}.items():
            setattr(link, name, value)
        with editorial_errors():
            self.instance = services.save_counterclaim(link, by=self.context["request"].user)
        return self.instance


# Provenance: sources and actors.


class SourceSerializer(serializers.ModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(view_name="api:source-detail")
    publisher = ActorSummarySerializer(read_only=True, allow_null=True)
    authors = ActorSummarySerializer(many=True, read_only=True)
    via = serializers.SerializerMethodField(
        help_text="The document that reports this one, when the original was not seen."
    )
    label = serializers.CharField(read_only=True, help_text=SOURCE_LABEL_HELP)

    class Meta:
        model = Source
        fields = [
            "id",
            "api_url",
            "title",
            "label",
            "kind",
            "url",
            "archive_url",
            "publisher",
            "authors",
            "published_on",
            "language",
            "via",
            "updated_at",
        ]

    @extend_schema_field(SourceSummarySerializer(allow_null=True))
    def get_via(self, source):
        if source.via_id is None:
            return None
        return SourceSummarySerializer(source.via, context=self.context).data


class SourceWriteSerializer(ModelValidationMixin, serializers.ModelSerializer):
    """``text`` (the passages that hold the quotes, for quote checks) can be written but is
    not published through the API."""

    class Meta:
        model = Source
        fields = [
            "title",
            "kind",
            "url",
            "archive_url",
            "publisher",
            "authors",
            "published_on",
            "language",
            "via",
            "text",
        ]


class ActorSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:actor-detail")

    class Meta:
        model = Actor
        fields = ["id", "url", "name", "slug", "kind", "description", "same_as", "updated_at"]


class ActorWriteSerializer(ModelValidationMixin, serializers.ModelSerializer):
    class Meta:
        model = Actor
        fields = ["name", "kind", "description", "same_as"]


class TopicSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:topic-detail", lookup_field="slug")

    class Meta:
        model = Topic
        fields = ["slug", "url", "name", "description"]


class VerdictSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:verdict-detail", lookup_field="slug")

    class Meta:
        model = Verdict
        fields = ["slug", "url", "label", "rating", "description"]


class WorkflowNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class StaleWriteSerializer(serializers.Serializer):
    """The answer to a write based on an older version of the row (412)."""

    detail = serializers.CharField()
    etag = serializers.CharField(
        help_text='The current version\'s ETag (`"<version>"`), to send in If-Match.'
    )
    changed = serializers.DictField(
        child=serializers.CharField(),
        help_text="Each field changed since the version sent, with its value now; empty when "
        "If-Match named no single version (weak ETags, several versions, none of ours).",
    )
