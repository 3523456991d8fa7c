"""Public pages. Every row they name comes from a ``published()`` queryset method
(``Claim.objects.published()``, ``Source.objects.published()``, ``Affiliation.objects.published()``
...): a draft or a claim in review, or anything known only from one, can reach no page, list,
feed or count."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db import router
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import quote_etag
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import condition, require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from claims import check_text as text_check
from claims.cache import (
    HTMX_HEADERS,
    PER_VERSION_SECONDS,
    claim_versions,
    kept,
    lists_version,
    per_version,
    public_count,
)
from claims.claimreview import claim_review, rating_bounds
from claims.filters import ClaimFilter
from claims.highlight import highlight
from claims.models import (
    Appearance,
    Claim,
    Correction,
    Counterclaim,
    Evidence,
    QuoteCheck,
    StanceLink,
    Topic,
    Verdict,
)
from claims.pagination import IdsFirstPaginator
from claims.quotes import mark_passages
from claims.throttling import TextCheckThrottle, retry_after, throttle_searches
from config.prepared_statements import prepared
from sources.models import Actor, Affiliation, Source
from trust.models import Organization
from trust.people import author_node

CLAIMS_PER_PAGE = 20
# Public pages may be kept by browsers and shared caches for a short while; claim pages are
# revalidated cheaply with their ETag.
public_cache = cache_control(public=True, max_age=60)


def _published():
    return Claim.objects.published()


@require_safe
@public_cache
def home(request):
    claims = _published().for_cards().order_by("-published_at", "-id")[:10]
    topics = Topic.objects.published()
    return render(
        request,
        "claims/home.html",
        {
            "claims": claims,
            "topics": topics,
            "verdicts": Verdict.objects.all(),
        },
    )


@require_safe
@throttle_searches
@public_cache
@vary_on_headers(*HTMX_HEADERS)
def claim_list(request):
    """The searchable, filterable list, with the API's filters (``claims.filters``). The
    filter form's requests (htmx) get only the results fragment; a page loaded whole (a link,
    a boosted page link, htmx restoring a page missing from its history cache) gets the page.

    Its address holds only the filters in use: a form sends its empty fields too
    (``?q=x&topic=&claimant=``). A plain submission is redirected to the address without
    them; the form's htmx request is answered with that address to push (``HX-Push-Url``)."""
    in_use = _without_empty(request.GET)
    address = f"{request.path}?{in_use.urlencode()}" if in_use else request.path
    fragment = request.htmx and not request.htmx.boosted
    fragment = fragment and not request.htmx.history_restore_request
    if len(in_use) != len(request.GET) and not fragment:
        return redirect(address)
    claim_filter = ClaimFilter(in_use or None, queryset=_published(), request=request)
    form = claim_filter.form
    form.is_valid()  # invalid fields are reported and ignored; the valid ones still apply
    page = results_page(claim_filter, in_use.get("page"), request)
    query = in_use.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    if not fragment and settings.PUBLIC_CACHE_SECONDS > 0:
        # The filters' selects (hundreds of options, each rendered through a template) are
        # the same for every reader until the lists change, whatever the search: kept per
        # version of the lists and per value of the other filters, as the form reads them
        # (old names included; a parameter it does not know changes nothing).
        chosen = [(name, form.data.getlist(name)) for name in form.fields if name != "q"]
        context["filters_key"] = f"{lists_version(request)}:{urlencode(chosen, doseq=True)}"
        context["filters_seconds"] = PER_VERSION_SECONDS
    if not fragment:
        return render(request, "claims/claim_list.html", context)
    response = render(request, "claims/claim_list.html#results", context)
    return push_url(response, address)


def _without_empty(query):
    """``query`` (a QueryDict) without the parameters whose values are all blank."""
    in_use = QueryDict(mutable=True)
    for name, values in query.lists():
        if values := [value for value in values if value.strip()]:
            in_use.setlist(name, values)
    return in_use


