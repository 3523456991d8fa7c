from django.contrib import admin
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from sources.concurrency import EditConflict, VersionedForm
from sources.models import Actor, Affiliation, Source


class HistoryAdmin(SimpleHistoryAdmin):
    """An admin whose History page lists every saved version of the object, with who saved
    it, when, and each changed field before and after. Every tracked model's admin uses it,
    in this app and in claims."""

    object_history_list_template = "admin/history_changes.html"


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


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    fk_name = "person"
    autocomplete_fields = ["organization"]
    extra = 0
    verbose_name = "affiliation"
    verbose_name_plural = "affiliations (organizations this person belongs to)"


@admin.register(Actor)
class ActorAdmin(HistoryAdmin):
    list_display = ["name", "kind", "description", "claim_count"]
    ordering = ["name"]
    list_filter = ["kind"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AffiliationInline]
    readonly_fields = ["created_at", "updated_at"]
    fields = ["name", "slug", "kind", "description", "same_as", "created_at", "updated_at"]

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


@admin.register(Source)
class SourceAdmin(VersionedAdminMixin, HistoryAdmin):
    list_display = ["title", "kind", "publisher", "published_on", "via", "url"]
    list_select_related = ["publisher", "via"]
    list_filter = ["kind", "language", ("publisher", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "url", "publisher__name", "authors__name"]
    autocomplete_fields = ["publisher", "authors", "via"]
    date_hierarchy = "published_on"
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "kind", "publisher", "authors", "published_on", "language"]}),
        ("Where to find it", {"fields": ["url", "archive_url", "via"]}),
        ("Stored text", {"fields": ["text"], "classes": ["collapse"]}),
        ("Record", {"fields": ["slug", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]
