from django.contrib import admin

from trust.models import Funder, Organization, Page, StaffProfile


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    """One row, made by the migration: changed, never added twice or deleted."""

    fieldsets = [
        ("ClaimReview author and search engines", {"fields": ["name", "url", "logo"]}),
        ("About page", {"fields": ["mission", "ownership", "legal_status"]}),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Organization.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    """The six pages, made by the migration; their addresses are fixed, so kinds are not
    added or deleted here."""

    list_display = ["title", "kind", "updated_at"]
    readonly_fields = ["kind"]
    fields = ["kind", "title", "body"]
    view_on_site = True

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Funder)
class FunderAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "amount", "amount_to", "currency", "purpose"]
    list_filter = ["year"]
    search_fields = ["name", "purpose"]


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "public_profile", "user"]
    list_filter = ["public_profile"]
    list_editable = ["public_profile"]
    search_fields = ["name", "role", "user__username"]
    autocomplete_fields = ["user"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["user", "name", "slug", "role", "bio", "public_profile", "position"]
