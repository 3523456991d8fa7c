"""``/api/v1/claims:search`` answers like Google Fact Check Tools' ``claims:search``."""

import datetime as dt

import pytest
from django.utils import timezone

from claims.models import Claim

URL = "/api/v1/claims:search"


@pytest.fixture
def claims(make):
    agency = make.actor(name="An agency")
    said = make.claim(
        claimant=agency, quote="Detention beds are cheaper.", said_on=dt.date(2025, 1, 2)
    )
    others = [make.claim(quote=f"Detention claim {n}.") for n in range(4)]
    make.claim(quote="Detention retracted.", status=Claim.Status.RETRACTED)
    make.claim(quote="Detention draft.", status=Claim.Status.DRAFT)
    return said, others


def test_response_has_google_shape(api_client, claims, settings):
    settings.SITE_NAME, settings.SITE_URL = "Fact desk", "https://www.facts.example.org"
    said, _ = claims
    data = api_client.get(URL, {"query": "cheaper"}).json()

    assert list(data) == ["claims"]
    (claim,) = data["claims"]
    assert claim["text"] == said.quote
    assert claim["claimant"] == "An agency"
    assert claim["claimDate"] == "2025-01-02T00:00:00Z"
    (review,) = claim["claimReview"]
    # The address the request came to, as ``url`` (config/site.py).
    assert review["publisher"] == {"name": "Fact desk", "site": "testserver"}
    assert review["url"] == f"http://testserver{said.get_absolute_url()}"
    assert review["title"] == said.summary
    assert review["reviewDate"] == said.published_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert review["textualRating"] == "False"
    assert review["languageCode"] == "en"


def test_pages_with_tokens_and_offset(api_client, claims):
    seen, token = [], None
    while True:
        params = {"query": "detention", "pageSize": 2}
        if token:
            params["pageToken"] = token
        data = api_client.get(URL, params).json()
        seen += [c["text"] for c in data["claims"]]
        token = data.get("nextPageToken")
        if not token:
            break
    assert len(seen) == 5 == len(set(seen))  # published ones only, each once
    assert "Detention draft." not in seen and "Detention retracted." not in seen
    by_offset = api_client.get(URL, {"query": "detention", "offset": 3}).json()["claims"]
    assert [c["text"] for c in by_offset] == seen[3:]


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({"query": "detention", "languageCode": "en-GB"}, 5),
        ({"query": "detention", "languageCode": "fr"}, 0),
        ({"reviewPublisherSiteFilter": "testserver"}, 5),  # the host the request came to
        ({"reviewPublisherSiteFilter": "elsewhere.example"}, 0),
        ({"query": "detention", "maxAgeDays": 1}, 5),
    ],
)
def test_filters(api_client, claims, params, count):
    assert len(api_client.get(URL, params).json()["claims"]) == count


def test_max_age_days_leaves_out_old_reviews_of_old_claims(api_client, claims):
    said, _ = claims
    Claim.objects.filter(pk=said.pk).update(published_at=timezone.now() - dt.timedelta(days=30))
    texts = [
        c["text"]
        for c in api_client.get(URL, {"query": "detention", "maxAgeDays": 7}).json()["claims"]
    ]
    assert said.quote not in texts and len(texts) == 4


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"query": " "},
        {"query": "x", "pageSize": 0},
        {"query": "x", "pageSize": 101},
        {"query": "x", "pageToken": "not-a-token"},
        {"query": "x", "maxAgeDays": -1},
        {"query": "x", "offset": "many"},
        {"query": "x\x00y"},
    ],
)
def test_bad_parameters_are_400(api_client, db, params):
    assert api_client.get(URL, params).status_code == 400
