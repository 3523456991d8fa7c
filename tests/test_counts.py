"""The unfiltered claim list and the API's unfiltered lists count their public rows once per
version of the cached lists (``claims.cache.public_count``), not on every request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from sources.models import Actor


def counts(queries):
    return [query["sql"] for query in queries if "COUNT(" in query["sql"].upper()]


def get(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return response, counts(queries.captured_queries)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("/claims/", lambda response: response.context["page"].paginator.count),
        ("/api/v1/claims/", lambda response: response.json()["count"]),
    ],
)
def test_a_second_unfiltered_request_does_not_count_and_a_publish_does(client, make, url, shown):
    make.claim(), make.claim()
    draft = make.claim(status=Claim.Status.IN_REVIEW)
    # Each request its own address, so that the public cache answers none of them.
    first, first_counts = get(client, url, unrelated="1")
    assert shown(first) == 2 and first_counts
    second, second_counts = get(client, url, unrelated="2")
    assert shown(second) == 2 and second_counts == []
    draft.publish()
    third, third_counts = get(client, url, unrelated="3")
    assert shown(third) == 3 and third_counts


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/claims/", {"said_from": "2025-01-01"}),
        ("/api/v1/claims/", {"said_after": "2025-01-01"}),
        ("/api/v1/claims/", {"include_drafts": "true"}),
    ],
)
def test_a_filtered_list_is_counted_for_itself(client, editor, make, url, params):
    client.force_login(editor)  # include_drafts needs an editor; the others do not mind
    make.claim(), make.claim(status=Claim.Status.DRAFT)
    get(client, url)  # the unfiltered count is kept
    _, queries = get(client, url, **params)
    assert queries


def test_other_api_lists_keep_their_unfiltered_count(client, make):
    make.claim()
    get(client, "/api/v1/actors/", unrelated="1")
    response, queries = get(client, "/api/v1/actors/", unrelated="2")
    assert queries == [] and response.json()["count"] == Actor.objects.published().count() == 1
