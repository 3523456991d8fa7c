"""Writes through a real WSGI server and a real HTTP client, as a script under `make run` sends
them. The test client skips the server's own checks of the response (a header value must be a
``str``, not a subclass), which is how a 500 that still saved the row went unnoticed."""

import pytest
import requests

from claims.models import Claim, Evidence, StanceLink
from sources.models import Actor, Source
from tokens.models import ApiToken

# Verdicts and groups come from migrations: restore them after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def api(live_server, editor):
    session = requests.Session()
    _, key = ApiToken.objects.issue(editor, "live server test")
    session.headers["Authorization"] = f"Token {key}"
    return f"{live_server.url}/api/v1", session


def test_writes_answer_201_with_a_location_that_resolves(api):
    base, session = api

    def post(path, **body):
        response = session.post(f"{base}/{path}", json=body, timeout=30)
        assert response.status_code == 201, response.text
        location = response.headers["Location"]
        assert location == response.json().get("api_url", response.json()["url"])
        again = session.get(location, params={"include_drafts": "true"}, timeout=30)
        assert again.status_code == 200 and again.json()["id"] == response.json()["id"]
        return response.json()

    actor = post("actors/", name="An agency", kind="organization")
    # A source's own address is ``url``: Location is its API address, ``api_url``.
    source = post(
        "sources/", title="The agency's letter", kind="letter", url="https://example.org/letter"
    )
    claim = post(
        "claims/",
        quote="Our facilities are safe.",
        summary="The agency says its facilities are safe",
        claimant=actor["id"],
        source=source["id"],
    )
    evidence = post("evidence/", excerpt="Inspectors found expired food.", source=source["id"])
    post("stance-links/", claim=claim["id"], evidence=evidence["id"], stance="refutes")

    assert Actor.objects.count() == Source.objects.count() == Claim.objects.count() == 1
    assert Evidence.objects.count() == StanceLink.objects.count() == 1
