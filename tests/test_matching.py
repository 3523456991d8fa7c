"""Claim matching (claims/matching.py): the hard cases, and the one public gate."""

import re

import pytest

from claims.matching import disagreements, match_text, match_texts, names, negated, numbers
from claims.models import Claim

QUOTE = "ICE has moved more than 700 women out of a Texas detention center"
SUMMARY = "RAICES attorneys say ICE moved more than 700 women out of a Texas detention center."


@pytest.fixture
def transfers(make):
    return make.claim(
        quote=QUOTE, summary=SUMMARY, claimant=make.actor(name="RAICES"), status="published"
    )


@pytest.fixture
def safe_water(make):
    return make.claim(
        quote="The city's tap water is safe to drink and has passed every federal test this year.",
        summary="The water authority says the city's tap water is safe to drink.",
    )


def only(matches, claim):
    [match] = [match for match in matches if match.claim == claim]
    return match


def test_numbers_digits_separators_percentages_and_words():
    assert numbers("more than 1,200 people, 12.5% of them") == {"1200", "12.5%"}
    assert numbers("seven hundred women in seven days") == {"700", "7"}
    assert numbers("Ninety-eight percent of homes") == {"98%"}
    assert numbers("two hundred and fifty officers") == {"250"}


def test_negation_names_what_it_bears_on():
    assert negated("Masks do not reduce the spread") == {"reduc"}
    assert negated("Masks don\u2019t reduce the spread") == {"reduc"}
    assert negated("Masks reduce the spread") == set()


def test_names_are_capitalised_words_inside_a_sentence_and_acronyms():
    assert names("Officers said ICE moved women out of a Texas center.") == {"ice", "texas"}


@pytest.mark.django_db
def test_paraphrase_matches_high(transfers):
    match = only(
        match_text("ICE moved more than 700 women out of a detention centre in Texas."), transfers
    )
    assert match.confidence == "high"
    assert match.why == []
    assert 0 < match.score <= 1


@pytest.mark.django_db
def test_partial_quote_matches_high(transfers):
    assert only(match_text("ICE has moved more than 700 women"), transfers).confidence == "high"


@pytest.mark.django_db
def test_changed_number_is_only_possible_and_says_why(transfers):
    match = only(
        match_text("ICE has moved more than 70 women out of a Texas detention center"), transfers
    )
    assert match.confidence == "possible"
    assert match.why == ["numbers differ: 70 in the text, 700 in the claim"]


@pytest.mark.django_db
def test_negation_is_only_possible_and_says_why(safe_water):
    match = only(match_text("The city's tap water is not safe to drink."), safe_water)
    assert match.confidence == "possible"
    assert match.why == ["negation differs: safe negated on one side only"]


@pytest.mark.django_db
def test_other_place_is_only_possible_and_says_why(transfers):
    match = only(
        match_text("ICE has moved more than 700 women out of an Arizona detention center"),
        transfers,
    )
    assert match.confidence == "possible"
    assert match.why == ["names differ: arizona in the text, texas in the claim"]


def test_opposite_direction_disagrees():
    why = disagreements(
        "Electric cars produce fewer emissions than petrol cars.",
        "Electric cars produce more emissions than petrol cars.",
        "",
        "",
    )
    assert why == ["direction differs: down in the text, up in the claim"]


@pytest.mark.django_db
def test_unrelated_text_matches_nothing(transfers):
    assert match_text("The weather in Lisbon was sunny all week.") == []


@pytest.mark.django_db
def test_a_draft_matches_only_for_whoever_passes_every_claim(make):
    draft = make.claim(quote="Every school bus in the county is now electric.", status="draft")
    assert match_text(draft.quote) == []
    assert only(match_text(draft.quote, claims=Claim.objects.all()), draft).confidence == "high"


@pytest.mark.django_db
def test_best_first_and_at_most_five(make):
    for n in range(7):
        make.claim(quote=f"The harbour bridge carries {n} thousand cars a day across the river.")
    matches = match_text("The harbour bridge carries cars across the river every day.")
    assert len(matches) == 5
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


@pytest.mark.django_db
def test_one_result_per_text_in_order(transfers, safe_water):
    results = match_texts(["The city's tap water is safe to drink.", "", QUOTE])
    assert [[m.claim for m in matches] for matches in results] == [[safe_water], [], [transfers]]


