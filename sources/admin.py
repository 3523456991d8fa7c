from django import forms
from django.contrib import admin
from django.contrib.postgres.search import TrigramSimilarity
from django.db import connections, models
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from sources.concurrency import EditConflict, VersionedForm
from sources.history import ReadableChanges
from sources.models import Actor, Affiliation, Source
from sources.validators import validate_url_list

# Titles and quotes are long: give them room, and keep text boxes short in inlines.
ROOMY_FIELDS = {
    models.CharField: {"widget": forms.TextInput(attrs={"size": 90})},
    models.TextField: {"widget": forms.Textarea(attrs={"rows": 4, "cols": 90})},
}


class HistoryAdmin(SimpleHistoryAdmin):
    """An admin whose History page lists every saved version of the object, with who saved
    it, when, why, and each changed field before and after, whole and readable
    (``sources.history``). Every tracked model's admin uses it, in this app and in claims."""

    object_history_template = "admin/history.html"
    object_history_list_template = "admin/history_changes.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChanges(self.model, historical_record)


class VersionedAdminMixin:
    """For the admin (and inlines) of a ``Versioned`` model: the form carries the version it
    was loaded with (``VersionedForm``), and a save refused for an older version comes back
    as the form with the editor's input and what changed meanwhile."""

    form = VersionedForm

    def get_fieldsets(self, request, obj=None):
        (name, options), *rest = super().get_fieldsets(request, obj)
        return [(name, {**options, "fields": [*options["fields"], "loaded_version"]}), *rest]

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except EditConflict:
            # Another save got in between this form's check and its own (the view's
            # transaction was rolled back): run the view again; the form now sees the
            # newer version and shows the conflict with the editor's input.
            return super().changeform_view(request, *args, **kwargs)


class WebAddressListField(forms.CharField):
    """A list of web addresses typed one per line, stored as a list (an actor's sameAs
    links): nobody should have to write JSON. Each line must be a web address, by the one
    rule for stored links (``sources.validators``)."""

    widget = forms.Textarea(attrs={"rows": 4, "cols": 90})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [line.strip() for line in super().to_python(value).splitlines() if line.strip()]

    def validate(self, value):
        super().validate(value)
        validate_url_list(value)

    def has_changed(self, initial, data):
        return (initial or []) != self.to_python(data)


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    fk_name = "person"
    autocomplete_fields = ["organization"]
    extra = 0
    verbose_name = "affiliation"
    verbose_name_plural = "affiliations (organizations this person belongs to)"


class TrigramSearchMixin:
    """On PostgreSQL, the admin's search and autocomplete also find near misses of
    ``trigram_field`` with pg_trgm ("inspecter generl" finds "Inspector General"), closest
    first; the trigram index (migration sources 0003) keeps both fast on large tables, for
    Django's own ``icontains`` search too. Other databases keep Django's search."""

    trigram_field = "name"

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if not term or connections[queryset.db].vendor != "postgresql":
            return found, may_have_duplicates
        field = self.trigram_field
        similar = queryset.filter(**{f"{field}__trigram_similar": term})
        ordering = self.get_ordering(request) or ["pk"]
        found = (found | similar).annotate(similarity=TrigramSimilarity(field, term))
        return found.order_by("-similarity", *ordering), may_have_duplicates


@admin.register(Actor)
class ActorAdmin(TrigramSearchMixin, HistoryAdmin):
    list_display = ["name", "kind", "description", "claim_count"]
    ordering = ["name"]
    list_filter = ["kind"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AffiliationInline]
    readonly_fields = ["created_at", "updated_at"]
    fields = ["name", "slug", "kind", "description", "same_as", "created_at", "updated_at"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "same_as":
            return WebAddressListField(
                label=db_field.verbose_name,
                required=False,
                help_text="Pages that identify this actor (Wikidata, an official site): one "
                "web address per line.",
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(claim_count=Count("claims"))

    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, actor):
        return actor.claim_count


@admin.register(Affiliation)
class AffiliationAdmin(HistoryAdmin):
    list_display = ["person", "role", "organization"]
    list_select_related = ["person", "organization"]
    search_fields = ["person__name", "organization__name", "role"]
    autocomplete_fields = ["person", "organization"]
    list_filter = [("organization", admin.RelatedOnlyFieldListFilter)]


class LinkStatusFilter(admin.SimpleListFilter):
    """Sources by what ``manage.py check_links`` last found at their URL and archive URL."""

    title = "link status"
    parameter_name = "links"

    def lookups(self, request, model_admin):
        return [("broken", "broken"), ("unchecked", "not checked")]

    def queryset(self, request, queryset):
        if self.value() == "broken":
            return queryset.with_broken_links()
        if self.value() == "unchecked":
            return queryset.filter(links_checked_at__isnull=True)
        return queryset


@admin.register(Source)
class SourceAdmin(TrigramSearchMixin, VersionedAdminMixin, HistoryAdmin):
    trigram_field = "title"

    list_display = ["title", "kind", "publisher", "published_on", "via", "url", "link_status"]
    list_select_related = ["publisher", "via"]
    list_filter = [
        "kind",
        "language",
        LinkStatusFilter,
        ("publisher", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "url", "publisher__name", "authors__name"]
    autocomplete_fields = ["publisher", "authors", "via"]
    date_hierarchy = "published_on"
    formfield_overrides = ROOMY_FIELDS
    readonly_fields = [
        "url_status",
        "archive_url_status",
        "links_checked_at",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["title", "kind", "publisher", "authors", "published_on", "language"]}),
        (
            "Where to find it",
            {
                "fields": [
                    "url",
                    "archive_url",
                    "via",
                    "url_status",
                    "archive_url_status",
                    "links_checked_at",
                ]
            },
        ),
        ("Stored text", {"fields": ["text"], "classes": ["collapse"]}),
        ("Record", {"fields": ["slug", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    class Media:
        css = {"all": ["css/admin.css"]}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "text":
            # The document's whole text, to read and to paste at length: a page-tall box.
            kwargs["widget"] = forms.Textarea(attrs={"rows": 30, "class": "stored-text"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="link status")
    def link_status(self, source):
        """The broken links by name and status, "ok", or "—" when never checked."""
        if source.links_checked_at is None:
            return "—"
        broken = [
            f"{name} {status}"
            for name, link, status in [
                ("URL", source.url, source.url_status),
                ("archive", source.archive_url, source.archive_url_status),
            ]
            if link and not Source.is_ok_status(status)
        ]
        return "broken: " + "; ".join(broken) if broken else "ok"
