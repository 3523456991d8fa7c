"""Search snippets: the quote with the searched words marked, for the rows of one page only.

``ClaimQuerySet.search`` finds and ranks; this runs afterwards on the (at most a page of)
claims shown, so the costly part, re-parsing each quote (PostgreSQL's ``ts_headline``,
SQLite's FTS5 ``snippet``), never runs for rows nobody sees.
"""

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db import connections
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from claims import sqlite_search
from claims.models import SEARCH_CONFIG, Claim

# Markers the database puts around matches; the text is HTML-escaped in Python afterwards,
# then they become <mark>, so nothing from a quote is ever taken as markup.
START, STOP = "\x02", "\x03"
SNIPPET_WORDS = 40


def _marked(text):
    return mark_safe(escape(text).replace(START, "<mark>").replace(STOP, "</mark>"))


def highlight(claims, query):
    """Set ``highlighted_quote`` (safe HTML) on each of ``claims`` and return them as a list."""
    claims = list(claims)
    query = query.strip()
    if not claims or not query:
        return claims
    db = claims[0]._state.db or "default"
    if connections[db].vendor == "postgresql":
        headline = SearchHeadline(
            "quote",
            SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG),
            config=SEARCH_CONFIG,
            start_sel=START,
            stop_sel=STOP,
            max_words=SNIPPET_WORDS,
            min_words=SNIPPET_WORDS // 2,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
        snippets = dict(
            Claim.objects.using(db)
            .filter(pk__in=[claim.pk for claim in claims])
            .annotate(snippet=headline)
            .values_list("pk", "snippet")
        )
    else:
        wanted, _ = sqlite_search.parse(query)
        snippets = {}
        if wanted:
            snippets = sqlite_search.snippets(
                connections[db],
                wanted,
                [claim.pk for claim in claims],
                start=START,
                stop=STOP,
                words=SNIPPET_WORDS,
            )
        for claim in claims:
            snippets.setdefault(claim.pk, Truncator(claim.quote).words(SNIPPET_WORDS))
    for claim in claims:
        claim.highlighted_quote = _marked(snippets.get(claim.pk) or claim.quote)
    return claims
