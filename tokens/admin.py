from django.contrib import admin
from django.utils import timezone

from tokens.models import ApiToken


class ExpiredFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("active", "active"), ("expired", "expired")]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(expiry__gt=timezone.now())
        if self.value() == "expired":
            return queryset.expired()
        return queryset


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Every user's tokens, for editors: who holds which, until when; deleting one revokes
    it at once. Tokens are made by their owners (the API, ``create_token``), never here: a key
    is shown once, to whoever will use it."""

    list_display = ["name", "user", "prefix", "created", "expiry", "is_expired"]
    list_filter = [ExpiredFilter]
    list_select_related = ["user"]
    search_fields = ["name", "user__username", "token_key"]
    fields = ["name", "user", "prefix", "created", "expiry"]
    readonly_fields = fields

    @admin.display(boolean=True, description="expired")
    def is_expired(self, token):
        return token.is_expired

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
