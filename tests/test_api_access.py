"""Who may read and write through the API, how writes are validated, throttling and CORS."""

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from claims.api.views import WritableGatedViewSet
from claims.models import Claim, Counterclaim, Evidence, StanceLink
from sources.models import Actor, Source
from tests.conftest import token_client
from tokens.models import ApiToken


def read_etag(client, url):
    """The If-Match header a client sends after reading ``url`` (nothing for rows without a
    version)."""
    etag = client.get(url, {"include_drafts": "true"}).get("ETag")
    return {"HTTP_IF_MATCH": etag} if etag else {}


def new_rows(make):
    """A valid body for creating each writable resource."""
    claim, other = make.claim(status="draft", evidence=0), make.claim()
    actor, source, evidence = make.actor(), make.source(), make.evidence()
    return {
        "/api/v1/actors/": {"name": "A union", "kind": "organization"},
        "/api/v1/sources/": {"title": "A letter", "kind": "letter", "publisher": actor.pk},
        "/api/v1/claims/": {
            "quote": "Words.",
            "summary": "Someone said words",
            "claimant": actor.pk,
            "source": source.pk,
        },
        "/api/v1/evidence/": {"excerpt": "A finding.", "source": source.pk},
        "/api/v1/stance-links/": {"claim": claim.pk, "evidence": evidence.pk, "stance": "refutes"},
        "/api/v1/counterclaims/": {"original": other.pk, "response": claim.pk},
    }


MODELS = {
    "/api/v1/actors/": Actor,
    "/api/v1/sources/": Source,
    "/api/v1/claims/": Claim,
    "/api/v1/evidence/": Evidence,
    "/api/v1/stance-links/": StanceLink,
    "/api/v1/counterclaims/": Counterclaim,
}


@pytest.mark.parametrize("url", list(MODELS))
def test_permission_matrix_for_writes(api_client, reader_api, editor_api, make, url):
    body = new_rows(make)[url]
    model = MODELS[url]
    before = model.objects.count()

    anonymous = api_client.post(url, body)
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"] == "Token"
    assert reader_api.post(url, body).status_code == 403
    assert model.objects.count() == before

    created = editor_api.post(url, body)
    assert created.status_code == 201, created.content
    assert model.objects.count() == before + 1
    detail = created["Location"]
    assert detail.startswith("http://testserver/api/v1/")
    assert type(detail) is str  # runserver's wsgiref refuses subclasses (DRF's Hyperlink)

    pk = model.objects.latest("pk").pk
    assert api_client.patch(f"{url}{pk}/", {}).status_code == 401
    assert reader_api.patch(f"{url}{pk}/", {}).status_code == 403
    assert editor_api.patch(
        f"{url}{pk}/", {}, **read_etag(editor_api, f"{url}{pk}/")
    ).status_code == (200)
    # Links can be deleted (through the editorial rules); rows with content cannot.
    deletable = url in ("/api/v1/stance-links/", "/api/v1/counterclaims/")
    assert editor_api.delete(f"{url}{pk}/").status_code == (204 if deletable else 405)


@pytest.mark.parametrize("url", ["/api/v1/claims/", "/api/v1/actors/", "/api/v1/verdicts/"])
def test_everyone_reads_published_data(api_client, reader_api, editor_api, make, url):
    make.claim()
    for client in (api_client, reader_api, editor_api):
        assert client.get(url).status_code == 200


def test_a_revoked_token_stops_working(editor, make):
    client = token_client(editor)
    body = new_rows(make)["/api/v1/actors/"]
    assert client.post("/api/v1/actors/", body).status_code == 201
    ApiToken.objects.filter(user=editor).delete()
    assert client.post("/api/v1/actors/", body).status_code == 401


def test_session_auth_keeps_csrf(editor, make):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post("/api/v1/actors/", {"name": "A union", "kind": "organization"})
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_claims_are_created_as_drafts_and_status_is_read_only(api_client, editor_api, make):
    body = new_rows(make)["/api/v1/claims/"] | {"status": "published"}
    created = editor_api.post("/api/v1/claims/", body)
    assert created.status_code == 201
    assert created.json()["status"] == "draft"
    assert created.json()["page_url"] is None
    pk = created.json()["id"]
    assert api_client.get(f"/api/v1/claims/{pk}/").status_code == 404
    url = f"/api/v1/claims/{pk}/"
    changed = editor_api.patch(url, {"status": "published"}, **read_etag(editor_api, url))
    assert changed.json()["status"] == "draft"


