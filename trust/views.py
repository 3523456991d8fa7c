"""The organization's pages and the public staff profiles. Cached for anonymous readers like
every public page (claims.cache): an edit in the admin retires the cache, so it shows on the
next request."""

from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from claims.models import Claim, ClaimTransition, Verdict
from claims.pagination import IdsFirstPaginator
from claims.views import CLAIMS_PER_PAGE, public_cache
from trust.models import Funder, Organization, Page, StaffProfile


@require_safe
@public_cache
def page(request, kind):
    # A page whose row was deleted keeps its address, empty (and the system check says so).
    page = Page.objects.filter(kind=kind).first() or Page(kind=kind, title=Page.Kind(kind).label)
    context = {"page": page}
    if kind == Page.Kind.ABOUT:
        context["organization"] = Organization.current()
    elif kind == Page.Kind.FUNDING:
        context["funders"] = Funder.objects.all()
    elif kind == Page.Kind.TEAM:
        context["profiles"] = StaffProfile.objects.public()
    elif kind == Page.Kind.METHODOLOGY:
        context["verdicts"] = Verdict.objects.all()
    return render(request, f"trust/{kind}.html", context)


def checked_by(user_id):
    """The public claims ``user_id`` checked: sent for review (``Claim.byline``'s "checked")."""
    submitted = ClaimTransition.objects.filter(
        claim=OuterRef("pk"), by=user_id, target=Claim.Status.IN_REVIEW
    )
    return Claim.objects.published().filter(Exists(submitted))


@require_safe
@public_cache
def profile(request, slug):
    profile = get_object_or_404(StaffProfile.objects.public(), slug=slug)
    page = IdsFirstPaginator(
        checked_by(profile.user_id).order_by("-published_at", "-id"),
        CLAIMS_PER_PAGE,
        rows=Claim.objects.published().for_cards(),
    ).get_page(request.GET.get("page"))
    return render(request, "trust/profile.html", {"profile": profile, "page": page})
