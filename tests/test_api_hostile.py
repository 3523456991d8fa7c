"""Malformed and hostile input gives 4xx or an empty result, never a server error; run it on
PostgreSQL too, which refuses NUL bytes and out-of-range integers that SQLite accepts."""

import pytest
from django.urls import resolve

LISTS = [
    "/api/v1/claims/",
    "/api/v1/claims/csv/",
    "/api/v1/claims/claimreview/",
    "/api/v1/evidence/",
    "/api/v1/stance-links/",
    "/api/v1/counterclaims/",
    "/api/v1/sources/",
    "/api/v1/actors/",
    "/api/v1/topics/",
    "/api/v1/verdicts/",
]

HOSTILE_VALUES = [
    "%00",
    "a%00b",
    "-1",
    "1.5",
    "1e309",
    "99999999999999999999999999",
    "2025-13-45",
    "2529-06-27T18:35:36-21:05",
    "9999-12-31T23:59:59-23:59",
    "NaN",
    "%F0%9F%92%A5",
    "%ED%A0%80",
    "'%20OR%201=1--",
    "x" * 5000,
]

# Parameters every list takes; each list's own filters are read from its view.
COMMON_PARAMS = ["page", "page_size", "include_drafts", "format"]


def params_of(url):
    view = resolve(url).func.cls
    filterset = getattr(view, "filterset_class", None)
    return COMMON_PARAMS + (list(filterset.base_filters) if filterset else [])


@pytest.mark.parametrize("url", LISTS)
def test_hostile_query_strings_never_cause_server_errors(api_client, make, url):
    make.claim()
    for param in params_of(url):
        for value in HOSTILE_VALUES:
            response = api_client.get(f"{url}?{param}={value}")
            assert response.status_code < 500, (param, value)
            if response.status_code == 200 and url.endswith("/claims/"):
                assert response.json()["count"] in (0, 1)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/claims/%00/",
        "/api/v1/claims/99999999999999999999999999/",
        "/api/v1/claims/9223372036854775808/claimreview/",
        "/api/v1/claims/-1/",
        "/api/v1/topics/%00/",
        "/api/v1/topics/a%00b/",
        "/api/v1/verdicts/%F0%9F%92%A5/",
        "/api/v1/sources/1%00/",
        "/api/v1/claims:search%00",
        "/api/v1/%00/",
    ],
)
def test_hostile_paths_are_404(api_client, db, path):
    assert api_client.get(path).status_code == 404


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_hostile_claims_search_parameters(api_client, db, value):
    for param in (
        "query",
        "languageCode",
        "reviewPublisherSiteFilter",
        "maxAgeDays",
        "pageSize",
        "pageToken",
        "offset",
    ):
        response = api_client.get(f"/api/v1/claims:search?query=x&{param}={value}")
        assert response.status_code in (200, 400), (param, value)


def test_huge_page_numbers_are_404(api_client, make):
    make.claim()
    assert api_client.get("/api/v1/claims/?page=99999999999999999999").status_code == 404


def test_hostile_json_bodies_are_400(editor_api, make):
    claim = make.claim(status="draft")
    for body in (
        {
            "quote": "a\x00b",
            "summary": "x",
            "claimant": claim.claimant_id,
            "source": claim.source_id,
        },
        {
            "quote": "ok",
            "summary": "x",
            "claimant": "99999999999999999999999",
            "source": claim.source_id,
        },
        {
            "quote": "ok",
            "summary": "x" * 1000,
            "claimant": claim.claimant_id,
            "source": claim.source_id,
        },
        {"quote": ["a"], "summary": {"x": 1}, "claimant": [1], "source": None},
    ):
        assert editor_api.post("/api/v1/claims/", body, format="json").status_code == 400, body
