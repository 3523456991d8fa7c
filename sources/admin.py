from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count

from sources.models import Actor, Affiliation, Source

# Titles and quotes are long: give them room, and keep text boxes short in inlines.
ROOMY_FIELDS = {
    models.CharField: {"widget": forms.TextInput(attrs={"size": 90})},
    models.TextField: {"widget": forms.Textarea(attrs={"rows": 4, "cols": 90})},
}


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    fk_name = "person"
    autocomplete_fields = ["organization"]
    extra = 0
    verbose_name = "affiliation"
    verbose_name_plural = "affiliations (organizations this person belongs to)"


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
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
class AffiliationAdmin(admin.ModelAdmin):
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
class SourceAdmin(admin.ModelAdmin):
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
