"""Quote checks: finding a quote in a source's stored text."""

from claims.quotes import MAX_ELIDED, find_quote, mark_passages

TEXT = (
    "The agency said in a statement on Monday that its facilities “meet or exceed\n"
    "   national standards” — and that detainees receive\tcare. Inspectors disagreed:\n"
    "they found expired food, broken showers and mould in three of the four units."
)


def test_exact_quote_gives_a_text_quote_selector_from_the_original_text():
    start = TEXT.index("Inspectors disagreed")
    end = start + len("Inspectors disagreed")
    assert find_quote("Inspectors disagreed", TEXT) == {
        "type": "TextQuoteSelector",
        "exact": "Inspectors disagreed",
        "prefix": TEXT[start - 32 : start],
        "suffix": TEXT[end : end + 32],
    }
    assert TEXT[end : end + 32].startswith(":\nthey found")


def test_whitespace_may_differ():
    selector = find_quote("disagreed:  they found", TEXT)
    assert selector["exact"] == "disagreed:\nthey found"


def test_typographic_quotes_and_dashes_match_plain_ones():
    selector = find_quote('facilities "meet or exceed national standards" - and', TEXT)
    assert selector["exact"] == "facilities “meet or exceed\n   national standards” — and"
    curly = "it\u2019s \u2013 so"  # a right single quotation mark and an en dash
    assert find_quote("it's - so", curly)["exact"] == curly


def test_an_ellipsis_matches_the_words_left_out():
    for ellipsis in ("…", "...", "[...]", "[…]"):
        selector = find_quote(f"they found expired food {ellipsis} in three of the four", TEXT)
        assert selector["exact"] == (
            "they found expired food, broken showers and mould in three of the four"
        ), ellipsis


def test_an_ellipsis_matches_the_shortest_span_and_no_more_than_the_bound():
    text = "a b stop c stop"
    assert find_quote("b … stop", text)["exact"] == "b stop"
    far = "start " + "x" * (MAX_ELIDED + 10) + " end"
    assert find_quote("start … end", far) is None
    assert find_quote("start … end", "start " + "x" * 50 + " end") is not None


def test_a_leading_or_trailing_ellipsis_is_not_part_of_the_match():
    assert find_quote("…broken showers...", TEXT)["exact"] == "broken showers"


def test_a_changed_word_does_not_match():
    assert find_quote("they found fresh food", TEXT) is None
    assert find_quote("Inspectors agreed", TEXT) is None
    assert find_quote("they found expired food … in all four units", TEXT) is None


def test_no_text_or_an_empty_quote_matches_nothing():
    assert find_quote("Inspectors disagreed", "") is None
    assert find_quote("…", TEXT) is None


def test_passages_are_marked_and_everything_else_escaped():
    text = "<b>Tom & Jerry</b> said: we never lie. Never."
    first = find_quote("we never lie", text)
    overlapping = find_quote("lie. Never", text)
    html = mark_passages(text, [("quote-1", first), ("quote-2", overlapping)])
    assert html == (
        "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt; said: "
        '<span id="quote-1" class="passage-anchor"></span><mark>we never </mark>'
        '<span id="quote-2" class="passage-anchor"></span><mark>lie</mark><mark>. Never</mark>.'
    )


def test_a_passage_no_longer_in_the_text_is_not_marked():
    selector = find_quote("we never lie", "we never lie")
    assert mark_passages("we sometimes lie", [("quote-1", selector)]) == "we sometimes lie"
