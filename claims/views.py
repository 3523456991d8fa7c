"""Public pages. Every queryset here starts from ``Claim.objects.published()``."""

from django.shortcuts import get_object_or_404, redirect, render

from claims.models import Claim, StanceLink


def home(request):
    claims = Claim.objects.published().with_related()[:20]
    return render(request, "claims/home.html", {"claims": claims})


def claim_detail(request, pk, slug=None):
    claim = get_object_or_404(Claim.objects.published().with_related(), pk=pk)
    if slug != claim.slug:
        return redirect(claim, permanent=True)
    links = claim.stance_links.select_related("evidence__source__publisher", "evidence__author")
    groups = [
        (label, [link for link in links if link.stance == stance])
        for stance, label in StanceLink.Stance.choices
    ]
    return render(
        request,
        "claims/claim_detail.html",
        {"claim": claim, "evidence_groups": [g for g in groups if g[1]]},
    )
