"""Query-string filters of the list endpoints (django-filter).

Ids and slugs that match nothing give an empty list rather than an error, and do not reveal
whether an unpublished row exists: a filter that looks through other rows (evidence by the
claims it serves) looks only through those the reader may see. Malformed values (a date that
is not a date, a NUL byte, an over-long search) give 400 with the field's error.
"""

import datetime as dt

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django_filters.fields import IsoDateTimeField

from claims.api.permissions import wants_drafts
from claims.models import Claim, Counterclaim, Evidence, StanceLink
from sources.models import Actor, Source

MAX_QUERY_LENGTH = 200


# Ids are 64-bit; a larger number would overflow the database driver rather than match nothing.
MAX_ID = 2**63 - 1


class IdFilter(filters.NumberFilter):
    """A row id: a whole number in the database's range (django-filter's NumberFilter would
    take 1.5 and round it, and pass 10**30 to the driver)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class UTCDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, converted to UTC: PostgreSQL refuses offsets beyond ±15:59 that
    Python accepts (``-21:05``), and a time near year 9999 may not convert at all (400)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(dt.UTC)
        except OverflowError as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error


class UpdatedSinceFilter(filters.IsoDateTimeFilter):
    field_class = UTCDateTimeField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("field_name", "updated_at")
        kwargs.setdefault("lookup_expr", "gte")
        kwargs.setdefault("help_text", "ISO 8601 date-time: rows changed at or after it.")
        super().__init__(*args, **kwargs)


def visible_links(request):
    """The stance links a filter may look through: the public ones, or every one for an editor
    who asked for drafts (the view has checked the permission). Through any other, a public
    piece of evidence would betray a draft it serves, and how."""
    if request is not None and wants_drafts(request):
        return StanceLink.objects.all()
    return StanceLink.objects.published()


class StableOrderingFilter(filters.OrderingFilter):
    """Orders as asked, then by id, so pages never repeat or skip rows that tie."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            qs = qs.order_by(*qs.query.order_by, "-id" if value[0].startswith("-") else "id")
        return qs


class ClaimFilter(filters.FilterSet):
    q = filters.CharFilter(
        method="search",
        max_length=MAX_QUERY_LENGTH,
        help_text="Words that must all appear in the quote, the summary or the claimant's name.",
    )
    claimant = IdFilter(field_name="claimant", help_text="Actor id of who said it.")
    claimant_kind = filters.ChoiceFilter(
        field_name="claimant__kind",
        choices=Actor.Kind.choices,
        help_text="Only claims made by people, or only by organizations.",
    )
    topic = filters.CharFilter(
        field_name="topics__slug", max_length=80, help_text="Topic slug (see /api/v1/topics/)."
    )
    verdict = filters.CharFilter(
        field_name="verdict__slug", max_length=60, help_text="Verdict slug (see /api/v1/verdicts/)."
    )
    source = IdFilter(field_name="source", help_text="Id of the source the claim was made in.")
    stance = filters.ChoiceFilter(
        method="with_stance",
        choices=StanceLink.Stance.choices,
        help_text="Claims with at least one piece of evidence of this stance.",
    )
    said_after = filters.DateFilter(
        field_name="said_on", lookup_expr="gte", help_text="Said on or after, YYYY-MM-DD."
    )
    said_before = filters.DateFilter(
        field_name="said_on", lookup_expr="lte", help_text="Said on or before, YYYY-MM-DD."
    )
    published_after = filters.DateFilter(
        field_name="published_at__date",
        lookup_expr="gte",
        help_text="First published on or after, YYYY-MM-DD.",
    )
    published_before = filters.DateFilter(
        field_name="published_at__date",
        lookup_expr="lte",
        help_text="First published on or before, YYYY-MM-DD.",
    )
    updated_since = UpdatedSinceFilter(
        help_text="ISO 8601 date-time: claims changed at or after it, for incremental sync."
    )
    ordering = StableOrderingFilter(
        fields=["said_on", "published_at", "updated_at", "id"],
        help_text="Sort key; prefix with - for descending. Default: newest published first.",
    )

    class Meta:
        model = Claim
        fields = []

    def filter_queryset(self, queryset):
        """Every filter, the search last: it ranks a bounded set of candidates among the
        claims the other filters leave (see ``ClaimQuerySet.search``)."""
        values = self.form.cleaned_data
        for name, value in values.items():
            if name != "q":
                queryset = self.filters[name].filter(queryset, value)
        return self.filters["q"].filter(queryset, values.get("q"))

    def search(self, queryset, name, value):
        # The one search of the site, shared with the public pages.
        return queryset.search(value)

    def with_stance(self, queryset, name, value):
        # A listed claim's links are exactly as visible as the claim itself.
        links = StanceLink.objects.filter(claim=OuterRef("pk"), stance=value)
        return queryset.filter(Exists(links))


class EvidenceFilter(filters.FilterSet):
    source = IdFilter(field_name="source", help_text="Id of the source it comes from.")
    author = IdFilter(field_name="author", help_text="Actor id of who found or said it.")
    claim = IdFilter(method="serving", help_text="Id of a claim it serves.")
    stance = filters.ChoiceFilter(
        method="with_stance",
        choices=StanceLink.Stance.choices,
        help_text="Evidence that has this stance on at least one claim.",
    )
    updated_since = UpdatedSinceFilter()

    class Meta:
        model = Evidence
        fields = []

    def serving(self, queryset, name, value):
        links = visible_links(self.request).filter(evidence=OuterRef("pk"), claim=value)
        return queryset.filter(Exists(links))

    def with_stance(self, queryset, name, value):
        links = visible_links(self.request).filter(evidence=OuterRef("pk"), stance=value)
        return queryset.filter(Exists(links))


class SourceFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=Source.Kind.choices)
    publisher = IdFilter(field_name="publisher", help_text="Actor id of the publisher.")
    language = filters.CharFilter(max_length=10, help_text="IETF language tag, e.g. en.")
    published_after = filters.DateFilter(
        field_name="published_on", lookup_expr="gte", help_text="Published on or after."
    )
    published_before = filters.DateFilter(
        field_name="published_on", lookup_expr="lte", help_text="Published on or before."
    )
    updated_since = UpdatedSinceFilter()

    class Meta:
        model = Source
        fields = []


class ActorFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(
        choices=Actor.Kind.choices, help_text="person, group or organization."
    )
    name = filters.CharFilter(
        lookup_expr="icontains", max_length=MAX_QUERY_LENGTH, help_text="Part of the name."
    )
    updated_since = UpdatedSinceFilter()

    class Meta:
        model = Actor
        fields = []


class StanceLinkFilter(filters.FilterSet):
    claim = IdFilter(field_name="claim")
    evidence = IdFilter(field_name="evidence")
    stance = filters.ChoiceFilter(choices=StanceLink.Stance.choices)

    class Meta:
        model = StanceLink
        fields = []


class CounterclaimFilter(filters.FilterSet):
    original = IdFilter(field_name="original", help_text="Id of the claim answered.")
    response = IdFilter(field_name="response", help_text="Id of the answering claim.")

    class Meta:
        model = Counterclaim
        fields = []