def results_page(claim_filter, number, request=None):
    """One page of the claims ``claim_filter`` selects, with search snippets when it
    searched. (The search benchmark, ``bench/search_times.py``, measures this.) Unfiltered,
    the list holds every public claim, counted once per version of the cached lists."""
    narrows = claim_filter.is_bound and claim_filter.form.narrows
    count = public_count(_published(), request) if not narrows else None
    paginator = IdsFirstPaginator(
        ordered_results(claim_filter),
        CLAIMS_PER_PAGE,
        rows=_published().for_cards(),
        count=count,
        bookmarked=True,
        request=request,
    )
    page = paginator.get_page(number)
    search = claim_filter.form.cleaned_data.get("q") if claim_filter.is_bound else ""
    if search:
        page.object_list = highlight(page.object_list, search)
    return page


def ordered_results(claim_filter):
    """The claims matching the valid filters, in the chosen order; without one, a search's
    best matches first, otherwise the newest published. Where the database ranks
    (PostgreSQL), a search in order of relevance is the list of the ranked ids, best first
    (``ClaimQuerySet.ranked_ids``), which pages without asking the database again."""
    if not claim_filter.is_bound:
        return claim_filter.qs.order_by("-published_at", "-id")
    data = claim_filter.form.cleaned_data
    query = data.get("q") or ""
    if data.get("ordering"):
        return claim_filter.qs
    if query:
        ranked = claim_filter.narrow(claim_filter.queryset).ranked_ids(query)
        if ranked is not None:
            return ranked
        return claim_filter.qs.order_by("-search_rank", "-published_at", "-id")
    return claim_filter.qs.order_by("-published_at", "-id")


def _claim_version(request, pk):
    """The versions of the cache tags the claim's responses depend on (``claims.cache``), as
    one string: the page's ETag and the key of what it shows from the database."""
    versions = claim_versions(request, pk)
    return "-".join(str(value) for value in (pk, *versions.values()))


def _claim_etag(request, pk, slug=None):
    """The versions of the cache tags the claim's responses depend on (``claims.cache``):
    every write to something the page shows (its row, evidence, sources, people, topics,
    corrections, counterclaims) retires them (``claims.dependencies``; tests/test_etags.py
    changes each), so a page that changed is never answered 304, and a revalidation is
    answered from the cache alone, without the database. Read before the page's rows, so a
    write that lands while it renders changes the ETag too."""
    return _claim_version(request, pk)


def _with_page_flags(claims):
    """``claims`` with what a claim's page shows, and flags for what most claims lack.

    Most claims have no corrections, appearances or exchange, and many claimants have no
    affiliation: the flags spare them those queries (the affiliations' gate costs
    milliseconds to compile and plan: it is asked only for claimants who have ties)."""
    in_exchange = Exists(
        Counterclaim.objects.filter(Q(original=OuterRef("pk")) | Q(response=OuterRef("pk")))
    )
    # Not the search index's vector, which the page never shows and its kept rows need not
    # carry (``_claim_page``).
    return (
        claims.with_related()
        .defer("search_vector")
        .annotate(
            in_exchange=in_exchange,
            corrected=Exists(Correction.objects.filter(claim=OuterRef("pk"))),
            affiliated=Exists(Affiliation.objects.filter(person=OuterRef("claimant"))),
            appeared=Exists(Appearance.objects.filter(claim=OuterRef("pk"))),
        )
    )


# Built once per process: building the four subqueries cost 0.8 ms a page, and the gates of
# actors, sources and affiliations (nested subqueries: what public rows cite) 2 to 5 ms each
# time they are asked. Never evaluated themselves; each use filters a copy.
PUBLIC_CLAIM_PAGES = _with_page_flags(Claim.objects.published())
PREVIEWS = _with_page_flags(Claim.objects.all())
PUBLIC_ACTORS = Actor.objects.published()
PUBLIC_SOURCES = Source.objects.published()
PUBLIC_AFFILIATIONS = Affiliation.objects.published()


