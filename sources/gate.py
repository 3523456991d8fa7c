"""Where the public gate of provenance starts: what public rows of another app cite.

A document, a person or an organization is public because something public cites it: a
published claim is quoted from a document and said by someone, its evidence is drawn from a
document and found by someone. Claims live in the ``claims`` app, which this app must never
import (dependencies point one way). So that app says, once, when it is ready
(``claims.apps.ClaimsConfig.ready``), how to tell what its public rows cite, and the
``published()`` querysets of ``sources.models`` build the rest on it: the documents those are
known through, who published or wrote public documents, and affiliations between public
actors.

Until it is installed, asking what is public is an error: an empty answer would hide the
mistake, a full one would publish drafts.
"""

from django.core.exceptions import ImproperlyConfigured

_cited = {}


def install(*, sources, actors):
    """``sources`` and ``actors`` are callables that return a condition for ``filter()`` (a
    ``Q`` or an ``Exists``, referring to the row as ``OuterRef("pk")``): true of the sources,
    and of the actors, that public rows cite directly. They are called on each use, so every
    queryset gets fresh subqueries."""
    _cited.update(sources=sources, actors=actors)


def cited(name):
    """The installed condition for ``name``: "sources" or "actors"."""
    try:
        condition = _cited[name]
    except KeyError:
        raise ImproperlyConfigured(
            "Nothing says which sources and actors are public: the app that publishes claims "
            "calls sources.gate.install() when it is ready."
        ) from None
    return condition()
