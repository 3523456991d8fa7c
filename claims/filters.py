"""The claim filters: one vocabulary for the public list (``/claims/``) and the API
(``/api/v1/claims/`` and its exports), defined once here (django-filter).

Both doors take the same parameters and values: who said it, a topic, a source or a verdict
by slug or by id; dates as ISO 8601 (``YYYY-MM-DD``) only; the same orderings, undated claims
last either way. A value that names nothing the reader may see is an error that names the
value (and, for short lists, the values allowed), never a silently empty list: the API
answers 400, the page shows the message and applies the other filters. What a reader may not
see (a draft's claimant) is "not known", exactly as a value that names nothing at all.
"""

import datetime as dt

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef
from django.forms.models import ModelChoiceIterator
from django_filters.fields import IsoDateTimeField
from drf_spectacular.drainage import set_override

from claims import languages
from claims.models import Claim, StanceLink, Topic, Verdict
from sources.models import Actor, Source

MAX_QUERY_LENGTH = 200
# Ids are 64-bit; a larger number would overflow the database driver rather than match nothing.
MAX_ID = 2**63 - 1
# A list of allowed values longer than this is not spelled out in an error.
MAX_NAMED_CHOICES = 12

# Names the public list used before it shared the API's: old links keep working.
DEPRECATED_ALIASES = {"said_from": "said_after", "said_to": "said_before", "sort": "ordering"}
DEPRECATED_SORTS = {"newest": "-published_at", "oldest": "published_at", "said": "-said_on"}


def _refused(message, value, code):
    """An error that quotes the value it refuses: as a parameter, since Django and DRF format
    messages with ``%`` (a value such as ``%s`` must not be read as a placeholder)."""
    return ValidationError(f"“%(value)s” {message}", code=code, params={"value": value})


class LanguageTagField(forms.CharField):
    """A BCP 47 language tag (``en``, ``pt-BR``); anything else is refused with the rule."""

    default_validators = [languages.validate_language_tag]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", languages.MAX_LENGTH)
        super().__init__(*args, **kwargs)


class LanguageFilter(filters.CharFilter):
    """Claims in a language: ``en`` also takes ``en-GB``; ``en-GB`` only ``en-GB``."""

    field_class = LanguageTagField

    def filter(self, qs, value):
        return qs.in_language(value) if value else qs


class IsoDateField(forms.DateField):
    """A date written as ISO 8601 only: ``12/03/2025`` is the 3rd of December to some and
    the 12th of March to others, so it is refused rather than guessed."""

    input_formats = ["%Y-%m-%d"]

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as error:
            message = "is not a date: write it as YYYY-MM-DD (ISO 8601)."
            raise _refused(message, value, "invalid") from error


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


class NamedChoiceField(filters.fields.ChoiceField):
    """A choice among a few fixed values; an unknown one is refused by name, with the list."""

    def validate(self, value):
        if value and not self.valid_value(value):
            allowed = ", ".join(str(key) for key, _ in self.choices if key)
            raise _refused(f"is not one of the allowed values: {allowed}.", value, "invalid_choice")
        super().validate(value)


