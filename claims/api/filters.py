"""Query-string filters of the list endpoints (django-filter). The claims' filters are the
public list's too (``claims.filters``): an unknown claimant, topic, source or verdict there
is a 400 that names it.

Elsewhere ids that match nothing give an empty list rather than an error, and do not reveal
whether an unpublished row exists: a filter that looks through other rows (evidence by the
claims it serves) looks only through those the reader may see. Malformed values (a date that
is not ISO 8601, a NUL byte, a choice that is not one) give 400 with the field's error.
"""

import django_filters as filters
from django import forms
from django.db.models import Exists, OuterRef

from claims.api.permissions import wants_drafts
from claims.filters import (
    MAX_ID,
    MAX_QUERY_LENGTH,
    ClaimFilter,
    IsoDateFilter,
    NamedChoiceFilter,
    UpdatedSinceFilter,
)
from claims.models import Counterclaim, Evidence, StanceLink
from sources.models import Actor, Source

__all__ = ["ClaimFilter"]  # defined with the public list's, in claims.filters


class IdFilter(filters.NumberFilter):
    """A row id: a whole number in the database's range (django-filter's NumberFilter would
    take 1.5 and round it, and pass 10**30 to the driver)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


def visible_links(request):
    """The stance links a filter may look through: the public ones, or every one for an editor
    who asked for drafts (the view has checked the permission). Through any other, a public
    piece of evidence would betray a draft it serves, and how."""
    if request is not None and wants_drafts(request):
        return StanceLink.objects.all()
    return StanceLink.objects.published()


class EvidenceFilter(filters.FilterSet):
    source = IdFilter(field_name="source", help_text="Id of the source it comes from.")
    author = IdFilter(field_name="author", help_text="Actor id of who found or said it.")
    claim = IdFilter(method="serving", help_text="Id of a claim it serves.")
    stance = NamedChoiceFilter(
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
    kind = NamedChoiceFilter(choices=Source.Kind.choices)
    publisher = IdFilter(field_name="publisher", help_text="Actor id of the publisher.")
    language = filters.CharFilter(max_length=10, help_text="IETF language tag, e.g. en.")
    published_after = IsoDateFilter(
        field_name="published_on", lookup_expr="gte", help_text="Published on or after."
    )
    published_before = IsoDateFilter(
        field_name="published_on", lookup_expr="lte", help_text="Published on or before."
    )
    updated_since = UpdatedSinceFilter()

    class Meta:
        model = Source
        fields = []


class ActorFilter(filters.FilterSet):
    kind = NamedChoiceFilter(choices=Actor.Kind.choices, help_text="person, group or organization.")
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
    stance = NamedChoiceFilter(choices=StanceLink.Stance.choices)

    class Meta:
        model = StanceLink
        fields = []


class CounterclaimFilter(filters.FilterSet):
    original = IdFilter(field_name="original", help_text="Id of the claim answered.")
    response = IdFilter(field_name="response", help_text="Id of the answering claim.")

    class Meta:
        model = Counterclaim
        fields = []
