"""Finding a quote in a document's stored text, and marking the passages found.

Quotes are checked verbatim, but a quote typed into the admin rarely has the same whitespace,
quotation marks and dashes as the document it comes from, so both sides are compared after
normalising those. An ellipsis in the quote ("…", "...", "[...]") stands for words the quote
leaves out: it matches the shortest span of the text between the quoted parts, up to
``MAX_ELIDED`` characters, so a quote cannot stitch together words from far apart.

What is stored is a W3C Web Annotation TextQuoteSelector
(https://www.w3.org/TR/annotation-model/#text-quote-selector) whose ``exact``, ``prefix`` and
``suffix`` are taken from the original text, not the normalised one: they are what a reader
sees in the document, and they are how the passage is found again to highlight it.
"""

import itertools
import re

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

CONTEXT_CHARS = 32
MAX_ELIDED = 1000

_EQUIVALENTS = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    }
)
_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:\.\.\.|…)\s*\]|\.\.\.|…)\s*")


def _normalise(text):
    """``text`` with typographic quotes and dashes made plain and each run of whitespace made
    one space, and for each character of the result the index it came from in ``text``."""
    chars, origins = [], []
    for index, char in enumerate(text.translate(_EQUIVALENTS)):
        if char.isspace():
            if chars and chars[-1] == " ":
                continue
            char = " "
        chars.append(char)
        origins.append(index)
    return "".join(chars), origins


def _find_parts(parts, text):
    """Start and end in ``text`` of the earliest match of ``parts`` in order, each part
    starting at most MAX_ELIDED characters after the previous one ends; or None.

    For a given start, taking each next part at its earliest occurrence is always right: it
    ends soonest, which leaves the most room for the parts after it."""
    first, rest = parts[0], parts[1:]
    start = text.find(first)
    while start != -1:
        end = start + len(first)
        for part in rest:
            found = text.find(part, end, end + MAX_ELIDED + len(part))
            if found == -1:
                break
            end = found + len(part)
        else:
            return start, end
        start = text.find(first, start + 1)
    return None


def find_quote(quote, text):
    """The TextQuoteSelector of ``quote`` in ``text``, or None when the text does not hold it.

    >>> find_quote("the “best” jail", "It is the \\"best\\"\\n jail in town.")["exact"]
    'the "best"\\n jail'
    """
    normalised_quote, _ = _normalise(quote)
    parts = [part for part in _ELLIPSIS.split(normalised_quote.strip()) if part.strip()]
    if not parts:
        return None
    normalised_text, origins = _normalise(text)
    span = _find_parts([part.strip() for part in parts], normalised_text)
    if span is None:
        return None
    start, end = origins[span[0]], origins[span[1] - 1] + 1
    return {
        "type": "TextQuoteSelector",
        "exact": text[start:end],
        "prefix": text[max(0, start - CONTEXT_CHARS) : start],
        "suffix": text[end : end + CONTEXT_CHARS],
    }


def locate(selector, text):
    """Where a selector's passage is in ``text`` (start, end), or None if the text has
    changed since the selector was made."""
    context = selector["prefix"] + selector["exact"] + selector["suffix"]
    found = text.find(context)
    if found == -1:
        return None
    start = found + len(selector["prefix"])
    return start, start + len(selector["exact"])


def mark_passages(text, passages):
    """``text`` as HTML with each passage wrapped in <mark>. ``passages`` are (anchor id,
    selector) pairs; each passage gets an empty element with its anchor id where it starts,
    so a link can point at it even when passages overlap. Everything else is escaped."""
    spans = sorted(
        (span[0], span[1], anchor)
        for anchor, selector in passages
        if (span := locate(selector, text)) is not None
    )
    boundaries = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    html = []
    for start, end in itertools.pairwise(boundaries):
        html.extend(
            format_html('<span id="{}" class="passage-anchor"></span>', anchor)
            for s, _, anchor in spans
            if s == start
        )
        chunk = escape(text[start:end])
        covered = any(s <= start < e for s, e, _ in spans)
        html.append(format_html("<mark>{}</mark>", chunk) if covered else chunk)
    return mark_safe("".join(html))  # every piece above is escaped
