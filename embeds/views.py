"""Fact checks that travel: an embeddable claim card and the oEmbed endpoint that hands it to
other sites' editors (https://oembed.com/).

The card is the one page other sites may frame: it gets a Content-Security-Policy whose
``frame-ancestors`` is ``settings.EMBED_FRAME_ANCESTORS`` and no X-Frame-Options; every other
page keeps refusing to be framed (config/settings.py). Published claims only, from the public
gate (``Claim.objects.published()``), like every public page."""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import Resolver404, resolve, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_safe

from claims.cache import claim_tag, depend_on
from claims.models import Claim, StanceLink
from claims.views import public_cache
from config.site import absolute_url
from trust.models import Organization

# The card's size in an oEmbed answer, unless the consumer asks for less.
EMBED_WIDTH = 560
EMBED_HEIGHT = 400
# Evidence that agrees with the verdict weighs most for a reader who wants to know why: a
# claim rated on the false side of the scale shows what refutes it first.
STANCE_ORDER = [StanceLink.Stance.REFUTES, StanceLink.Stance.CONTEXT, StanceLink.Stance.SUPPORTS]


def frameable(view):
    """Let other sites frame ``view``'s responses: the site's policy with ``frame-ancestors``
    from the setting, and no X-Frame-Options. The public cache keeps these marks on the
    responses it stores (claims.cache), so a cache hit is framed as the miss was."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.xframe_options_exempt = True
        ancestors = list(settings.EMBED_FRAME_ANCESTORS)
        for attribute, policy in [
            ("_csp_config", settings.SECURE_CSP),
            ("_csp_ro_config", settings.SECURE_CSP_REPORT_ONLY),
        ]:
            if policy:
                setattr(response, attribute, {**policy, "frame-ancestors": ancestors})
        return response

    return wrapped


def strongest_evidence(claim):
    """The evidence a card shows: the editor's first link of the first stance in
    ``STANCE_ORDER`` that the claim has (refuting evidence first, as the claim page groups
    it). One query."""
    links = list(
        claim.stance_links.select_related("evidence__source__publisher", "evidence__author")
    )
    for stance in STANCE_ORDER:
        for link in links:
            if link.stance == stance:
                return link
    return None


@require_safe
@frameable
@public_cache
def claim_card(request, pk):
    # The card shows the claim and its evidence: retired with the claim's own page.
    depend_on(request, claim_tag(pk))
    claim = get_object_or_404(
        Claim.objects.published().select_related("claimant", "verdict", "source"), pk=pk
    )
    context = {
        "claim": claim,
        "link": strongest_evidence(claim),
        "claim_url": absolute_url(claim.get_absolute_url(), request),
        "organization": Organization.current(),
    }
    return render(request, "embeds/claim_card.html", context)


def _dimension(request, name, default):
    """``default``, or the consumer's ``maxwidth``/``maxheight`` if smaller; None if invalid."""
    value = request.GET.get(name)
    if value is None:
        return default
    if not value.isdigit() or int(value) < 1:
        return None
    return min(default, int(value))


def claim_for_url(url, request):
    """The published claim whose page (or card) is at ``url`` on this site, or Http404."""
    parts = urlsplit(url)
    ours = {request.get_host(), urlsplit(settings.SITE_URL).netloc}
    if parts.scheme not in ("http", "https") or parts.netloc not in ours:
        raise Http404("Not a page of this site.")
    try:
        match = resolve(parts.path)
    except Resolver404:
        raise Http404("No such page.") from None
    if match.view_name not in ("claims:detail", "claims:detail-no-slug", "embeds:claim-card"):
        raise Http404("Not a claim page.")
    return get_object_or_404(Claim.objects.published(), pk=match.kwargs["pk"])


@require_safe
@public_cache
def oembed(request):
    """An oEmbed answer (``type: rich``) for a claim page's URL: an iframe of its card."""
    if request.GET.get("format", "json") != "json":
        return HttpResponse(
            "Only format=json is served.", status=501, content_type="text/plain; charset=utf-8"
        )
    url = request.GET.get("url", "")
    if not url:
        return HttpResponseBadRequest(
            "Give the claim page's address as ?url=.", content_type="text/plain; charset=utf-8"
        )
    width = _dimension(request, "maxwidth", EMBED_WIDTH)
    height = _dimension(request, "maxheight", EMBED_HEIGHT)
    if width is None or height is None:
        return HttpResponseBadRequest(
            "maxwidth and maxheight must be positive whole numbers of pixels.",
            content_type="text/plain; charset=utf-8",
        )
    claim = claim_for_url(url, request)
    organization = Organization.current()
    card = absolute_url(reverse("embeds:claim-card", args=[claim.pk]), request)
    title = f"Fact check: {claim.summary}"
    html = format_html(
        '<iframe src="{}" width="{}" height="{}" title="{}" loading="lazy" '
        'style="border:1px solid #d6d6d6;border-radius:6px;max-width:100%"></iframe>',
        card,
        width,
        height,
        title,
    )
    return JsonResponse(
        {
            "version": "1.0",
            "type": "rich",
            "title": title,
            "provider_name": organization.display_name,
            "provider_url": organization.url or absolute_url("/", request),
            "cache_age": settings.PUBLIC_CACHE_SECONDS or 300,
            "html": html,
            "width": width,
            "height": height,
        }
    )
