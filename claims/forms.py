"""The public claim list's filter form. Invalid values become visible messages; the valid
filters still apply, so a reader never meets an error page for a bad link."""

import contextlib

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef
from django.forms.models import ModelChoiceIterator

from claims.models import Claim, Topic, Verdict
from sources.models import Actor, Source


class PublicChoiceField(forms.ModelChoiceField):
    """A choice looked up by slug or id; junk (NUL bytes included) is an invalid choice
    rather than a database error."""

    def to_python(self, value):
        if value and "\x00" in str(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class BoundedChoiceIterator(ModelChoiceIterator):
    """The first ``field.max_choices`` choices, and the chosen one if it is not among them."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = list(self.queryset[: self.field.max_choices])
        chosen = self.field.chosen
        if chosen and not any(str(self.field.prepare_value(row)) == chosen for row in rows):
            with contextlib.suppress(ValidationError):
                rows.insert(0, self.field.to_python(chosen))
        for row in rows:
            yield self.choice(row)


class BoundedChoiceField(PublicChoiceField):
    """A public choice among possibly thousands (claimants, sources of a large archive):
    the select lists a bounded number, so the page stays small and fast; any valid slug or id
    in the query string still filters (claimant and source pages link to their lists)."""

    iterator = BoundedChoiceIterator
    max_choices = 100
    chosen = None


class ClaimFilterForm(forms.Form):
    SORTS = {
        "relevance": ("-search_rank", "-published_at", "-id"),
        "newest": ("-published_at", "-id"),
        "oldest": ("published_at", "id"),
        "said": (F("said_on").desc(nulls_last=True), "-published_at", "-id"),
    }

    q = forms.CharField(label="Search claims", max_length=200, required=False, strip=True)
    topic = PublicChoiceField(
        queryset=Topic.objects.none(), to_field_name="slug", required=False, empty_label="Any"
    )
    claimant = BoundedChoiceField(
        queryset=Claim.objects.none(), to_field_name="slug", required=False, empty_label="Anyone"
    )
    verdict = PublicChoiceField(
        queryset=Verdict.objects.all(), to_field_name="slug", required=False, empty_label="Any"
    )
    source = BoundedChoiceField(queryset=Claim.objects.none(), required=False, empty_label="Any")
    said_from = forms.DateField(
        label="Said from", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    said_to = forms.DateField(
        label="Said until", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(
        choices=[
            ("", "Best match or newest"),
            ("newest", "Newest first"),
            ("oldest", "Oldest first"),
            ("said", "Date said"),
        ],
        required=False,
    )

    def __init__(self, *args, claims, **kwargs):
        """``claims`` is the public claim queryset; the choices come only from it."""
        super().__init__(*args, **kwargs)
        self.claims = claims
        self.fields["topic"].queryset = Topic.objects.published()
        # Who said, and where, one of ``claims``: public actors and sources by definition
        # (``Actor.objects.published()`` starts from the same claims), and only those, since
        # one who only published a source would filter the list down to nothing. Asked
        # through the claims alone: EXISTS rather than IN, so that the select's first choices
        # are found by probing the claims' foreign-key indexes, not by reading every public
        # claim; adding the actors' gate made PostgreSQL do that (4 to 110 ms at 100,000).
        self.fields["claimant"].queryset = Actor.objects.filter(
            Exists(claims.filter(claimant=OuterRef("pk")))
        )
        self.fields["source"].queryset = Source.objects.filter(
            Exists(claims.filter(source=OuterRef("pk")))
        )
        for name in ("claimant", "source"):
            self.fields[name].chosen = self.data.get(name) or None

    def clean(self):
        data = super().clean()
        said_from, said_to = data.get("said_from"), data.get("said_to")
        if said_from and said_to and said_from > said_to:
            self.add_error("said_to", "“Said until” must not be before “Said from”.")
        return data

    def filter(self):
        """The claims matching the valid filters, in the chosen order: a queryset, or for a
        search in order of relevance where the database ranks (PostgreSQL), the list of the
        ranked ids, best first (``ClaimQuerySet.ranked_ids``), which pages without asking
        the database again."""
        data = self.cleaned_data if self.is_bound else {}
        claims = self.claims
        for field in ("topic", "claimant", "verdict", "source"):
            if data.get(field):
                lookup = "topics" if field == "topic" else field
                claims = claims.filter(**{lookup: data[field]})
        if data.get("said_from"):
            claims = claims.filter(said_on__gte=data["said_from"])
        if data.get("said_to"):
            claims = claims.filter(said_on__lte=data["said_to"])
        # Last: search ranks a bounded set of candidates among the filtered claims.
        query = data.get("q") or ""
        sort = data.get("sort") or ("relevance" if query else "newest")
        if query and sort == "relevance":
            ranked = claims.ranked_ids(query)
            if ranked is not None:
                return ranked
        return claims.search(query).order_by(*self.SORTS[sort])

    @property
    def narrows(self):
        """Whether a valid filter or search narrows the list (the order does not)."""
        data = self.cleaned_data if self.is_bound else {}
        return any(data.get(name) for name in self.fields if name != "sort")

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
