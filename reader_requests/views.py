"""Readers' pages: ask for a check, report an error, and the public list of requests.

The forms' pages are never cached (they carry a CSRF token and the reader's own input); the
list is a public page like the others, built from ``CheckRequest.objects.published()`` and
fields named one by one, so no email or address can reach it."""

from django.conf import settings
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_http_methods, require_safe

from claims.matching import match_text
from claims.models import Claim
from claims.throttling import SearchThrottle
from config.client_ip import client_ip
from reader_requests import spam
from reader_requests.forms import CONSENT, CheckRequestForm, ReportedErrorForm
from reader_requests.models import CheckRequest

public_cache = cache_control(public=True, max_age=60)
# How many requests of each kind the public page lists: the newest.
LISTED = 50


def _consent():
    return CONSENT.format(site=settings.SITE_NAME, days=settings.READER_REQUEST_RETENTION_DAYS)


def _matches(text):
    """The published fact checks that match ``text``; None when too little was typed."""
    text = (text or "").strip()[:2000]
    if len(text) < 3:
        return None
    return match_text(text, claims=Claim.objects.published().for_cards())


def _save_or_refuse(request, form, template, context, **fields):
    """Save a valid submission unless the address is over the rate; a refusal re-renders the
    form with everything typed (429)."""
    refusal = spam.rate_refusal(request)
    if refusal:
        message, wait = refusal
        context |= {"form": form, "refusal": message}
        response = render(request, template, context, status=429)
        response["Retry-After"] = str(wait)
        return None, response
    row = form.save(commit=False)
    for name, value in fields.items():
        setattr(row, name, value)
    row.client_ip = client_ip(request) or None
    row.save()
    return row, None


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def ask(request):
    """The "Ask us to check a claim" form. Before sending, readers see the published fact
    checks that match what they typed: as they type (htmx, ``ask_matches``), or with the
    "Look for fact checks" button without JavaScript."""
    template = "reader_requests/ask.html"
    data = request.POST if request.method == "POST" else None
    form = CheckRequestForm(data)
    context = {"consent": _consent(), "matches": None}
    if request.method == "POST" and "look" in request.POST:
        form = CheckRequestForm(initial=request.POST.dict())
        context |= {"form": form, "matches": _matches(request.POST.get("claim_text"))}
        return render(request, template, context)
    if request.method == "POST" and form.is_valid():
        _, refused = _save_or_refuse(request, form, template, context)
        if refused:
            return refused
        return redirect(f"{reverse('reader_requests:sent')}?kind=check")
    status = 400 if form.is_bound else 200
    return render(request, template, context | {"form": form}, status=status)


@never_cache
@require_safe
def ask_matches(request):
    """The fragment of matching fact checks for the text typed so far (htmx). Rate-limited
    like the site's search, which it runs."""
    context = {"matches": None}
    if SearchThrottle().allow_request(request, None):
        context["matches"] = _matches(request.GET.get("claim_text"))
    else:
        # A 200 that says so: an error page would replace the form and what was typed.
        context["throttled"] = True
    return render(request, "reader_requests/ask.html#matches", context)


@never_cache
@require_safe
def challenge(request):
    """A new ALTCHA challenge for the widget (or an API client): JSON, never cached."""
    return JsonResponse(spam.new_challenge())


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report_error(request, pk):
    """ "Report an error" on a published fact check."""
    claim = get_object_or_404(Claim.objects.published(), pk=pk)
    template = "reader_requests/report_error.html"
    form = ReportedErrorForm(request.POST if request.method == "POST" else None)
    context = {"claim": claim, "consent": _consent()}
    if request.method == "POST" and form.is_valid():
        _, refused = _save_or_refuse(request, form, template, context, claim=claim)
        if refused:
            return refused
        return redirect(f"{reverse('reader_requests:sent')}?kind=error&claim={claim.pk}")
    status = 400 if form.is_bound else 200
    return render(request, template, context | {"form": form}, status=status)


@require_safe
@public_cache
def sent(request):
    """Thanks, after a check request (``?kind=check``) or an error report (``?kind=error``, with
    the claim to go back to)."""
    claim = None
    pk = request.GET.get("claim", "")
    if request.GET.get("kind") == "error" and pk.isdecimal():
        claim = Claim.objects.published().filter(pk=int(pk)).first()
    return render(request, "reader_requests/sent.html", {"claim": claim})


@require_safe
@public_cache
def request_list(request):
    """Requests editors decided on: being checked, answered (linking to the fact check),
    declined (with the reason), the newest ``LISTED`` of each. Three queries; the askers
    include the duplicates."""
    rows = (
        CheckRequest.objects.published()
        .with_askers()
        .with_public_claim()
        .select_related("claim")
        .only(
            "claim_text", "status", "created_at", "public_reason", "claim__slug", "claim__summary"
        )
        .order_by("-created_at", "-id")
    )
    accepted = Q(status=CheckRequest.Status.ACCEPTED)
    context = {
        "checking": rows.filter(accepted, claim_is_public=False)[:LISTED],
        "answered": rows.filter(
            Q(status=CheckRequest.Status.ANSWERED) | accepted, claim_is_public=True
        )[:LISTED],
        "declined": rows.filter(status=CheckRequest.Status.DECLINED)[:LISTED],
        "listed": LISTED,
    }
    return render(request, "reader_requests/request_list.html", context)
