"""The public search's rate limit (claims/throttling.py): searches per client address, a
friendly 429 page, plain browsing and cached searches free."""

import pytest
from django.urls import reverse

LIST = reverse("claims:list")


@pytest.fixture
def three_searches_a_minute(settings, db):
    settings.SEARCH_THROTTLE = "3/minute"


def search(client, words, **headers):
    return client.get(LIST, {"q": words}, **headers)


def test_searches_over_the_rate_get_a_friendly_429(client, three_searches_a_minute):
    for n in range(3):
        assert search(client, f"words {n}").status_code == 200
    refused = search(client, "one more")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused["Cache-Control"] == "no-store"
    assert refused.templates[0].name == "429.html"
    assert "Too many searches" in refused.text
    assert f"try again in {refused['Retry-After']} second" in refused.text
    # Browsing, filters included, is not a search.
    assert client.get(LIST).status_code == 200
    blank = client.get(LIST, {"sort": "oldest", "q": "  "}, follow=True)  # to the filters in use
    assert blank.status_code == 200 and blank.redirect_chain == [("/claims/?sort=oldest", 302)]
    # A spoofed X-Forwarded-For is not another reader (no trusted proxy by default).
    assert search(client, "fresh", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    # Another address has its own allowance.
    assert search(client, "fresh", REMOTE_ADDR="198.51.100.4").status_code == 200


def test_a_search_served_from_the_public_cache_does_not_count(client, three_searches_a_minute):
    for _ in range(10):
        assert search(client, "popular").status_code == 200
    assert search(client, "popular")["X-Cache"] == "hit"
    assert search(client, "second").status_code == 200
    assert search(client, "third").status_code == 200
    assert search(client, "fourth").status_code == 429


def test_the_refusal_is_not_cached_as_the_page(client, three_searches_a_minute, settings):
    for n in range(3):
        search(client, f"words {n}")
    assert search(client, "later").status_code == 429
    settings.SEARCH_THROTTLE = ""  # the minute is over, as far as this test cares
    assert search(client, "later").status_code == 200


def test_htmx_searches_over_the_rate_load_the_429_page(client, three_searches_a_minute):
    for n in range(3):
        search(client, f"words {n}", HTTP_HX_REQUEST="true")
    refused = search(client, "more", HTTP_HX_REQUEST="true")
    assert refused.status_code == 429
    # htmx swaps no error response; HX-Redirect has the browser load the page instead.
    assert refused["HX-Redirect"] == f"{LIST}?q=more"