def test_an_editors_script_adds_a_claim_with_evidence_and_publishes_it(api_client, editor_api):
    def post(url, body):
        response = editor_api.post(url, body)
        assert response.status_code in (200, 201), response.content
        return response.json()

    agency = post("/api/v1/actors/", {"name": "An agency", "kind": "organization"})
    letter = post("/api/v1/sources/", {"title": "The letter", "kind": "letter"})
    report = post(
        "/api/v1/sources/",
        {"title": "The report", "kind": "government_report", "url": "https://example.org/r"},
    )
    claim = post(
        "/api/v1/claims/",
        {
            "quote": "Our facilities are safe.",
            "summary": "The agency says its facilities are safe",
            "claimant": agency["id"],
            "source": letter["id"],
            "said_on": "2025-01-02",
            "verdict": "false",
            "ruling": "Inspectors found otherwise.",
        },
    )
    finding = post("/api/v1/evidence/", {"excerpt": "Expired food.", "source": report["id"]})
    post(
        "/api/v1/stance-links/",
        {"claim": claim["id"], "evidence": finding["id"], "stance": "refutes"},
    )
    assert post(f"/api/v1/claims/{claim['id']}/submit/", {})["status"] == "in_review"
    published = post(f"/api/v1/claims/{claim['id']}/publish/", {})

    assert published["status"] == "published"
    public = api_client.get(f"/api/v1/claims/{claim['id']}/").json()
    assert [e["excerpt"] for e in public["evidence"]] == ["Expired food."]
    assert public["source"]["title"] == "The letter"


def test_publish_needs_the_publish_permission_and_a_complete_claim(
    api_client, reader_api, editor_api, make, fact_checker
):
    incomplete = make.claim(status="in_review", evidence=0)
    url = f"/api/v1/claims/{incomplete.pk}/publish/"
    assert api_client.post(url).status_code == 401
    assert reader_api.post(url).status_code == 403
    assert token_client(fact_checker).post(url).status_code == 403  # may edit, not publish
    response = editor_api.post(url)
    assert response.status_code == 400
    assert response.json() == {
        "evidence": ["A published claim needs at least one piece of evidence."]
    }
    incomplete.refresh_from_db()
    assert incomplete.status == "in_review"
    published = make.claim()
    again = editor_api.post(f"/api/v1/claims/{published.pk}/publish/")
    assert again.status_code == 400
    assert again.json() == {
        "non_field_errors": [
            "Only a claim that is in review can be published; this one is published."
        ]
    }


def test_workflow_through_the_api(editor_api, make, fact_checker):
    checker_api = token_client(fact_checker)
    claim = make.claim(status="draft")
    assert checker_api.post(f"/api/v1/claims/{claim.pk}/submit/").json()["status"] == "in_review"
    back = editor_api.post(f"/api/v1/claims/{claim.pk}/send-back/", {"note": "More sources."})
    assert back.json()["status"] == "draft"
    checker_api.post(f"/api/v1/claims/{claim.pk}/submit/")
    editor_api.post(f"/api/v1/claims/{claim.pk}/publish/")
    assert checker_api.post(f"/api/v1/claims/{claim.pk}/retract/", {"note": "x"}).status_code == 403
    for body in ({}, {"note": "  "}):
        # The error is under the parameter's name, the one a client sent (or left out).
        unnoted = editor_api.post(f"/api/v1/claims/{claim.pk}/retract/", body)
        assert (unnoted.status_code, list(unnoted.json())) == (400, ["note"])
    retracted = editor_api.post(f"/api/v1/claims/{claim.pk}/retract/", {"note": "Forged memo."})
    assert retracted.json()["status"] == "retracted"
    trail = list(claim.transitions.values_list("target", "by__username"))
    assert trail == [
        ("in_review", "checker"),
        ("draft", "editor"),
        ("in_review", "checker"),
        ("published", "editor"),
        ("retracted", "editor"),
    ]


@pytest.mark.parametrize(
    ("url", "body", "errors"),
    [
        ("/api/v1/claims/", {"said_on": "2999-01-01"}, {"said_on"}),
        (
            "/api/v1/claims/",
            {"claimant": 999999, "verdict": "nope", "topics": ["nope"]},
            {"claimant", "verdict", "topics"},
        ),
        ("/api/v1/claims/", {"quote": "   "}, {"quote"}),
        ("/api/v1/actors/", {"same_as": ["not a url"]}, {"same_as"}),
        ("/api/v1/actors/", {"same_as": ["javascript:alert(1)"]}, {"same_as"}),
        ("/api/v1/actors/", {"same_as": ["https://example.org/", "ftp://a.example/"]}, {"same_as"}),
        ("/api/v1/actors/", {"kind": "robot"}, {"kind"}),
        ("/api/v1/sources/", {"url": "https://example.org/taken"}, {"url"}),
        ("/api/v1/sources/", {"url": "javascript:alert(1)"}, {"url"}),
        ("/api/v1/sources/", {"url": "ftp://example.org/file"}, {"url"}),
        ("/api/v1/sources/", {"archive_url": "JaVaScRiPt:alert(1)"}, {"archive_url"}),
        ("/api/v1/sources/", {"archive_url": "ftp://example.org/file"}, {"archive_url"}),
        ("/api/v1/sources/", {"published_on": "2999-01-01"}, {"published_on"}),
        ("/api/v1/stance-links/", {"stance": "maybe"}, {"stance"}),
    ],
)
def test_validation_errors_are_field_by_field(editor_api, make, url, body, errors):
    make.source(url="https://example.org/taken")
    base = new_rows(make)[url]
    before = MODELS[url].objects.count()
    response = editor_api.post(url, base | body)
    assert response.status_code == 400
    assert set(response.json()) == errors
    assert all(isinstance(m, list) and m for m in response.json().values())
    assert MODELS[url].objects.count() == before


