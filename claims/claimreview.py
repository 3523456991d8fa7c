"""schema.org ClaimReview for a claim, built in this one place.

The API's JSON-LD exports and the public claim page embed the same markup, so search engines
and fact-check aggregators see one description of each fact check wherever they find it.
See https://schema.org/ClaimReview and Google's ClaimReview guidelines.
"""

from django.db.models import Max, Min
from django.utils.text import Truncator

from claims.models import Appearance, Claim, Verdict
from config.site import absolute_url
from sources.models import Actor
from trust.people import author_node, byline_name, person_node

# Long quotes are shortened for claimReviewed; the page itself shows the whole quote.
CLAIM_REVIEWED_LENGTH = 300


def reviewable(claims):
    """The claims that get a ClaimReview: published ones. A retracted fact check stays public
    with its correction note, but is no longer a rating anyone should republish."""
    return claims.published().filter(status=Claim.Status.PUBLISHED)


def rating_bounds():
    """(worst, best) ratings of the verdict scale: ClaimReview's worstRating and bestRating.
    Compute it once per request and pass it to ``claim_review`` for each claim of a list."""
    bounds = Verdict.objects.aggregate(worst=Min("rating"), best=Max("rating"))
    return bounds["worst"], bounds["best"]


def page_url(claim, request=None):
    """The claim's public page as an absolute URL (``config.site``)."""
    return absolute_url(claim.get_absolute_url(), request)


def _actor(actor):
    # schema.org has no type for a group of people, and ClaimReview's author is a Person or
    # an Organization: a group is an Organization (a collective), never one Person.
    node = {
        "@type": "Person" if actor.kind == Actor.Kind.PERSON else "Organization",
        "name": actor.name,
    }
    if actor.same_as:
        node["sameAs"] = list(actor.same_as)
    return node


def _work(source, author=None, said_on=None):
    """Where a claim appears: a CreativeWork (schema.org; Google's ClaimReview takes its
    url, author and datePublished), the document's own date where known, else the day said."""
    work = {"@type": "CreativeWork", "url": source.url, "headline": source.title}
    if author is not None:
        work["author"] = _actor(author)
    published_on = source.published_on or said_on
    if published_on:
        work["datePublished"] = published_on.isoformat()
    if source.publisher_id:
        work["publisher"] = _actor(source.publisher)
    return work


def appearances(claim):
    """(date, CreativeWork) for each public time ``claim`` was said in a document with a
    web address (the date said, else the document's): its own quote first, then its
    appearances (``Appearance``), oldest first. From
    ``shown_appearances`` (``Claim.objects.with_appearances()``) when loaded, else one query."""
    shown = getattr(claim, "shown_appearances", None)
    if shown is None:
        shown = Appearance.objects.shown().filter(claim=claim)
    said = [(claim.said_on, claim.claimant, claim.source)]
    said += [(row.said_on, row.claimant, row.source) for row in shown]
    return [
        (day or source.published_on, _work(source, who, day))
        for day, who, source in said
        if source.url
    ]


def claim_review(claim, request=None, *, bounds=None, author=None, byline=None):
    """The ClaimReview of one published claim, as a dict ready for JSON.

    ``claim`` should come with its claimant, source (and publisher) and verdict loaded
    (``Claim.objects.with_related()``), and its appearances (``with_appearances()``, else
    one query); ``bounds`` is ``rating_bounds()`` and ``author`` the
    organization (``trust.people.author_node``), computed here when not given: pass them for
    a list. ``byline`` is ``claim.byline()``: the claim page names who checked the claim
    (``contributor``) and who reviewed it (``editor``), as its byline does.
    """
    worst, best = bounds or rating_bounds()
    item = {"@type": "Claim", "author": _actor(claim.claimant)}
    if claim.said_on:
        item["datePublished"] = claim.said_on.isoformat()
    works = appearances(claim)
    if works:
        item["appearance"] = [work for _, work in works]
        # The earliest dated one; undated ones only when none is dated (the claim's own first).
        dated = [(day, index) for index, (day, _) in enumerate(works) if day]
        first = min(dated)[1] if dated else 0
        item["firstAppearance"] = works[first][1]
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": page_url(claim, request),
        "claimReviewed": Truncator(" ".join(claim.quote.split())).chars(CLAIM_REVIEWED_LENGTH),
        "itemReviewed": item,
        "author": author or author_node(request),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": claim.verdict.rating,
            "bestRating": best,
            "worstRating": worst,
            "alternateName": claim.verdict.label,
        },
        "reviewBody": claim.ruling,
        "headline": claim.summary,
    }
    for key, step in zip(("contributor", "editor"), byline or (), strict=False):
        if (person := byline_name(step)).name:
            review[key] = person_node(person, request)
    if claim.published_at:
        review["datePublished"] = claim.published_at.date().isoformat()
    if claim.status == Claim.Status.RETRACTED:
        # Retracted claims get no review in the exports (see ``reviewable``); their page says
        # so in its markup too, where people and tools read the rating.
        review["reviewRating"]["alternateName"] = f"Retracted ({claim.verdict.label})"
        review["reviewBody"] = f"This fact check has been retracted. {claim.retraction_note}"
    return review
