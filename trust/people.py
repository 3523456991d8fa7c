"""How readers see who worked on a fact check, for the claim page's byline and its
ClaimReview (``claims.Claim.byline`` gives the workflow's steps)."""

from typing import NamedTuple

from django.core.exceptions import ObjectDoesNotExist

from config.site import absolute_url
from trust.models import Organization


class Byline(NamedTuple):
    name: str
    url: str  # the public profile's address, "" without one


def byline_name(step):
    """Who took ``step`` (a ``ClaimTransition`` loaded with ``by__staff_profile``): the staff
    profile's name, linked when the profile is public; the user's full name without one; ""
    for a step the system took."""
    if step is None or step.by is None:
        return Byline("", "")
    try:
        profile = step.by.staff_profile
    except ObjectDoesNotExist:
        return Byline(step.public_name, "")
    return Byline(profile.name, profile.get_absolute_url() if profile.public_profile else "")


def author_node(request=None, publisher=None):
    """ClaimReview's ``author``: the organization (``publisher``, else read: one query by
    primary key) as its About page defines it, the settings (``SITE_NAME``, the site's
    address) where it is empty. Compute it once for a list of reviews."""
    publisher = publisher or Organization.current()
    node = {
        "@type": "Organization",
        "name": publisher.display_name,
        "url": publisher.url or absolute_url("/", request),
    }
    if publisher.logo:
        node["logo"] = {"@type": "ImageObject", "url": publisher.logo}
    return node


def person_node(byline, request=None):
    node = {"@type": "Person", "name": byline.name}
    if byline.url:
        node["url"] = absolute_url(byline.url, request)
    return node
