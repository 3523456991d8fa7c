"""Claim matching: which fact-checked claims say the same thing as a text ("was this checked?").

Local and explainable, in two steps:

1. Candidates from the database (``candidate_ids``): the site's own full-text search
   (``ClaimQuerySet.search``, on the text's distinctive words, any of them; in a large
   archive on PostgreSQL, among the claims holding its rarest words, ``bounded_query``).
   Claims said again elsewhere in other words are also candidates when the words of one of
   their appearances (``Appearance``) share a term with the text (``appearance_wordings``).
2. Each candidate re-ranked in Python with rapidfuzz against its quote, its appearances'
   words and its summary: a score from 0 to 1. ``CLAIM_MATCH_HIGH`` and
   ``CLAIM_MATCH_POSSIBLE`` (settings) turn it into a confidence, ``high`` (the same claim)
   or ``possible`` (worth a look).

Similar words are not the same claim: "more than 700 women" is not "more than 70 women", "is
safe" is not "is not safe", "fewer" is not "more", "Texas" is not "Arizona". Four small checks
(``disagreements``) compare numbers, negation, direction and names; any disagreement caps the
confidence at ``possible`` and is said in ``why``, so an editor sees the reason at a glance.

The claims come from the queryset the caller passes: ``Claim.objects.published()`` (the one
public gate) unless an editor's door passes a wider one.
"""

import functools
import math
import re
from dataclasses import dataclass, field
from itertools import combinations

from django.conf import settings
from django.db import connections
from django.db.models import Q
from rapidfuzz import fuzz

from claims.models import SEARCH_CONFIG, Appearance, Claim

MAX_MATCHES = 5
# Claims re-ranked per text: the full-text search's best. Each costs a re-ranking in Python.
MAX_CANDIDATES = 20
# Words of the text given to the full-text search: the longest ones, as the most distinctive.
MAX_SEARCH_WORDS = 10
# PostgreSQL: about how many claims the candidate query may read and rank for one text, as the
# search index's statistics estimate it (``word_shares``). "Any of a sentence's words" reads
# most of a large archive, since its common words are in most claims (``bounded_query``).
CANDIDATE_ROWS = 500
# The words a bounded query is made of: the text's rarest. Each word's list of claims is read
# whole from the index, so a fourth or fifth word, often a common one, costs more than the
# rows it saves (at a million claims, 5 words: 70 sentences a second, 3 words: 150).
RAREST_WORDS = 3
# Words safe to hand to ``to_tsquery`` as they are.
_PLAIN_TERM = re.compile(r"[a-z0-9]+")


def word_set(text):
    return frozenset(text.split())


