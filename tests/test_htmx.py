"""htmx and HTTP: a response that differs for htmx says so (Vary), the public cache keeps each
variant apart, a history restore gets the whole page, and the list pages one way, with links
that work without JavaScript and fetch the same address with htmx."""

import re

import pytest

from claims.cache import HTMX_HEADERS

FRAGMENT = {"HX-Request": "true"}
BOOSTED = {"HX-Request": "true", "HX-Boosted": "true"}
RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PUBLIC_CACHE_SECONDS = 300


def whole_page(response):
    return "<html" in response.content.decode()


def varies_on_htmx(response):
    vary = {name.strip().lower() for name in response.get("Vary", "").split(",")}
    return {name.lower() for name in HTMX_HEADERS} <= vary


@pytest.mark.parametrize("headers", [{}, FRAGMENT, BOOSTED, RESTORE])
def test_the_list_varies_on_the_htmx_headers(client, make, headers):
    make.claim()
    response = client.get("/claims/", headers=headers)
    assert response.status_code == 200 and varies_on_htmx(response)


def test_the_search_refusal_varies_on_the_htmx_headers(client, settings, db):
    settings.SEARCH_THROTTLE = "1/minute"
    client.get("/claims/?q=first")
    refused = client.get("/claims/?q=second", headers=FRAGMENT)
    assert refused.status_code == 429 and varies_on_htmx(refused)


def test_the_cache_keeps_fragment_boosted_and_restored_pages_apart(client, make):
    make.claim(summary="Cached in four ways")
    fragment = client.get("/claims/", headers=FRAGMENT)
    assert not whole_page(fragment) and "Cached in four ways" in fragment.content.decode()
    assert client.get("/claims/", headers=FRAGMENT)["X-Cache"] == "hit"
    for headers in (BOOSTED, RESTORE, {}):
        first = client.get("/claims/", headers=headers)
        assert first["X-Cache"] == "miss", headers  # not the fragment cached above
        assert whole_page(first), headers
        again = client.get("/claims/", headers=headers)
        assert again["X-Cache"] == "hit" and whole_page(again), headers


def test_a_history_restore_of_a_filtered_list_gets_the_whole_page(client, make):
    topic = make.topic()
    make.claim(topics=[topic], summary="Restored claim")
    url = f"/claims/?topic={topic.slug}"
    assert not whole_page(client.get(url, headers=FRAGMENT))  # what the filter form swapped in
    restored = client.get(url, headers=RESTORE)  # Back, with htmx's history cache empty
    assert restored.status_code == 200 and whole_page(restored)
    assert "Restored claim" in restored.content.decode()


def pagination_links(html):
    nav = re.search(r'<nav class="pagination".*?</nav>', html, re.S).group(0)
    return nav, re.findall(r"<a [^>]*>", nav)


def test_list_pages_with_links_whose_hx_get_is_their_href(client, make):
    topic = make.topic()
    for n in range(45):
        make.claim(topics=[topic], summary=f"Paged claim {n}")
    page = client.get(f"/claims/?topic={topic.slug}&page=2").content.decode()
    nav, links = pagination_links(page)
    assert 'hx-target="#results"' in nav and 'hx-push-url="true"' in nav
    assert "hx-boost" not in nav  # one style: not boosted links beside hx-get ones
    assert len(links) == 2  # previous and next
    for link in links:
        href = re.search(r'href="([^"]*)"', link).group(1)
        assert re.search(r'hx-get="([^"]*)"', link).group(1) == href
        assert href.startswith("?topic=") and "&amp;page=" in href
    # Without JavaScript the link loads the whole page; with htmx, the same address answers
    # the results alone and the address to push.
    address = "/claims/" + re.search(r'rel="next" href="([^"]*)"', nav).group(1)
    address = address.replace("&amp;", "&")
    plain = client.get(address)
    assert whole_page(plain) and "Page 3 of 3" in plain.content.decode()
    swapped = client.get(address, headers=FRAGMENT)
    assert not whole_page(swapped) and 'id="results"' in swapped.content.decode()
    assert "Page 3 of 3" in swapped.content.decode()
    assert swapped["HX-Push-Url"] == address


def test_other_lists_page_with_plain_links(client, make):
    claimant = make.actor(slug="paged-claimant")
    for _ in range(21):
        make.claim(claimant=claimant)
    _, links = pagination_links(client.get("/claimants/paged-claimant/").content.decode())
    assert links == ['<a rel="next" href="?page=2">']
