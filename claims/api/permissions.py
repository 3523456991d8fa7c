"""Who may do what beyond DRF's defaults (anonymous reads, model permissions for writes)."""

from django.core.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission

INCLUDE_DRAFTS = "include_drafts"
TRUE_VALUES = {"1", "true", "yes", "on"}


def wants_drafts(request):
    return request.query_params.get(INCLUDE_DRAFTS, "").lower() in TRUE_VALUES


def _perm(view, action):
    opts = view.queryset.model._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


class DraftsNeedViewPermission(BasePermission):
    """``?include_drafts=true`` shows rows the public cannot see, so it needs the model's
    ``view`` permission (``claims.view_claim`` for claims); without it the request is refused
    rather than silently answered with public data only."""

    message = "include_drafts needs the permission to view unpublished rows."

    def has_permission(self, request, view):
        if request.method not in SAFE_METHODS or not wants_drafts(request):
            return True
        return request.user.has_perm(_perm(view, "view"))


class CanChange(BasePermission):
    """Workflow actions (publish) change a row, whatever the HTTP method."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.has_perm(_perm(view, "change")))


class EditorialRules(BasePermission):
    """Changing a claim, or the evidence and counterclaim links that are part of it, follows
    the editorial rules (``claims.rules``): a fact-checker's write to a published claim is a
    403 that says why. Applied by ``claims.services``; checked here first, so that the refusal
    comes before any validation of the payload."""

    WRITES = ("update", "partial_update", "destroy")

    def has_object_permission(self, request, view, obj):
        if getattr(view, "action", None) not in self.WRITES:
            return True
        try:
            view.check_editorial_rules(obj)
        except PermissionDenied as refusal:
            self.message = str(refusal)
            return False
        return True