def test_the_evaluation_pairs_split_by_claim_into_development_and_held_out():
    import csv
    from collections import Counter

    from claims.management.commands.eval_matching import DATA, split

    with open(DATA / "claim_matching_pairs.csv", newline="") as rows:
        pairs = list(csv.DictReader(rows))
    sets = {}
    for pair in pairs:
        sets.setdefault(pair["claim"], set()).add(split(pair))
    assert all(len(found) == 1 for found in sets.values())  # a claim's pairs stay together
    counts = Counter((split(pair), pair["label"]) for pair in pairs)
    held_out = counts["held-out", "same"] + counts["held-out", "different"]
    assert 0.25 <= held_out / len(pairs) <= 0.4
    assert min(counts.values()) >= 20  # both labels in both sets


def test_a_large_archive_is_searched_by_the_texts_rarest_words(monkeypatch):
    from claims import matching
    from claims.matching import bounded_query

    monkeypatch.setattr(matching, "CANDIDATE_ROWS", 2_000)

    shares = {"detention": 0.4, "county": 0.2, "women": 0.1, "krome": 0.0001, "backlog": 0.0005}
    terms = ["detention", "backlog", "county", "women", "krome"]
    # Any of the words: 700,600 claims of a million. The rarest two: 600.
    assert bounded_query(terms, shares, 1_000_000) == "(krome) | (backlog)"
    # In 1,000 claims any of them is in about 700: no need to narrow.
    assert bounded_query(terms, shares, 1_000) is None
    # A table never analysed has no statistics: every share is 0, nothing is narrowed.
    assert bounded_query(terms, dict.fromkeys(shares, 0), 1_000_000) is None


def test_a_text_of_common_words_is_searched_by_its_rarest_pairs(monkeypatch):
    from claims import matching
    from claims.matching import bounded_query

    monkeypatch.setattr(matching, "CANDIDATE_ROWS", 2_000)

    shares = {"detention": 0.4, "county": 0.2, "women": 0.05, "center": 0.03}
    terms = list(shares)
    # Even the rarest word is in 30,000 claims; "women" and "center" together in 1,500.
    assert bounded_query(terms, shares, 1_000_000) == "(center & women)"
    # Words the index does not hold (stop words), or that are not plain, are left out.
    assert bounded_query([*terms, "1,200", "the"], shares, 1_000_000) == "(center & women)"


def test_a_text_of_only_very_common_words_is_searched_by_its_rarest_three_together(
    monkeypatch,
):
    from claims import matching
    from claims.matching import bounded_query

    monkeypatch.setattr(matching, "CANDIDATE_ROWS", 2_000)

    shares = {"said": 0.5, "officials": 0.4, "detention": 0.3, "county": 0.2}
    # The rarest three together are still in 24,000 claims: no group fits, and the three
    # together are the narrowest query there is (the search's own limit bounds the rest).
    assert bounded_query(list(shares), shares, 1_000_000) == "(county & detention & officials)"


@pytest.mark.django_db
def test_on_postgresql_the_candidates_come_from_the_rarest_words(
    make, monkeypatch, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from claims import matching

    if connection.vendor != "postgresql":
        pytest.skip("the index's statistics are PostgreSQL's (pg_stats)")
    for n in range(60):
        make.claim(quote=f"The county detention center held {n} people in the county jail.")
    wanted = make.claim(quote="Krome's processing backlog left people in the county jail.")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
    # As if the archive were large: "county" and "detention" in more claims than allowed.
    monkeypatch.setattr(matching, "CANDIDATE_ROWS", 5)
    shares, claims = matching.word_shares("default", ["county", "krome", "detention"])
    assert claims == 61
    assert shares["county"] == 1.0 and shares["krome"] < 0.1
    with CaptureQueriesContext(connection) as queries:
        matches = match_text("The county detention center's processing backlog at Krome")
    assert matches[0].claim == wanted
    [search] = [query["sql"] for query in queries if "to_tsquery" in query["sql"]]
    # Ranked by all the words, among the claims holding the rare ones.
    [within] = re.findall(r"@@ \(to_tsquery\('counterclaim'::regconfig, '([^']*)'\)", search)
    assert set(re.findall(r"\w+", within)) == {"krome", "processing", "backlog"}
