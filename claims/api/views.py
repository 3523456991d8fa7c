"""API endpoints. Public reads come from each model's ``published()`` queryset method (the one
gate, ``Claim.objects.published()``, and what is derived from it); only writes and an editor's
``include_drafts`` read see whole tables.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissionsOrAnonReadOnly
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from claims import services
from claims.api import exports, filters, serializers
from claims.api.permissions import (
    INCLUDE_DRAFTS,
    CanChange,
    DraftsNeedViewPermission,
    EditorialRules,
    wants_drafts,
)
from claims.api.preconditions import check_if_match, etag_header, stale, with_read_etag
from claims.api.renderers import CSVRenderer, JSONLDRenderer
from claims.cache import claim_tag, depend_on, public_count
from claims.claimreview import reviewable
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
from sources.concurrency import EditConflict, Versioned
from sources.models import Actor, Source

INCLUDE_DRAFTS_PARAMETER = OpenApiParameter(
    INCLUDE_DRAFTS,
    OpenApiTypes.BOOL,
    description="Editors only: also return rows that are not public (drafts, claims in "
    "review, and what only they use). Needs the model's view permission, e.g. "
    "`claims.view_claim`; 401/403 without it.",
)


READ_ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    description='`"<version>.<digest>"`: the row\'s version and a digest of this body. It '
    "changes whenever the body does, also when only related rows changed (a claim's "
    "evidence, stances, sources, claimant, topics, corrections or counterclaims; the claims a "
    "piece of evidence serves; a source's publisher or authors), so If-None-Match gets 304 "
    "only while the body is the same. Send it back in If-Match to change the row: only its "
    "version is compared.",
)
WRITE_ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201],
    description='`"<version>"`: the version this write made. Send it in If-Match for the next '
    "change.",
)
IF_MATCH_HEADER = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the version you are changing, as the last GET "
    '(`"<version>.<digest>"`), write or 412 (`"<version>"`) gave it; several may be sent, '
    "separated by commas. Only the version is compared: a change to related rows since your "
    "GET does not refuse the write, a change to the row itself does (412). Weak ETags "
    '(`W/"…"`) never match (strong comparison, RFC 9110): 412. Malformed (an unquoted '
    "`12`): 400. Missing: 428. `*` overwrites any version.",
)
PRECONDITION_RESPONSES = {
    412: OpenApiResponse(
        serializers.StaleWriteSerializer,
        description="The row changed after the version sent in If-Match (or If-Match held "
        "only weak ETags, or none the API gave); nothing was saved.",
    ),
    428: OpenApiResponse(
        serializers.DetailSerializer, description="If-Match is missing; nothing was saved."
    ),
}


def documented(*, read, write=None, tags):
    """OpenAPI details every resource shares: the include_drafts switch on reads, and writes
    that take one shape and answer with the read shape. Rows that carry a version (claims,
    evidence, sources) also have an ETag, and writes to them need If-Match."""

    def decorate(viewset):
        versioned = issubclass(viewset.queryset.model, Versioned)
        read_etag = [READ_ETAG_HEADER] if versioned else []
        etag = [WRITE_ETAG_HEADER] if versioned else []
        views = {
            "list": extend_schema(tags=tags, parameters=[INCLUDE_DRAFTS_PARAMETER]),
            "retrieve": extend_schema(tags=tags, parameters=[INCLUDE_DRAFTS_PARAMETER, *read_etag]),
        }
        if write is not None:
            views["create"] = extend_schema(
                tags=tags, request=write, responses={201: read}, parameters=etag
            )
            update = {
                "tags": tags,
                "request": write,
                "responses": {200: read, **(PRECONDITION_RESPONSES if versioned else {})},
                "parameters": [IF_MATCH_HEADER, *etag] if versioned else [],
            }
            views["update"] = extend_schema(**update)
            views["partial_update"] = extend_schema(**update)
        return extend_schema_view(**views)(viewset)

    return decorate


class GatedViewSet(viewsets.GenericViewSet):
    """Reads come from ``public_queryset()``; writes, and reads by an editor who asked for
    drafts (``DraftsNeedViewPermission`` has checked the permission), from ``queryset``.
    ``related()`` loads what the read serializer shows, in a fixed number of queries."""

    permission_classes = [
        DjangoModelPermissionsOrAnonReadOnly,
        DraftsNeedViewPermission,
        EditorialRules,
    ]

    def check_editorial_rules(self, row):
        """Raise PermissionDenied when the user may not change ``row`` (``claims.services``)."""

    def public_queryset(self):
        raise NotImplementedError

    def related(self, queryset, *, public):
        return queryset

    @property
    def public(self):
        return self.request.method in SAFE_METHODS and not wants_drafts(self.request)

    def unfiltered_count(self):
        """The list's count when it is the whole public set, kept per version of the
        cached lists (``claims.cache.public_count``); None when the request filters or reads
        drafts. A parameter that starts with a filter's name counts as filtering
        (django-filter's ranges add suffixes); the order does not change the count."""
        if not self.public:
            return None
        filterset = getattr(self, "filterset_class", None)
        names = [name for name in getattr(filterset, "base_filters", {}) if name != "ordering"]
        if any(param.startswith(tuple(names)) for param in self.request.query_params):
            return None
        return public_count(self.public_queryset(), self.request)

    def get_queryset(self):
        if self.public:
            return self.related(self.public_queryset(), public=True)
        if self.request.method in SAFE_METHODS:
            return self.related(self.queryset.all(), public=False)
        return self.queryset.all()


class ReadOnlyGatedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    pass


class WritableGatedViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnlyGatedViewSet):
    """Create and update (no delete: published content is withdrawn through the workflow).
    A write validates with the model's rules, runs in one transaction, and answers with the
    read shape of the saved row."""

    write_serializer_class = None

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return self.write_serializer_class or self.serializer_class
        return super().get_serializer_class()

    def retrieve(self, request, *args, **kwargs):
        row = self.get_object()
        return with_read_etag(Response(self.get_serializer(row).data), row)

    @transaction.atomic
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = serializer.save()
        data = self.read(row)
        headers = {**self._location(data), **etag_header(row)}
        return Response(data, status=status.HTTP_201_CREATED, headers=headers)

    @transaction.atomic
    def update(self, request, *args, **kwargs):
        """A write to a row that carries a version must name the version it changes
        (If-Match); the save itself checks it again, against a write that raced this one."""
        partial = kwargs.pop("partial", False)
        row = self.get_object()
        check_if_match(request, row)
        serializer = self.get_serializer(row, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        try:
            row = serializer.save()
        except EditConflict as conflict:
            raise stale(row, conflict.loaded_version) from conflict
        return Response(self.read(row), headers=etag_header(row))

    def read(self, row):
        """The saved row as a reader sees it, loaded again with its related rows."""
        row = self.related(self.queryset.all(), public=False).get(pk=row.pk)
        return self.serializer_class(row, context=self.get_serializer_context()).data

    @staticmethod
    def _location(data):
        # A source's ``url`` is the document's own address; its API address is ``api_url``.
        # DRF's Hyperlink is a str subclass; WSGI servers accept only str header values.
        url = data.get("api_url") or data.get("url")
        return {"Location": str(url)} if url else {}


def request_data(request):
    """A body's fields, or for a DELETE sent without a body, the query string's."""
    return request.data if request.data else request.query_params


def _links_in_order():
    return StanceLink.objects.select_related(
        "evidence__source__publisher", "evidence__source__via__publisher", "evidence__author"
    )


def claims_for_serializer(queryset, *, public):
    """``queryset`` with what ``ClaimSerializer`` shows, in a fixed number of queries."""
    # Counterclaims only between claims the reader may see.
    links = Counterclaim.objects.published() if public else Counterclaim.objects.all()
    return queryset.with_related().prefetch_related(
        Prefetch("stance_links", queryset=_links_in_order()),
        Prefetch("original_links", queryset=links.select_related("original__claimant")),
        Prefetch("response_links", queryset=links.select_related("response__claimant")),
        Prefetch("corrections", queryset=_corrections()),
        Prefetch(
            "appearances",
            queryset=Appearance.objects.shown(public=public),
            to_attr="shown_appearances",
        ),
    )


@documented(
    read=serializers.ClaimSerializer, write=serializers.ClaimWriteSerializer, tags=["claims"]
)
class ClaimViewSet(WritableGatedViewSet):
    """Claims: the exact quote, who said it, where and when, the verdict and ruling, and the
    evidence in the editor's order. Created through the API as drafts."""

    queryset = Claim.objects.all()
    serializer_class = serializers.ClaimSerializer
    write_serializer_class = serializers.ClaimWriteSerializer
    filterset_class = filters.ClaimFilter
    lookup_value_regex = r"[0-9]+"

    def public_queryset(self):
        return Claim.objects.published()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # A claim's own reads (its detail and JSON-LD) are retired with the claim, not with
        # every write to the lists (claims.cache).
        if self.action in ("retrieve", "claimreview") and self.public:
            depend_on(request, claim_tag(kwargs["pk"]))

    def check_editorial_rules(self, claim):
        services.check_may_change(claim, by=self.request.user)

    def related(self, queryset, *, public):
        return claims_for_serializer(queryset, public=public)

    def get_serializer_class(self):
        if self.action == "csv":
            return serializers.ClaimCSVSerializer
        if self.action in ("claimreview", "claimreview_list"):
            return serializers.ClaimReviewSerializer
        return super().get_serializer_class()

    def _workflow_step(self, request, step):
        """Run one workflow step (``services.take_step``: the claim's own method checks
        status and permission)."""
        claim = self.get_object()
        try:
            step(claim, request.user)
        except DjangoValidationError as error:
            return Response(serializers.drf_errors(error), status=status.HTTP_400_BAD_REQUEST)
        return Response(self.read(claim), headers=etag_header(claim))

    @extend_schema(
        tags=["workflow"],
        request=None,
        responses={200: serializers.ClaimSerializer},
        description="Submit a draft for review (needs `claims.change_claim`).",
    )
    @action(detail=True, methods=["post"], permission_classes=[CanChange])
    def submit(self, request, pk=None):
        return self._workflow_step(request, _step("submit_for_review"))

    @extend_schema(
        tags=["workflow"],
        request=None,
        responses={200: serializers.ClaimSerializer},
        description="Publish a claim in review (needs `claims.publish_claim`, which editors "
        "have). A claim needs a verdict, a ruling and at least one piece of evidence; what is "
        "missing comes back as a 400 with field errors. Without the permission: 403.",
    )
    @action(detail=True, methods=["post"], permission_classes=[CanChange])
    def publish(self, request, pk=None):
        return self._workflow_step(request, _step("publish"))

    @extend_schema(
        tags=["workflow"],
        request=serializers.WorkflowNoteSerializer,
        responses={200: serializers.ClaimSerializer},
        description="Send a claim in review back to draft, with an optional note "
        "(needs `claims.publish_claim`).",
    )
    @action(detail=True, methods=["post"], url_path="send-back", permission_classes=[CanChange])
    def send_back(self, request, pk=None):
        note = serializers.WorkflowNoteSerializer(data=request.data)
        note.is_valid(raise_exception=True)
        return self._workflow_step(
            request, _step("send_back_to_draft", note.validated_data["note"])
        )

    @extend_schema(
        tags=["workflow"],
        request=serializers.WorkflowNoteSerializer,
        responses={200: serializers.ClaimSerializer},
        description="Retract a published claim (needs `claims.publish_claim`). `note` is "
        "required: it is shown publicly on the claim page and in the corrections.",
    )
    @action(detail=True, methods=["post"], permission_classes=[CanChange])
    def retract(self, request, pk=None):
        note = serializers.WorkflowNoteSerializer(data=request.data)
        note.is_valid(raise_exception=True)
        return self._workflow_step(request, _step("retract", note.validated_data["note"]))

    @extend_schema(
        tags=["exports"],
        responses=serializers.ClaimReviewSerializer,
        description="One published claim as schema.org ClaimReview JSON-LD. Retracted "
        "claims have no ClaimReview (404).",
    )
    @action(detail=True, renderer_classes=[JSONLDRenderer, JSONRenderer], pagination_class=None)
    def claimreview(self, request, pk=None):
        claim = get_object_or_404(
            reviewable(Claim.objects).with_related().with_appearances(), pk=pk
        )
        return Response(self.get_serializer(claim).data)

    @extend_schema(
        tags=["exports"],
        responses=serializers.ClaimReviewSerializer(many=True),
        filters=True,
        description="Every published claim that matches the filters, as a JSON-LD array of "
        "schema.org ClaimReview objects, in id order (not paginated; retracted claims left "
        "out). Streamed: the first bytes come at once, whatever the size.",
    )
    @action(
        detail=False,
        url_path="claimreview",
        renderer_classes=[JSONLDRenderer, JSONRenderer],
        pagination_class=None,
    )
    def claimreview_list(self, request):
        # Filtered among the public claims, as the list is (the same claimants and topics
        # are known), then only those with a rating to republish.
        claims = reviewable(
            self.filter_queryset(Claim.objects.published().with_related().with_appearances())
        )
        return StreamingHttpResponse(
            exports.claimreview_stream(claims, request),
            content_type=request.accepted_renderer.media_type,
        )

    @extend_schema(
        tags=["exports"],
        responses={(200, "text/csv"): OpenApiTypes.STR},
        parameters=[INCLUDE_DRAFTS_PARAMETER],
        filters=True,
        description="The claims that match the filters as CSV, one row per claim in id order, "
        "the evidence summarised as counts per stance and its sources' titles (not "
        "paginated). Streamed: the header comes at once, whatever the size.",
    )
    @action(detail=False, renderer_classes=[CSVRenderer], pagination_class=None)
    def csv(self, request):
        # Filtered here, before the stream starts, so that a bad filter is still a 400.
        claims = self.filter_queryset(
            exports.csv_related(self.public_queryset() if self.public else self.queryset.all())
        )
        return StreamingHttpResponse(
            exports.csv_stream(claims, request),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="claims.csv"'},
        )


@documented(
    read=serializers.EvidenceSerializer,
    write=serializers.EvidenceWriteSerializer,
    tags=["evidence"],
)
class EvidenceViewSet(WritableGatedViewSet):
    """Excerpts and findings from sources; one piece can serve several claims. Public when it
    serves at least one published claim."""

    queryset = Evidence.objects.all()
    serializer_class = serializers.EvidenceSerializer
    write_serializer_class = serializers.EvidenceWriteSerializer
    filterset_class = filters.EvidenceFilter
    lookup_value_regex = r"[0-9]+"

    def public_queryset(self):
        return Evidence.objects.published()

    def related(self, queryset, *, public):
        links = StanceLink.objects.published() if public else StanceLink.objects.all()
        return queryset.select_related(
            "source__publisher", "source__via__publisher", "author"
        ).prefetch_related(Prefetch("stance_links", queryset=links.select_related("claim")))


@documented(
    read=serializers.StanceLinkSerializer, write=serializers.StanceLinkSerializer, tags=["evidence"]
)
class StanceLinkViewSet(mixins.DestroyModelMixin, WritableGatedViewSet):
    """Links between a claim and a piece of evidence: the stance, why it matters, the order.
    Deleting one takes the evidence off the claim (the evidence itself stays)."""

    queryset = StanceLink.objects.all()
    serializer_class = serializers.StanceLinkSerializer
    filterset_class = filters.StanceLinkFilter
    lookup_value_regex = r"[0-9]+"

    def public_queryset(self):
        return StanceLink.objects.published()

    def check_editorial_rules(self, link):
        services.check_may_change(link.claim, by=self.request.user)

    @extend_schema(
        tags=["evidence"],
        parameters=[
            OpenApiParameter(
                "correction_note",
                OpenApiTypes.STR,
                description="The public correction note (also accepted in a JSON body).",
            ),
            OpenApiParameter(
                "minor", OpenApiTypes.BOOL, description="Editors only: a minor change."
            ),
        ],
        responses={204: None},
        description="Take a piece of evidence off a claim (the evidence itself stays). For a "
        "published or retracted claim, send `correction_note` (or an editor's `minor`): a "
        "400 without either. See docs/editorial-rules.md.",
    )
    def destroy(self, request, *args, **kwargs):
        return super().destroy(request, *args, **kwargs)

    def perform_destroy(self, link):
        change = serializers.CorrectionFieldsSerializer(data=request_data(self.request))
        change.is_valid(raise_exception=True)
        with serializers.editorial_errors():
            services.delete_stance_link(link, by=self.request.user, **change.validated_data)


@documented(
    read=serializers.CounterclaimSerializer,
    write=serializers.CounterclaimSerializer,
    tags=["claims"],
)
class CounterclaimViewSet(mixins.DestroyModelMixin, WritableGatedViewSet):
    """Links from a tracked claim (``response``) to the claim it answers (``original``)."""

    queryset = Counterclaim.objects.all()
    serializer_class = serializers.CounterclaimSerializer
    filterset_class = filters.CounterclaimFilter
    lookup_value_regex = r"[0-9]+"

    def check_editorial_rules(self, link):
        services.check_may_link(link.original, link.response, by=self.request.user)

    @extend_schema(
        tags=["claims"],
        description="Remove a counterclaim link (the claims stay). Needs the right to change "
        "each claim whose page shows it: see docs/editorial-rules.md.",
    )
    def destroy(self, request, *args, **kwargs):
        return super().destroy(request, *args, **kwargs)

    def perform_destroy(self, link):
        with serializers.editorial_errors():
            services.delete_counterclaim(link, by=self.request.user)

    def public_queryset(self):
        return Counterclaim.objects.published()


@documented(
    read=serializers.SourceSerializer, write=serializers.SourceWriteSerializer, tags=["sources"]
)
class SourceViewSet(WritableGatedViewSet):
    """Documents claims are made in and evidence comes from. Public when a published claim
    quotes it or draws evidence from it, or when such a document is known through it
    (``Source.objects.published()``)."""

    queryset = Source.objects.all()
    serializer_class = serializers.SourceSerializer
    write_serializer_class = serializers.SourceWriteSerializer
    filterset_class = filters.SourceFilter
    lookup_value_regex = r"[0-9]+"

    def public_queryset(self):
        return Source.objects.published()

    def related(self, queryset, *, public):
        return queryset.select_related("publisher", "via__publisher", "via__via").prefetch_related(
            "authors"
        )


@documented(
    read=serializers.ActorSerializer, write=serializers.ActorWriteSerializer, tags=["sources"]
)
class ActorViewSet(WritableGatedViewSet):
    """People and organizations who make claims, find evidence, or publish or write sources.
    Public when a published claim, its evidence or its sources name them
    (``Actor.objects.published()``)."""

    queryset = Actor.objects.all()
    serializer_class = serializers.ActorSerializer
    write_serializer_class = serializers.ActorWriteSerializer
    filterset_class = filters.ActorFilter
    lookup_value_regex = r"[0-9]+"

    def public_queryset(self):
        return Actor.objects.published()


@documented(read=serializers.TopicSerializer, tags=["claims"])
class TopicViewSet(ReadOnlyGatedViewSet):
    """Topics of at least one published claim; filter claims with ``?topic=<slug>``."""

    queryset = Topic.objects.all()
    serializer_class = serializers.TopicSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    def public_queryset(self):
        return Topic.objects.published()


def _corrections():
    return Correction.objects.select_related("claim", "verdict_before", "verdict_after")


@extend_schema_view(
    list=extend_schema(tags=["corrections"]), retrieve=extend_schema(tags=["corrections"])
)
class CorrectionViewSet(viewsets.ReadOnlyModelViewSet):
    """Every public correction and retraction, newest first: what changed (a verdict from →
    to), when, and the note. Poll it, or follow the Atom feed at /feeds/corrections/."""

    serializer_class = serializers.CorrectionSerializer

    def get_queryset(self):
        return _corrections().published().order_by("-created_at", "-id")


@extend_schema_view(list=extend_schema(tags=["claims"]), retrieve=extend_schema(tags=["claims"]))
class VerdictViewSet(viewsets.ReadOnlyModelViewSet):
    """The rating scale, worst (1) first. The whole scale is public, like the methodology
    page; filter claims with ``?verdict=<slug>``."""

    queryset = Verdict.objects.all()
    serializer_class = serializers.VerdictSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"


def _step(name, note=""):
    """The workflow step ``name`` as ``_workflow_step`` runs it: ``step(claim, user)``."""
    return lambda claim, by: services.take_step(claim, name, by=by, note=note)
