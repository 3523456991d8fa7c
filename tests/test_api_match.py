"""``/api/v1/claims:match``: shape, limits, the public gate and the editors' ``status=any``."""

import pytest
from django.test import override_settings

URL = "/api/v1/claims:match"
QUOTE = "ICE has moved more than 700 women out of a Texas detention center"


@pytest.fixture
def transfers(make):
    return make.claim(quote=QUOTE, summary="RAICES says ICE moved 700 women out of Texas.")


@pytest.fixture
def draft(make):
    return make.claim(
        quote="Every school bus in the county now runs on electricity.", status="draft"
    )


def test_post_answers_each_text_with_its_matches_best_first(api_client, transfers):
    texts = [QUOTE, "ICE has moved more than 70 women out of a Texas detention center", "Sunny."]
    response = api_client.post(URL, {"texts": texts}, format="json")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [result["text"] for result in results] == texts
    exact, changed = results[0]["matches"][0], results[1]["matches"][0]
    assert exact["confidence"] == "high"
    assert exact["why"] == []
    assert 0 < exact["score"] <= 1
    # The claim as the claim list shows it.
    listed = api_client.get("/api/v1/claims/").json()["results"][0]
    assert exact["claim"] == listed
    assert changed["confidence"] == "possible"
    assert changed["why"] == ["numbers differ: 70 in the text, 700 in the claim"]
    assert results[2]["matches"] == []


def test_get_matches_one_text(api_client, transfers):
    response = api_client.get(URL, {"text": "ICE has moved more than 700 women"})
    assert response.status_code == 200
    [result] = response.json()["results"]
    assert result["matches"][0]["claim"]["id"] == transfers.pk


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"texts": ["a claim"] * 101}, "texts"),
        ({"texts": []}, "texts"),
        ({"texts": [""]}, "texts"),
        ({"texts": ["   "]}, "texts"),
        ({"texts": ["x" * 2001]}, "texts"),
        ({"texts": "one text"}, "texts"),
        ({}, "texts"),
    ],
)
def test_bad_batches_answer_400_naming_the_problem(api_client, db, body, field):
    response = api_client.post(URL, body, format="json")
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    "params", [{}, {"text": ""}, {"text": "x" * 2001}, {"text": "a", "status": "x"}]
)
def test_bad_text_answers_400(api_client, db, params):
    assert api_client.get(URL, params).status_code == 400


def test_a_draft_never_matches_for_anonymous_callers(api_client, draft):
    assert api_client.get(URL, {"text": draft.quote}).json()["results"][0]["matches"] == []
    response = api_client.post(URL, {"texts": [draft.quote]}, format="json")
    assert response.json()["results"][0]["matches"] == []


def test_status_any_needs_the_view_permission(api_client, reader_api, draft):
    assert api_client.get(URL, {"text": draft.quote, "status": "any"}).status_code == 401
    assert reader_api.get(URL, {"text": draft.quote, "status": "any"}).status_code == 403


def test_editors_match_drafts_with_status_any(editor_api, draft):
    response = editor_api.post(f"{URL}?status=any", {"texts": [draft.quote]}, format="json")
    [match] = response.json()["results"][0]["matches"]
    assert match["claim"]["id"] == draft.pk
    assert match["claim"]["status"] == "draft"
    assert match["claim"]["page_url"] is None
    # Without status=any an editor too sees published claims only.
    response = editor_api.post(URL, {"texts": [draft.quote]}, format="json")
    assert response.json()["results"][0]["matches"] == []


def test_anonymous_callers_are_throttled(api_client, db, settings):
    rates = {"anon": "2/minute", "user": "2/minute"}
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        for n in range(2):
            assert api_client.post(URL, {"texts": [f"text {n}"]}, format="json").status_code == 200
        assert api_client.post(URL, {"texts": ["text"]}, format="json").status_code == 429


def test_queries_are_bounded_for_a_batch(api_client, make, django_assert_max_num_queries):
    for n in range(10):
        make.claim(quote=f"The harbour bridge number {n} carries thousands of cars every day.")
    texts = [f"Harbour bridge {n} carries thousands of cars each day." for n in range(20)]
    # Candidates: one query per text (the search); then a constant number for the
    # candidates' words and the matched claims with what the claim list shows.
    with django_assert_max_num_queries(len(texts) + 12):
        response = api_client.post(URL, {"texts": texts}, format="json")
    assert all(result["matches"] for result in response.json()["results"])