class BoundedChoiceIterator(ModelChoiceIterator):
    """The first ``field.max_choices`` choices, and the chosen one if it is not among them:
    a select of thousands of claimants would make the page large and slow, and any valid
    slug or id still filters (claimant and source pages link to the list)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = list(self.queryset[: self.field.max_choices])
        chosen = self.field.chosen
        if chosen is not None and chosen.pk not in {row.pk for row in rows}:
            rows.insert(0, chosen)
        for row in rows:
            yield self.choice(row)


class SlugOrIdField(forms.ModelChoiceField):
    """A row named by its slug or its id, among ``queryset`` (what the reader may see).

    Digits are an id first, then a slug. A slug that several rows share (sources' slugs are
    not unique) is refused: the id names one. Junk (NUL bytes, a 30-digit number) is not
    known rather than a database error. With ``list_allowed``, the error lists the slugs when
    there are few (verdicts, topics); never claimants or sources."""

    iterator = BoundedChoiceIterator
    max_choices = 100
    chosen = None

    def __init__(self, *args, noun, list_allowed=False, **kwargs):
        self.noun = noun
        self.list_allowed = list_allowed
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        # The chosen row's option is selected however the query string named it.
        if self.chosen is not None and str(value) in (str(self.chosen.pk), self.chosen.slug):
            value = self.chosen
        return super().prepare_value(value)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        found = None
        if "\x00" not in value and len(value) <= 80:
            # ASCII digits only: "²" is a digit to str.isdigit() and not to int().
            if value.isascii() and value.isdigit() and int(value) <= MAX_ID:
                found = self.queryset.filter(pk=int(value)).first()
            if found is None:
                rows = list(self.queryset.filter(slug=value)[:2])
                if len(rows) > 1:
                    message = f"is the slug of several {self.noun}s: use the id."
                    raise _refused(message, value, "ambiguous")
                found = rows[0] if rows else None
        if found is None:
            raise _refused(self.unknown_message(), value, "invalid_choice")
        self.chosen = found
        return found

    def unknown_message(self):
        message = f"is not the slug or id of a known {self.noun}"
        if not self.list_allowed:
            return f"{message}."
        slugs = list(self.queryset.values_list("slug", flat=True)[: MAX_NAMED_CHOICES + 1])
        if len(slugs) <= MAX_NAMED_CHOICES:
            return f"{message}; use one of: {', '.join(slugs)}."
        return f"{message}."


class SlugOrIdFilter(filters.ModelChoiceFilter):
    field_class = SlugOrIdField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A string in the schema, whatever the model's key (ids are accepted as digits).
        set_override(self, "field", {"type": "string", "description": self.extra["help_text"]})


# Text, not type=date: a browser's date picker shows its locale's format (mm/dd/yyyy in
# en-US), which reads ambiguously beside the dates the site prints. One format, labelled.
DATE_HELP = "YYYY-MM-DD, e.g. 2017-11-14"
DATE_INPUT = forms.DateInput(
    format="%Y-%m-%d",
    attrs={
        "class": "date-input",
        "placeholder": "YYYY-MM-DD",
        "pattern": r"\d{4}-\d{2}-\d{2}",
        "title": "A date as YYYY-MM-DD",
        "inputmode": "numeric",
        "autocomplete": "off",
    },
)


class IsoDateFilter(filters.DateFilter):
    field_class = IsoDateField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", DATE_INPUT)
        super().__init__(*args, **kwargs)


class NamedChoiceFilter(filters.ChoiceFilter):
    field_class = NamedChoiceField


class UpdatedSinceFilter(filters.IsoDateTimeFilter):
    field_class = UTCDateTimeField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("field_name", "updated_at")
        kwargs.setdefault("lookup_expr", "gte")
        kwargs.setdefault("help_text", "ISO 8601 date-time: rows changed at or after it.")
        super().__init__(*args, **kwargs)


class StableOrderingFilter(filters.OrderingFilter):
    """Orders as asked, rows without a value last in either direction (an undated claim is
    neither the oldest nor the newest: it is undated). Databases differ by default: SQLite
    puts NULL first going up, PostgreSQL first going down. Ties are broken by id where the
    rows are paged (``claims.pagination.ordered_to_the_row``)."""

    field_class = NamedChoiceField

    def filter(self, qs, value):
        keys = [key for key in value or [] if key]
        if not keys:
            return qs
        order = []
        for key in keys:
            field = F(self.param_map[key.lstrip("-")])
            descending = key.startswith("-")
            order.append(field.desc(nulls_last=True) if descending else field.asc(nulls_last=True))
        return qs.order_by(*order)


class ClaimFilterForm(forms.Form):
    """The form both doors validate with; the page also shows it, errors and all."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["maxlength"] = MAX_QUERY_LENGTH
        for field in self.fields.values():
            # The help texts document the API (OpenAPI); the page's labels say it for
            # readers, and a widget must not point (aria-describedby) at text never shown.
            # A date's format is the one help the page shows (claim_list.html).
            field.help_text = DATE_HELP if isinstance(field, IsoDateField) else ""

    def clean(self):
        data = super().clean()
        after, before = data.get("said_after"), data.get("said_before")
        if after and before and after > before:
            self.add_error("said_before", "“Said before” must not be earlier than “Said after”.")
        return data

    @property
    def narrows(self):
        """Whether a valid filter or search narrows the list (the order does not)."""
        data = self.cleaned_data if self.is_bound else {}
        return any(data.get(name) for name in self.fields if name != "ordering")

    @property
    def has_filters(self):
        """Whether the reader chose any filter or order beyond the search words."""
        return self.is_bound and any(self.data.get(name) for name in self.fields if name != "q")

    @property
    def invalid_fields(self):
        """(label, messages) for each filter that was ignored."""
        return [
            (self.fields[name].label or name.capitalize(), errors)
            for name, errors in self.errors.items()
            if name in self.fields
        ]