def test_model_rules_that_span_fields_apply(editor_api, make):
    claim = make.claim()
    response = editor_api.post(
        "/api/v1/counterclaims/", {"original": claim.pk, "response": claim.pk}
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    evidence = claim.stance_links.get().evidence
    duplicate = editor_api.post(
        "/api/v1/stance-links/", {"claim": claim.pk, "evidence": evidence.pk, "stance": "supports"}
    )
    assert duplicate.status_code == 400
    source = make.source()
    url = f"/api/v1/sources/{source.pk}/"
    itself = editor_api.patch(url, {"via": source.pk}, **read_etag(editor_api, url))
    assert itself.status_code == 400
    assert set(itself.json()) == {"via"}
    # A published claim keeps what publication needs.
    url = f"/api/v1/claims/{claim.pk}/"
    cleared = editor_api.patch(url, {"ruling": ""}, **read_etag(editor_api, url))
    assert cleared.status_code == 400
    assert set(cleared.json()) == {"ruling"}


def test_a_failed_write_changes_nothing(editor, make, monkeypatch):
    client = token_client(editor)
    client.raise_request_exception = False
    body = new_rows(make)["/api/v1/claims/"]
    topic = make.topic()
    before = Claim.objects.count()

    def fail(self, row):
        raise RuntimeError("the response could not be built")

    monkeypatch.setattr(WritableGatedViewSet, "read", fail)
    response = client.post("/api/v1/claims/", body | {"topics": [topic.slug]})
    assert response.status_code == 500
    assert Claim.objects.count() == before
    assert not Claim.topics.through.objects.filter(topic=topic).exists()


def test_include_drafts_needs_the_view_permission(api_client, reader_api, editor_api, make):
    draft = make.claim(status="draft", quote="Draft words.")
    assert api_client.get("/api/v1/claims/?include_drafts=true").status_code == 401
    assert reader_api.get("/api/v1/claims/?include_drafts=true").status_code == 403
    listed = editor_api.get("/api/v1/claims/?include_drafts=true").json()
    assert [c["id"] for c in listed["results"]] == [draft.pk]
    assert editor_api.get(f"/api/v1/claims/{draft.pk}/?include_drafts=1").status_code == 200
    assert editor_api.get(f"/api/v1/claims/{draft.pk}/").status_code == 404
    evidence = draft.stance_links.get().evidence
    assert editor_api.get(f"/api/v1/evidence/{evidence.pk}/?include_drafts=true").status_code == 200


RATES = {"anon": "2/minute", "user": "3/minute"}


@pytest.mark.parametrize(("who", "allowed"), [("anon", 2), ("user", 3)])
def test_throttling_answers_429_with_retry_after(api_client, reader_api, settings, who, allowed):
    client = api_client if who == "anon" else reader_api
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": RATES}
    ):
        # Distinct URLs: a repeated anonymous read is served from the public cache
        # (claims/cache.py) before the API runs, and costs nothing to throttle.
        for n in range(allowed):
            assert client.get(f"/api/v1/verdicts/?n={n}").status_code == 200
        throttled = client.get("/api/v1/verdicts/?n=last")
    assert throttled.status_code == 429
    assert 0 < int(throttled["Retry-After"]) <= 60


def test_cors_allows_cross_origin_reads_only(api_client, db):
    origin = {"HTTP_ORIGIN": "https://newsroom.example"}
    read = api_client.get("/api/v1/verdicts/", **origin)
    assert read["Access-Control-Allow-Origin"] == "*"
    preflight = api_client.options(
        "/api/v1/claims/", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST", **origin
    )
    allowed = preflight["Access-Control-Allow-Methods"]
    assert "GET" in allowed and "POST" not in allowed and "PATCH" not in allowed
    assert "Access-Control-Allow-Origin" not in api_client.get("/healthz", **origin)