def _shown_on_claim_page(request, claims, pk, *, preview):
    """What a claim's page shows from the database, but for its claimant's ties
    (``public_ties``): the claim with its related rows, and its evidence column rendered.
    Every write to any of it retires the claim's version (``claims.dependencies``), so
    ``_claim_page`` keeps it under that version."""
    claim = get_object_or_404(claims, pk=pk)
    # "Said N times", and the ClaimReview's appearances: one query, for the claims said again.
    claim.shown_appearances = (
        list(Appearance.objects.shown(public=not preview).filter(claim=claim))
        if claim.appeared
        else []
    )
    links = claim.stance_links.select_related(
        "evidence__source__publisher", "evidence__source__via__publisher", "evidence__author"
    )
    groups = [
        (stance, label, [link for link in links if link.stance == stance])
        for stance, label in StanceLink.Stance.choices
    ]
    answers, answered_by = claim.public_exchange() if claim.in_exchange else ([], [])
    checked, reviewed = claim.byline()
    # Of its sources' texts the page shows only whether the quoted words were found in them:
    # found now, the texts are not kept (an article each, in every version's entry). Django
    # treats a field missing from an instance as deferred.
    for row in (claim, *claim.shown_appearances):
        row.passage_url  # noqa: B018 (computed while the texts are here)
        for source in (row.source, row.source.via):
            if source is not None:
                source.__dict__.pop("text", None)
    return {
        "claim": claim,
        "evidence_column": render_to_string(
            "claims/claim_detail.html#evidence",
            {"evidence_groups": [group for group in groups if group[2]]},
        ),
        "corrections": list(
            claim.corrections.select_related("verdict_before", "verdict_after")
            if claim.corrected
            else []
        ),
        "answers": answers,
        "answered_by": answered_by,
        "checked": checked,
        "reviewed": reviewed,
        # What the ClaimReview needs besides, the same for every claim: kept per version of
        # the lists, so a claim rendered from the database asks for them once per write.
        "bounds": None if preview else per_version("rating-bounds", rating_bounds, request),
        "organization": None
        if preview
        else per_version("organization", Organization.current, request),
    }


def _claim_page(request, claims, pk, *, preview=False):
    """Render one claim's page from ``claims`` (``PUBLIC_CLAIM_PAGES``, or ``PREVIEWS``).

    What the page shows from the database is kept per version of the claim, so a reader who
    misses the page's cache (a new query string, an htmx request, a page expired from it) is
    spared its queries; never for a preview, nor when the public cache is off. The first
    reader after a write to the claim renders it from the database."""
    version = _claim_version(request, pk)
    if preview or settings.PUBLIC_CACHE_SECONDS <= 0:
        shown = _shown_on_claim_page(request, claims, pk, preview=preview)
    else:
        shown = kept(
            f"public:claim-page:{version}",
            lambda: _shown_on_claim_page(request, claims, pk, preview=preview),
        )
    claim = shown["claim"]
    affiliations = []
    if claim.affiliated and preview:  # an editor's preview shows every tie of the claimant
        affiliations = Affiliation.objects.filter(person=claim.claimant_id)
        affiliations = affiliations.select_related("organization")
    elif claim.affiliated:
        # Readers only the public ones, kept per version of the lists and shared by all the
        # claimant's claims: their gate takes milliseconds to build and to plan.
        affiliations = public_ties(request, "affiliations", person=claim.claimant_id)
    canonical_url = request.build_absolute_uri(claim.get_absolute_url())
    context = {
        **shown,
        "affiliations": affiliations,
        "preview": preview,
        "canonical_url": canonical_url,
        "language_feed": language_feed(claim.language),
        "oembed_url": request.build_absolute_uri(
            f"{reverse('embeds:oembed')}?{urlencode({'url': canonical_url, 'format': 'json'})}"
        ),
        "claim_review": None
        if preview
        else claim_review(
            claim,
            request,
            bounds=shown["bounds"],
            author=author_node(request, shown["organization"]),
            byline=(shown["checked"], shown["reviewed"]),
        ),
    }
    response = render(request, "claims/claim_detail.html", context)
    return claim, response, version


