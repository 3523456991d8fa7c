"""``/check-text/``: a reader pastes a paragraph, a speech or an article, and sees which of its
sentences say what a published fact check checked (``claims.matching``), with the verdict
and a link.

Nothing pasted is kept: the text comes in a POST (no address, so no server or proxy log holds
it), is matched in memory against ``Claim.objects.published()`` (the one public gate: a draft
never matches for a reader), and the page is sent with ``Cache-Control: no-store``. Nothing is
written to the database and nothing is logged.
"""

import re
from dataclasses import dataclass

from django import forms

from claims.matching import Match, content_words, match_texts
from claims.models import Claim

MAX_LENGTH = 20_000
# A sentence with fewer words that say something ("Thank you.", "Yes, it is.") is not matched.
MIN_CONTENT_WORDS = 3

# A sentence: up to a run of ., !, ? or … followed by space (and any closing quotes or
# brackets), so "3.5 million" and "U.S.A." stay whole; a line break ends one too.
_CLOSING = "\"'\u201d\u2019)\\]"  # straight and curly closing quotes, brackets
_SENTENCE = re.compile(rf"\S(?:[^.!?…\n]|[.!?…](?=[^\s{_CLOSING}]))*[.!?…]*[{_CLOSING}]*")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


class CheckTextForm(forms.Form):
    text = forms.CharField(
        label="Text to check",
        strip=True,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        # No maxlength on the box: a browser would cut a long paste silently. Too long is
        # an error that keeps the text, so the reader can shorten it.
        error_messages={"required": "Paste a text to check."},
    )

    def clean_text(self):
        text = self.cleaned_data["text"]
        if len(text) > MAX_LENGTH:
            raise forms.ValidationError(
                f"The text has {len(text):,} characters; at most {MAX_LENGTH:,} can be checked "
                "at once. Shorten it, or check it in parts."
            )
        return text


@dataclass
class Sentence:
    text: str
    match: Match | None = None
    number: int | None = None  # of the match, in the list below the text


def paragraphs(text):
    """The text's paragraphs, each a list of its sentences."""
    return [
        _SENTENCE.findall(paragraph)
        for paragraph in _PARAGRAPH_BREAK.split(text.replace("\r\n", "\n"))
        if paragraph.strip()
    ]


def check(text):
    """The text as paragraphs of ``Sentence``; those that say what a published fact check
    checked carry its best match (``claims.matching``) and a number, in reading order."""
    found = [[Sentence(sentence) for sentence in paragraph] for paragraph in paragraphs(text)]
    worth = [
        sentence
        for paragraph in found
        for sentence in paragraph
        if len(content_words(sentence.text)) >= MIN_CONTENT_WORDS
    ]
    claims = Claim.objects.published().select_related("verdict", "claimant")
    matches = match_texts([sentence.text for sentence in worth], claims=claims, limit=1)
    number = 0
    for sentence, best in zip(worth, matches, strict=True):
        if best:
            number += 1
            sentence.match, sentence.number = best[0], number
    return found