STOP_WORDS = word_set(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself said says
    say saying told tells according"""
)
NEGATIONS = word_set(
    """not no never none nobody nothing neither nor without lack lacks cannot cant dont doesnt
    didnt isnt arent wasnt werent wont wouldnt shouldnt couldnt hasnt havent hadnt aint"""
)
# Words that say which way something goes. A text that goes one way where the claim goes the
# other ("fewer birds", "more birds"; "fell", "rose") says something else in the same words.
DOWN = word_set(
    """cut cuts fell fall falls fallen falling dropped drop drops decreased decrease lower
    lowest fewer less least halved reduced reduce reduces worse worst cheaper cheapest shrank
    costs"""
)
UP = word_set(
    """rose rise rises risen rising grew grown grow grows increased increase increases higher
    highest more most doubled tripled added raised better best dearer expensive saves"""
)
UNITS = """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen"""
TENS = "twenty thirty forty fifty sixty seventy eighty ninety"
NUMBER_WORDS = {word: value for value, word in enumerate(UNITS.split())} | {
    word: 20 + 10 * index for index, word in enumerate(TENS.split())
}
MULTIPLIERS = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}

# Curly quotes and apostrophes as their plain forms, so a curly "don't" reads as a plain one.
_PLAIN = str.maketrans("\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f", "''''\"\"\"\"")
_WORD = re.compile(r"[A-Za-z][A-Za-z']*|\d[\d,.]*%?")
_POSSESSIVE = re.compile(r"'s$")
_DIGITS = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*(%|percent|per cent)?")
_NAME = re.compile(r"\b[A-Z][A-Za-z'.-]*[A-Za-z]|\b[A-Z]{2,}\b")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"]\s*)([A-Z][A-Za-z'.-]*)")


@dataclass
class Match:
    claim: Claim
    score: float
    confidence: str
    why: list[str] = field(default_factory=list)


# The checks read the same texts' words many times over (a text against each candidate).
@functools.lru_cache(maxsize=10_000)
def words(text):
    """The text's words, lower case, without punctuation; "don't" becomes "dont"."""
    text = text.translate(_PLAIN).lower()
    return tuple(
        word.removesuffix("'s").replace("'", "") if "'" in word else word
        for word in _WORD.findall(text)
    )


def content_words(text):
    return [word for word in words(text) if word not in STOP_WORDS]


def numbers(text):
    """The numbers a text states, as strings: digits ("1,200" is 1200, "12.5%" is 12.5%) and
    number words ("seven hundred" is 700, "seven days" is 7)."""
    text = text.translate(_PLAIN)
    found = set()
    for whole, fraction, percent in _DIGITS.findall(text):
        value = whole.replace(",", "") + (f".{fraction}" if fraction else "")
        found.add(value + ("%" if percent else ""))
    value = None
    for word in [*words(text), ""]:
        if word in NUMBER_WORDS:
            value = (value or 0) + NUMBER_WORDS[word]
        elif word in MULTIPLIERS and value is not None:
            value *= MULTIPLIERS[word]
        elif word in MULTIPLIERS:
            value = MULTIPLIERS[word]
        elif word == "and" and value is not None:
            continue  # "two hundred and fifty"
        elif value is not None:
            found.add(str(value) + ("%" if word in ("percent", "%") else ""))
            value = None
    # "zero" and "one" are rarely amounts ("one of the officers"): they never disagree.
    return found - {"0", "1"}


def stem(word):
    """Enough of a word to compare its forms ("takes", "take"; "reduced", "reduce")."""
    return word.removesuffix("s")[:5]


def negated(text):
    """The stems of the words negations bear on: the first content word after each ("does
    not cause autism" gives {"cause"}, "no dead people" {"dead"})."""
    found, negating = set(), False
    for word in words(text):
        if word in NEGATIONS:
            negating = True
        elif negating and word not in STOP_WORDS:
            found.add(stem(word))
            negating = False
    return found


def contradicted(text, *claim_texts):
    """Words negated on one side and said plainly on the other. The claim's texts (quote,
    summary) word things differently ("would rather see ... than offend", "cared more about
    not offending"): a word is contradicted when one of them says it the other way and none
    says it the text's way."""
    text_negated = negated(text)
    text_stems = {stem(word) for word in words(text)}
    ways = {}  # stem: the polarities (True: negated) the claim's texts say it with
    for claim_text in claim_texts:
        claim_negated = negated(claim_text)
        for word in {stem(word) for word in words(claim_text)}:
            ways.setdefault(word, set()).add(word in claim_negated)
    return {
        word
        for word in text_stems & ways.keys()
        if (word in text_negated) not in ways[word] and (word in text_negated or any(ways[word]))
    }


def direction(text):
    found = set(words(text))
    return {name for name, group in (("up", UP), ("down", DOWN)) if found & group}


def names(text):
    """Capitalised words that are not the first of a sentence, and acronyms: a crude but
    explainable stand-in for named entities ("ICE", "Texas", "Andrea Meza")."""
    text = text.translate(_PLAIN)
    starts = {match.start(1) for match in _SENTENCE_START.finditer(text)}
    found = set()
    for match in _NAME.finditer(text):
        word = match.group()
        if match.start() in starts and not word.isupper():
            continue
        found.add(_POSSESSIVE.sub("", word.lower()))
    return found - STOP_WORDS - NUMBER_WORDS.keys()


def disagreements(text, quote, summary, claimant):
    """Why a text may say something else than the claim despite similar words: numbers,
    negation, direction and names that differ. Each check compares the text with all the
    claim says (quote and summary), so a partial quote that leaves out a number or a name
    does not disagree: a number or a name disagrees when each side has one the other lacks
    (or the text states a number where the claim states none)."""
    why = []
    claim_numbers = numbers(quote) | numbers(summary)
    text_numbers = numbers(text)
    if text_numbers - claim_numbers and (claim_numbers - text_numbers or not claim_numbers):
        why.append(
            f"numbers differ: {', '.join(sorted(text_numbers - claim_numbers))} in the text, "
            f"{', '.join(sorted(claim_numbers - text_numbers)) or 'none'} in the claim"
        )
    negations = contradicted(text, quote, summary)
    if negations:
        said = sorted({word for word in words(text) if stem(word) in negations})
        why.append(f"negation differs: {', '.join(said)} negated on one side only")
    claim = f"{quote} {summary}"
    text_direction, claim_direction = direction(text), direction(claim)
    if text_direction and claim_direction and text_direction != claim_direction:
        why.append(
            f"direction differs: {'/'.join(sorted(text_direction))} in the text, "
            f"{'/'.join(sorted(claim_direction))} in the claim"
        )
    claim_words = set(words(f"{quote} {summary} {claimant}"))
    # Who made the claim is not what it is about: a text need not name them.
    text_words = set(words(f"{text} {claimant}"))
    text_names = {name for name in names(text) if name not in claim_words}
    claim_names = {name for name in names(quote) | names(summary) if name not in text_words}
    if text_names and claim_names:
        why.append(
            f"names differ: {', '.join(sorted(text_names))} in the text, "
            f"{', '.join(sorted(claim_names))} in the claim"
        )
    return why


def similarity(text, claim_text):
    """How much two texts (their content words, ``content``) say in the same words, from 0
    to 1: the better of the words in any order (a paraphrase that reorders clauses), and the
    text found within the claim (a partial quote), the latter discounted when only a few
    words are shared."""
    if not text or not claim_text:
        return 0.0
    whole = fuzz.token_sort_ratio(text, claim_text)
    shared = len(set(text.split()) & set(claim_text.split()))
    contained = fuzz.token_set_ratio(text, claim_text) * min(1.0, 0.5 + shared / 10)
    return max(whole, contained) / 100


def content(text):
    return " ".join(content_words(text))


def score(text, quote, summary):
    """``text``'s similarity to the claim's quote or summary, whichever is closer (``text``
    already reduced to its ``content``)."""
    return max(similarity(text, content(quote)), similarity(text, content(summary)))


def confidence(score, why):
    if score >= settings.CLAIM_MATCH_HIGH and not why:
        return "high"
    if score >= settings.CLAIM_MATCH_POSSIBLE:
        return "possible"
    return None


def search_terms(text):
    """The text's longest distinctive words, as a query for ``ClaimQuerySet.search`` that any
    of them satisfies (web-search syntax: "a or b")."""
    unique = dict.fromkeys(word for word in content_words(text) if len(word) > 2)
    longest = sorted(unique, key=len, reverse=True)[:MAX_SEARCH_WORDS]
    return [word.strip(",.%") for word in longest if word.strip(",.%")]


def word_shares(database, terms):
    """``(shares, claims)``: for each of ``terms``, the share of claims (0 to 1) whose search
    index holds it, and the number of claims, as PostgreSQL's statistics estimate them.

    ANALYZE (autovacuum's, or ``VACUUM ANALYZE``) keeps the index column's most frequent
    words and their shares (``pg_stats.most_common_elems``, the estimate the query planner
    uses too); a word not among them is given half the least share listed, as the planner
    does. Terms the index never holds (stop words) are left out. A table never analysed has
    no statistics: every share is then 0, and no query is narrowed. One query for any number
    of terms."""
    sql = """
        WITH stats AS (
            SELECT most_common_elems::text::text[] AS lexemes, most_common_elem_freqs AS shares
            FROM pg_stats
            WHERE schemaname = current_schema() AND tablename = %(table)s
                AND attname = 'search_vector'
        ), listed AS (
            SELECT unnest(lexemes) AS lexeme, unnest(shares) AS share FROM stats
        )
        SELECT term, coalesce(
                max(listed.share),
                (SELECT shares[array_length(lexemes, 1) + 1] / 2 FROM stats),
                0),
            (SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = %(table)s::regclass)
        FROM unnest(%(terms)s::text[]) AS term
        CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector(%(config)s::regconfig, term)))
            AS lexeme
        LEFT JOIN listed USING (lexeme)
        GROUP BY term
    """
    params = {"table": Claim._meta.db_table, "terms": list(terms), "config": SEARCH_CONFIG}
    with connections[database].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {term: share for term, share, _ in rows}, max((count for *_, count in rows), default=0)


def bounded_query(terms, shares, claims):
    """``terms`` narrowed to a query (``to_tsquery`` syntax) that about ``CANDIDATE_ROWS``
    claims or fewer match, out of ``claims``, by their ``shares`` (``word_shares``); None
    when any of ``terms`` is already expected to match no more than that.

    Made of the text's ``RAREST_WORDS`` rarest words: the rarest alone, then the next, as
    many as are expected to match ``CANDIDATE_ROWS`` claims together; if even the rarest word
    is in more claims than that, pairs of words, the rarest pairs first, then triples. The
    claim a sentence repeats shares several of its rare words, and a rewording changes one
    or two; a claim that shares only a sentence's common words is not worth re-ranking."""
    known = [term for term in terms if term in shares and _PLAIN_TERM.fullmatch(term)]

    def expected(group):
        return claims * math.prod(shares[word] for word in group)

    if not known or sum(expected([term]) for term in known) <= CANDIDATE_ROWS:
        return None
    rarest = sorted(known, key=shares.get)[:RAREST_WORDS]  # ties: the longer first
    for size in range(1, len(rarest) + 1):
        groups, rows = [], 0
        for group in sorted(combinations(rarest, size), key=expected):
            rows += expected(group)
            if rows > CANDIDATE_ROWS:
                break
            groups.append(group)
        if groups:
            break
    # Even all the rarest words together are expected in more claims: all of them, then, and
    # the search's own limit (the newest SEARCH_CANDIDATES of them).
    groups = groups or [rarest]
    return " | ".join(f"({' & '.join(group)})" for group in groups)


def candidate_ids(claims, text, shares=None):
    """The ids of the claims worth re-ranking for ``text``: at most ``MAX_CANDIDATES``.

    Uses the site's one search (``ClaimQuerySet.search`` and its ranking, ``ranked_ids``):
    on PostgreSQL one query, best first by any of the words, among the claims holding the
    rarest of them (``bounded_query``, from the ``(shares, claims)`` of ``word_shares``);
    where the search takes no "or" (SQLite), one search per word, combined in one query, all
    ranked equal: the newest ``4 * MAX_CANDIDATES`` (an embedded database is small enough to
    re-rank them).

    Not pg_trgm's word similarity (``quote %> text`` on a trigram index): at 100,000
    synthetic claims one such query took over 15 s, because a sentence's trigrams are in
    nearly every quote and each one is then rechecked (docs/performance.md)."""
    terms = search_terms(text)
    if not terms:
        return []
    claims = claims.prefetch_related(None).order_by()
    if connections[claims.db].vendor == "postgresql":
        within = bounded_query(terms, *shares) if shares else None
        # The ranking ``search()`` orders by, without its second query for the rows.
        return claims.ranked_ids(" or ".join(terms), within=within)[:MAX_CANDIDATES]
    any_word = Q()
    for term in terms:
        any_word |= Q(pk__in=claims.search(term).values("pk"))
    found = claims.filter(any_word).order_by("-published_at", "-pk")
    return list(found.values_list("pk", flat=True)[: MAX_CANDIDATES * 4])


def appearance_wordings(claims, texts):
    """``(wordings, ids)``: ``wordings`` the words of the appearances (``Appearance``) of
    ``claims`` that share a search term (``search_terms``) with one of ``texts``, by claim id;
    ``ids`` for each text, the claims whose appearances share most terms with it (at most
    ``MAX_CANDIDATES``). One query for all the texts: a pattern of all their terms, tried on
    each appearance of ``claims`` (no index: appearances are few beside the claims, which
    the full-text index serves; re-ranking sorts out what the pattern lets through)."""
    terms = [search_terms(text) for text in texts]
    every = sorted({term for found in terms for term in found})
    if not every:
        return {}, [[] for _ in texts]
    pattern = "|".join(re.escape(term) for term in every)
    rows = (
        Appearance.objects.filter(claim__in=claims.prefetch_related(None).order_by().values("pk"))
        .filter(quote__iregex=f"({pattern})")
        .order_by("claim", "id")
        .values_list("claim", "quote")
    )
    wordings, words_of = {}, {}
    for claim_id, quote in rows:
        wordings.setdefault(claim_id, []).append(quote)
        words_of.setdefault(claim_id, set()).update(content_words(quote))
    ids = []
    for found in terms:  # the claims sharing the most terms, at most MAX_CANDIDATES
        shared = {pk: len(said & set(found)) for pk, said in words_of.items()}
        best = sorted((pk for pk in shared if shared[pk]), key=shared.get, reverse=True)
        ids.append(best[:MAX_CANDIDATES])
    return wordings, ids


def match_texts(texts, *, claims=None, limit=MAX_MATCHES):
    """For each text, its matches, best first: at most ``limit``, each at least ``possible``.

    ``claims`` is the queryset to match against: ``Claim.objects.published()`` (the public
    gate) unless an editor's door passes another; it may carry ``select_related`` and
    ``prefetch_related`` for the caller's serializer, applied to the matched claims only.
    A claim said again (``Appearance``) matches on its appearances' words too, once, with its
    best score. Queries: the candidates, one per text; the appearances' words and, on
    PostgreSQL, the words' shares (``word_shares``), one each for all texts; then one for the
    candidates' words and one (plus the caller's prefetches) for the matched claims, whatever
    the number of texts.
    """
    claims = Claim.objects.published() if claims is None else claims
    wordings, said_again = appearance_wordings(claims, texts)
    shares, terms = None, {term for text in texts for term in search_terms(text)}
    if terms and connections[claims.db].vendor == "postgresql":
        shares = word_shares(claims.db, sorted(terms))
    candidates = [
        list(dict.fromkeys([*candidate_ids(claims, text, shares), *again]))
        for text, again in zip(texts, said_again, strict=True)
    ]
    wanted = {pk for ids in candidates for pk in ids}
    rows = {
        pk: (quote, summary, claimant)
        for pk, quote, summary, claimant in claims.prefetch_related(None)
        .order_by()
        .filter(pk__in=wanted)
        .values_list("pk", "quote", "summary", "claimant__name")
    }
    ranked = []
    for text, ids in zip(texts, candidates, strict=True):
        scored, words_of_text = [], content(text)
        for pk in ids:
            quote, summary, claimant = rows[pk]
            # The claim's words, or the words of one of its appearances: the closest.
            value, quote = max(
                (score(words_of_text, said, summary), said)
                for said in [quote, *wordings.get(pk, ())]
            )
            if value < settings.CLAIM_MATCH_POSSIBLE:
                continue
            # The checks decide whether a match is high; below high they only explain, and
            # are run for the matches shown only (below).
            said = (text, quote, summary, claimant)
            why = disagreements(*said) if value >= settings.CLAIM_MATCH_HIGH else None
            scored.append((round(value, 3), pk, confidence(value, why or []), why, said))
        scored.sort(key=lambda row: (row[2] == "high", row[0]), reverse=True)
        ranked.append(
            [
                (value, pk, level, disagreements(*said) if why is None else why)
                for value, pk, level, why, said in scored[:limit]
            ]
        )
    loaded = claims.in_bulk({pk for rows_ in ranked for _, pk, _, _ in rows_})
    return [
        [Match(loaded[pk], value, level, why) for value, pk, level, why in rows_]
        for rows_ in ranked
    ]


def match_text(text, *, claims=None, limit=MAX_MATCHES):
    """One text's matches (see ``match_texts``)."""
    return match_texts([text], claims=claims, limit=limit)[0]