def language_feed(language):
    """The address of the feed of claims in ``language`` (``claims.feeds.LanguageClaimsFeed``),
    or "" for a claim with no language."""
    if not language:
        return ""
    return reverse("feeds:language", args=[language.lower()])


@require_safe
@public_cache
@condition(etag_func=_claim_etag)
def claim_detail(request, pk, slug=None):
    with prepared(router.db_for_read(Claim)):  # every query of the page is by the claim's key
        claim, response, version = _claim_page(request, PUBLIC_CLAIM_PAGES, pk)
    if slug != claim.slug:
        return redirect(claim, permanent=True)
    response.headers["ETag"] = quote_etag(version)  # as _claim_etag would have said
    return response


@require_safe
@never_cache
@permission_required("claims.view_claim")
def claim_preview(request, pk):
    """An editor's view of any claim, draft or not, as readers would see it once published.
    Marked as a preview, kept out of search engines and caches."""
    _, response, _ = _claim_page(request, PREVIEWS, pk, preview=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
@public_cache
def corrections(request):
    items = (
        Correction.objects.published()
        .select_related("claim", "verdict_before", "verdict_after")
        .order_by("-created_at", "-id")
    )
    page = Paginator(items, CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "claims/corrections.html", {"page": page})


@require_safe
@public_cache
def actor_detail(request, slug):
    actor = per_version(f"actor:{slug}", lambda: _public_actor(slug), request)
    if actor is None:
        raise Http404("No public claimant by that name.")
    claims = _published().filter(claimant=actor)
    # A prolific claimant's chart counts tens of thousands of rows: once per version of the
    # lists, so that its pages cost what a claimant of five claims' do.
    verdict_counts = per_version(
        f"actor-verdicts:{actor.pk}",
        lambda: dict(
            claims.order_by().values("verdict").annotate(n=Count("id")).values_list("verdict", "n")
        ),
        request,
    )
    # Paged like the claim list; the chart's counts add up to the page's total.
    page = IdsFirstPaginator(
        claims.order_by("-published_at", "-id"),
        CLAIMS_PER_PAGE,
        rows=_published().for_cards(),
        count=sum(verdict_counts.values()),
        bookmarked=True,
        request=request,
    ).get_page(request.GET.get("page"))
    # Both ends of a public tie are public actors, so each name links to its page.
    context = {
        "actor": actor,
        "affiliations": public_ties(request, "affiliations", person=actor.pk),
        "members": public_ties(request, "members", organization=actor.pk),
        "page": page,
        "chart": _verdict_chart(verdict_counts),
    }
    return render(request, "claims/actor_detail.html", context)


def _public_actor(slug):
    """The public actor with this slug, or None. Once per version of the lists
    (``actor_detail``): the gate asks which public rows cite the actor (``sources.gate``),
    which costs milliseconds to build and as many to plan, for an answer that changes only
    with a write that makes new lists (to the actor, or to what cites it)."""
    return PUBLIC_ACTORS.filter(slug=slug).first()


def public_ties(request, name, **end):
    """The public affiliations (``Affiliation.objects.published()``) with one ``end``
    (``person=`` or ``organization=`` an actor's id), with the actor at the other end, once
    per version of the lists. Their gate asks whether both ends are public, which takes
    PostgreSQL about 10 ms to plan, as long as the query that uses it; a write to a person, a
    tie or a public claim makes new lists, so a tie shown is never older than they are."""
    [(field, pk)] = end.items()
    other = "organization" if field == "person" else "person"

    def ties():  # asked only when not kept: compiling the gate costs as much as running it
        return list(PUBLIC_AFFILIATIONS.filter(**end).select_related(other))

    return per_version(f"{name}:{pk}", ties, request)


def _verdict_chart(counts, bar_width=200, row_height=24):
    """Bar geometry for a claimant's verdict distribution, one row per step of the scale."""
    most = max(counts.values(), default=0) or 1
    rows = [
        {
            "verdict": verdict,
            "count": counts.get(verdict.pk, 0),
            "y": i * row_height,
            "width": round(bar_width * counts.get(verdict.pk, 0) / most),
        }
        for i, verdict in enumerate(Verdict.objects.all())
    ]
    return {"rows": rows, "height": len(rows) * row_height}


@require_safe
@public_cache
def source_detail(request, pk, slug=None):
    # Whether the source is public, once per version of the lists, as a claimant's is
    # (``_public_actor``); the row itself is one query by key, so the cache holds no text.
    public = per_version(
        f"source-public:{pk}", lambda: PUBLIC_SOURCES.filter(pk=pk).exists(), request
    )
    if not public:
        raise Http404("No public source with that number.")
    sources = Source.objects.select_related("publisher", "via").prefetch_related("authors")
    source = get_object_or_404(sources, pk=pk)
    if slug != source.slug:
        return redirect("claims:source", pk=source.pk, slug=source.slug, permanent=True)
    context = {
        "source": source,
        "page": IdsFirstPaginator(
            _published().filter(source=source).order_by("-published_at", "-id"),
            CLAIMS_PER_PAGE,
            rows=_published().for_cards(),
            bookmarked=True,
            request=request,
        ).get_page(request.GET.get("page")),
        "evidence": Evidence.objects.published().filter(source=source).select_related("author"),
        "reported_documents": per_version(
            f"reported-documents:{pk}",
            # Without their texts, which the list does not show and the cache need not hold.
            lambda: list(PUBLIC_SOURCES.filter(via=pk).select_related("publisher").defer("text")),
            request,
        ),
        "text": _marked_text(source),
        # Our own copy (archives/): the source is public, so its taken snapshots are.
        "snapshot": source.snapshots.taken().order_by("-taken_at").first(),
    }
    return render(request, "claims/source_detail.html", context)


def _marked_text(source):
    """The source's stored text as HTML, with the passages that published claims, their
    appearances and their evidence quote from it marked; claim pages link to them by anchor."""
    if not source.text:
        return ""
    quoted = [
        *Claim.quoting(source).published().filter(quote_check=QuoteCheck.MATCH),
        *Evidence.quoting(source).published().filter(quote_check=QuoteCheck.MATCH),
        *Appearance.quoting(source).published().filter(quote_check=QuoteCheck.MATCH),
    ]
    return mark_passages(source.text, [(row.passage_anchor, row.quote_selector) for row in quoted])


@require_safe
@public_cache
def topic_detail(request, slug):
    topic = get_object_or_404(Topic.objects.published(), slug=slug)
    claims = _published().filter(topics=topic).for_cards().order_by("-published_at", "-id")
    page = IdsFirstPaginator(claims, CLAIMS_PER_PAGE, bookmarked=True, request=request).get_page(
        request.GET.get("page")
    )
    return render(request, "claims/topic_detail.html", {"topic": topic, "page": page})


@require_http_methods(["GET", "POST"])
@never_cache
def check_text(request):
    """Which sentences of a pasted text say what a published fact check checked
    (``claims.check_text``). Nothing pasted is stored, logged or cached. The form's htmx
    request gets the results only; without JavaScript the form posts and gets the page."""
    form = text_check.CheckTextForm(request.POST if request.method == "POST" else None)
    status, wait, paragraphs = 200, None, None
    if form.is_bound:
        wait = retry_after(TextCheckThrottle(), request)
    if wait is not None:
        # Refused, with the text kept in the box to send again.
        form.is_valid()
        form.add_error(
            None,
            f"You have checked many texts in a short time. Please try again "
            f"in {wait} second{'s' if wait != 1 else ''}.",
        )
        status = 429
    elif form.is_valid():
        paragraphs = text_check.check(form.cleaned_data["text"])
    context = {
        "form": form,
        "paragraphs": paragraphs,
        "matched": [s for p in paragraphs or [] for s in p if s.match],
        "max_length": f"{text_check.MAX_LENGTH:,}",
    }
    fragment = request.htmx and not request.htmx.boosted
    template = "claims/check_text.html" + ("#results" if fragment else "")
    response = render(request, template, context, status=status)
    if wait is not None:
        response["Retry-After"] = str(wait)
    return response
