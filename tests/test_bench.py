"""The benchmark's reference views (config/bench.py) measure what they say they measure."""

import json

from config.bench import bare, plain_list


def test_the_plain_list_holds_the_api_lists_rows_and_count(api_client, make, rf):
    for _ in range(23):
        make.claim()
    make.claim(status="draft")
    api = api_client.get("/api/v1/claims/").json()
    plain = json.loads(plain_list(rf.get("/bench/plain-list")).content)
    assert plain["count"] == api["count"] == 23
    assert [row["id"] for row in plain["results"]] == [row["id"] for row in api["results"]]


def test_the_bare_view_is_never_cached(rf):
    assert "no-cache" in bare(rf.get("/bench/bare"))["Cache-Control"]
