"""Claims' languages: BCP 47 tags (``en``, ``es``, ``pt-BR``), checked and written in their
usual case, and detected from a quote when an editor gives none.

Detection is local, with lingua (its models ship inside the package; nothing is downloaded),
among the languages of ``settings.CLAIM_LANGUAGES`` only: fewer candidates mistake less often
on a short quote and load fewer models. The detector is built once per process, on first
use, and loads a language's models only when a text needs them (about 70 MB for twenty).
"""

import functools
import re

from django.conf import settings
from django.core.exceptions import ValidationError

MAX_LENGTH = 35
DETECTED_LENGTH = 1000
# RFC 5646's well-formed tags, in the part a claim needs: a language of 2 or 3 letters
# (ISO 639; the 4-8 letter forms are reserved and unused), then optional extended language,
# script, region, variants, extensions and a private use part.
_TAG = re.compile(
    r"""^(?P<language>[a-z]{2,3})(?:-[a-z]{3}){0,3}
    (?:-(?P<script>[a-z]{4}))?
    (?:-(?P<region>[a-z]{2}|\d{3}))?
    (?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*
    (?:-[\da-wyz](?:-[a-z\d]{2,8})+)*
    (?:-x(?:-[a-z\d]{1,8})+)?$""",
    re.IGNORECASE | re.VERBOSE,
)


def validate_language_tag(value):
    if value and (len(value) > MAX_LENGTH or not _TAG.match(value)):
        raise ValidationError(
            "“%(value)s” is not a language tag (BCP 47): write the language's ISO 639 code, "
            "e.g. en, es or fr, optionally with a region, e.g. pt-BR.",
            code="invalid_language",
            params={"value": value},
        )


def normalize(tag):
    """A valid tag in its usual case (RFC 5646, 2.1.1): language lower, script title, region
    upper (``pt-BR``, ``zh-Hant-TW``). Other values are returned as they are, for the
    validator to refuse."""
    if not tag or not _TAG.match(tag):
        return tag
    language, *rest = tag.lower().split("-")
    parts, extension = [language], False
    for part in rest:
        extension = extension or len(part) == 1  # an extension or private use: as it is
        if extension:
            parts.append(part)
        elif len(part) == 2:
            parts.append(part.upper())
        elif len(part) == 4 and part.isalpha():
            parts.append(part.title())
        else:
            parts.append(part)
    return "-".join(parts)


def primary(tag):
    """The language of a tag, without script or region: ``pt`` for ``pt-BR``."""
    return (tag or "").split("-")[0].lower()


@functools.cache
def _detector():
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [
        Language.from_iso_code_639_1(getattr(IsoCode639_1, code.strip().upper()))
        for code in settings.CLAIM_LANGUAGES
    ]
    # A clear margin between the best two languages, or no answer: "OK" is not English.
    return (
        LanguageDetectorBuilder.from_languages(*languages)
        .with_minimum_relative_distance(0.1)
        .build()
    )


def detect(text):
    """The ISO 639-1 code of the language ``text`` is written in, or None when the detector
    cannot tell (too short, or none of ``settings.CLAIM_LANGUAGES``)."""
    if not (text or "").strip():
        return None
    # A few sentences tell the language as well as a page, at a fraction of the time.
    language = _detector().detect_language_of(text[:DETECTED_LENGTH])
    return language.iso_code_639_1.name.lower() if language else None