class ClaimFilter(filters.FilterSet):
    """Claims by the words they contain, who said them, where, when, their topics, verdict
    and evidence. Create it with the claims a reader may see (``Claim.objects.published()``,
    or for an editor who asked for drafts every claim): the claimants, sources and topics it
    accepts are those of these claims."""

    q = filters.CharFilter(
        label="Search claims",
        method="search",
        max_length=MAX_QUERY_LENGTH,
        help_text="Words that must all appear in the quote, the summary or the claimant's name.",
    )
    claimant = SlugOrIdFilter(
        label="Claimant",
        noun="claimant",
        to_field_name="slug",
        queryset=Actor.objects.none(),
        empty_label="Anyone",
        help_text="Who said it: the slug or the id of a person or organization.",
    )
    claimant_kind = NamedChoiceFilter(
        label="Claimant is",
        field_name="claimant__kind",
        choices=Actor.Kind.choices,
        empty_label="A person or an organization",
        help_text="Only claims made by people, or only by organizations.",
    )
    topic = SlugOrIdFilter(
        label="Topic",
        noun="topic",
        to_field_name="slug",
        list_allowed=True,
        field_name="topics",
        queryset=Topic.objects.none(),
        empty_label="Any",
        help_text="The slug or the id of a topic (see /api/v1/topics/).",
    )
    verdict = SlugOrIdFilter(
        label="Verdict",
        noun="verdict",
        to_field_name="slug",
        list_allowed=True,
        queryset=Verdict.objects.all(),
        empty_label="Any",
        help_text="The slug or the id of a verdict (see /api/v1/verdicts/).",
    )
    source = SlugOrIdFilter(
        label="Source",
        noun="source",
        queryset=Source.objects.none(),
        empty_label="Any",
        help_text="The id (or, when no other source has it, the slug) of the source the "
        "claim was made in.",
    )
    language = LanguageFilter(
        label="Language",
        help_text="The quote's language, a BCP 47 tag: en also finds en-GB and en-US; en-GB "
        "finds only en-GB.",
    )
    stance = NamedChoiceFilter(
        label="Has evidence that",
        method="with_stance",
        choices=StanceLink.Stance.choices,
        empty_label="Any",
        help_text="Claims with at least one piece of evidence of this stance.",
    )
    said_after = IsoDateFilter(
        label="Said on or after",
        field_name="said_on",
        lookup_expr="gte",
        help_text="Said on or after this date, YYYY-MM-DD.",
    )
    said_before = IsoDateFilter(
        label="Said on or before",
        field_name="said_on",
        lookup_expr="lte",
        help_text="Said on or before this date, YYYY-MM-DD.",
    )
    published_after = IsoDateFilter(
        label="Published on or after",
        field_name="published_at__date",
        lookup_expr="gte",
        help_text="First published on or after this date, YYYY-MM-DD.",
    )
    published_before = IsoDateFilter(
        label="Published on or before",
        field_name="published_at__date",
        lookup_expr="lte",
        help_text="First published on or before this date, YYYY-MM-DD.",
    )
    updated_since = UpdatedSinceFilter(
        label="Changed since",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="ISO 8601 date-time: claims changed at or after it, for incremental sync.",
    )
    ordering = StableOrderingFilter(
        label="Sort",
        fields=["said_on", "published_at", "updated_at", "id"],
        field_labels={
            "said_on": "Date said, oldest first",
            "-said_on": "Date said, newest first",
            "published_at": "Published, oldest first",
            "-published_at": "Published, newest first",
            "updated_at": "Changed, oldest first",
            "-updated_at": "Changed, newest first",
            "id": "Id",
            "-id": "Id, descending",
        },
        empty_label="Best match, or newest published first",
        help_text="Sort key; prefix with - for descending; undated claims come last either "
        "way. Default: newest published first.",
    )

    class Meta:
        model = Claim
        fields = []
        form = ClaimFilterForm

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and any(old in data for old in DEPRECATED_ALIASES):
            data = data.copy()
            for old, new in DEPRECATED_ALIASES.items():
                if old in data:
                    value = data.pop(old)[-1]
                    if new not in data:
                        data[new] = DEPRECATED_SORTS.get(value, value) if old == "sort" else value
        super().__init__(data, *args, **kwargs)
        # Who said, where and on what, among ``claims``: EXISTS rather than IN, so a lookup
        # probes the claims' foreign-key indexes rather than reading every visible claim.
        claims = self.queryset
        self.filters["claimant"].queryset = Actor.objects.filter(
            Exists(claims.filter(claimant=OuterRef("pk")))
        )
        self.filters["source"].queryset = Source.objects.filter(
            Exists(claims.filter(source=OuterRef("pk")))
        )
        self.filters["topic"].queryset = Topic.objects.filter(
            Exists(claims.filter(topics=OuterRef("pk")))
        )

    def narrow(self, queryset):
        """Every valid filter but the search and the order."""
        for name, value in self.form.cleaned_data.items():
            if name not in ("q", "ordering"):
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_queryset(self, queryset):
        """Every filter, the search after them: it ranks a bounded set of candidates among the
        claims the other filters leave (see ``ClaimQuerySet.search``), then the order."""
        values = self.form.cleaned_data
        queryset = self.filters["q"].filter(self.narrow(queryset), values.get("q"))
        return self.filters["ordering"].filter(queryset, values.get("ordering"))

    def search(self, queryset, name, value):
        # The one search of the site.
        return queryset.search(value)

    def with_stance(self, queryset, name, value):
        # A listed claim's links are exactly as visible as the claim itself.
        links = StanceLink.objects.filter(claim=OuterRef("pk"), stance=value)
        return queryset.filter(Exists(links))
