"""Every error under /api/ is JSON in DRF's shape, {"detail": "..."}, whether DRF answered it
or Django did (config/errors.py); the reader site keeps its HTML error pages."""

import json

import pytest
from django.test import override_settings

from claims.api import views

pytestmark = pytest.mark.django_db


def error(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == ["detail"]
    return body["detail"]


def test_unknown_api_addresses_answer_404_json(api_client):
    for path in ("/api/v1/claims/abc/", "/api/v1/nope/", "/api/v2/claims/", "/api/"):
        assert error(api_client.get(path), 404) == "Not found."
    # DRF's own 404 has the same shape.
    assert (
        error(api_client.get("/api/v1/claims/999999/"), 404) == "No Claim matches the given query."
    )


def test_bad_host_answers_400_json(api_client):
    response = api_client.get("/api/v1/claims/", HTTP_HOST="evil.example")
    assert error(response, 400) == "Malformed request."


def test_malformed_body_answers_400_json(editor_api):
    response = editor_api.post("/api/v1/claims/", "{bad", content_type="application/json")
    assert error(response, 400).startswith("JSON parse error")


def test_oversized_body_answers_413_json(editor_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"summary": "x" * 2000})
    response = editor_api.post("/api/v1/claims/", body, content_type="application/json")
    assert error(response, 413) == "Request body too large: at most 1000 bytes are accepted."


def test_wrong_method_and_media_type_answer_405_and_415_json(editor_api):
    assert error(editor_api.delete("/api/v1/claims/"), 405) == 'Method "DELETE" not allowed.'
    response = editor_api.post("/api/v1/claims/", "x", content_type="text/plain")
    assert error(response, 415) == 'Unsupported media type "text/plain" in request.'


def test_throttled_answers_429_json(api_client, settings):
    rates = {"anon": "1/minute", "user": "1/minute"}
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        api_client.get("/api/v1/verdicts/?n=1")
        detail = error(api_client.get("/api/v1/verdicts/?n=2"), 429)
    assert detail.startswith("Request was throttled.")


def test_a_crash_answers_500_json(api_client, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(views.VerdictViewSet, "list", crash)
    api_client.raise_request_exception = False
    assert error(api_client.get("/api/v1/verdicts/"), 500) == "A server error occurred."


def test_pages_keep_their_html_errors(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert b"Page not found" in response.content
    response = client.get("/claims/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
