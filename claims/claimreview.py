"""schema.org ClaimReview for a published claim: https://schema.org/ClaimReview.

One builder, used by the claim page's JSON-LD and by every machine-readable export, so the
two can never disagree.
"""

from django.conf import settings
from django.utils.text import Truncator

from claims.models import Claim, Verdict

CLAIM_REVIEWED_LENGTH = 300


def _actor(actor):
    data = {"@type": "Person" if actor.is_person else "Organization", "name": actor.name}
    if actor.same_as:
        data["sameAs"] = actor.same_as
    return data


def rating_bounds():
    """(worst, best) ratings of the current scale."""
    ratings = list(Verdict.objects.values_list("rating", flat=True))
    return (min(ratings), max(ratings)) if ratings else (1, 1)


def claim_review(claim, page_url, bounds=None):
    """The ClaimReview of ``claim`` (with claimant, source and verdict loaded), as a dict.

    ``page_url`` is the claim page's absolute URL; ``bounds`` the scale's (worst, best)
    ratings, passed in by callers that build many reviews.
    """
    worst, best = bounds or rating_bounds()
    item = {"@type": "Claim", "author": _actor(claim.claimant)}
    if claim.said_on:
        item["datePublished"] = claim.said_on.isoformat()
    if claim.source.url:
        item["appearance"] = {"@type": "CreativeWork", "url": claim.source.url}
    else:
        item["appearance"] = {"@type": "CreativeWork", "name": claim.source.label}
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": page_url,
        "claimReviewed": Truncator(" ".join(claim.quote.split())).chars(CLAIM_REVIEWED_LENGTH),
        "itemReviewed": item,
        "author": {"@type": "Organization", "name": settings.SITE_NAME, "url": settings.SITE_URL},
        "datePublished": claim.published_at.date().isoformat() if claim.published_at else None,
        "dateModified": claim.updated_at.isoformat(),
    }
    if claim.verdict:
        review["reviewRating"] = {
            "@type": "Rating",
            "ratingValue": claim.verdict.rating,
            "bestRating": best,
            "worstRating": worst,
            "alternateName": claim.verdict.label,
        }
    if claim.status == Claim.Status.RETRACTED:
        # schema.org has no retraction flag; say it where people and tools read the rating.
        review["reviewRating"]["alternateName"] = f"Retracted: {claim.retraction_note}"
        review["reviewBody"] = f"This fact check has been retracted. {claim.retraction_note}"
    return review
