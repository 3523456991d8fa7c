from django.contrib import admin
from django.contrib.postgres.search import TrigramSimilarity
from django.db import connections
from django.db.models import Count

from sources.models import Actor, Affiliation, Source


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
class ActorAdmin(TrigramSearchMixin, admin.ModelAdmin):
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


@admin.register(Source)
class SourceAdmin(TrigramSearchMixin, admin.ModelAdmin):
    trigram_field = "title"

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
