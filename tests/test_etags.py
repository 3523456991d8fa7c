"""One caching contract: a GET's ETag changes whenever the body it was made for would, and a
write's If-Match is about the version of the row it changes.

Reads go through the whole middleware stack with the public cache on, as an anonymous
reader's do: the cache answers the first revalidation, a change retires it, and the
conditional GET after the change must then get the new body, not a 304."""

import re

import pytest

from claims.models import Claim, Counterclaim, StanceLink

# The ETag of an API read: the row's version and a digest of the body.
READ_ETAG = re.compile(r'"(?P<version>[0-9]+)\.[0-9a-f]{16}"')


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PUBLIC_CACHE_SECONDS = 300


def revalidate(client, url, change):
    """Read ``url``, check that its ETag answers 304 while nothing changed (from the cache),
    make ``change`` (which returns text the new body must hold and the old one did not), then
    revalidate with the old ETag: a 200 with the new body and a new ETag."""
    first = client.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    assert client.get(url)["X-Cache"] == "hit"
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304

    new = change()
    assert new not in first.content.decode()
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 200, "answered 304 although the body changed"
    assert again["X-Cache"] == "miss"
    assert new in again.content.decode()
    assert again["ETag"] != etag
    return again


@pytest.fixture
def claim(make):
    """A published claim with a topic, one piece of evidence, and one claim answering it."""
    claim = make.claim(topics=[make.topic(name="Ferry safety")])
    Counterclaim.objects.create(
        original=claim, response=make.claim(summary="The ferry operator answers")
    )
    return claim


def add_evidence(make, claim):
    StanceLink.objects.create(
        claim=claim,
        evidence=make.evidence(excerpt="A fresh finding about lifeboats."),
        stance=StanceLink.Stance.CONTEXT,
        position=5,
    )
    return "A fresh finding about lifeboats."


def change_stance(make, claim):
    link = claim.stance_links.get()
    link.stance = StanceLink.Stance.SUPPORTS
    link.save()
    return {"page": 'class="stance stance-supports"', "api": '"supports"'}


def rename_evidence_source(make, claim):
    source = claim.stance_links.get().evidence.source
    source.title = "The renamed inspection report"
    source.save()
    return "The renamed inspection report"


def rename_claimant(make, claim):
    claimant = claim.claimant
    claimant.name = "The renamed ferry agency"
    claimant.save()
    return "The renamed ferry agency"


def add_topic(make, claim):
    claim.topics.add(make.topic(name="Harbour budgets"))
    return "Harbour budgets"


def record_correction(make, claim):
    claim.record_correction("We reworded the ruling about lifeboats.", ["ruling"])
    return "We reworded the ruling about lifeboats."


def change_counterclaim(make, claim):
    link = Counterclaim.objects.get(original=claim)
    link.response = make.claim(summary="The harbour master answers instead")
    link.save()
    return "The harbour master answers instead"


CHANGES = [
    add_evidence,
    change_stance,
    rename_evidence_source,
    rename_claimant,
    add_topic,
    record_correction,
    change_counterclaim,
]
TARGETS = {
    "page": lambda claim: claim.get_absolute_url(),
    "api": lambda claim: f"/api/v1/claims/{claim.pk}/",
}


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
def test_a_change_to_what_a_claim_shows_is_never_answered_304(client, make, claim, target, change):
    def changed():
        shown = change(make, claim)  # what the new body shows: the same text, or per target
        return shown[target] if isinstance(shown, dict) else shown

    version = claim.version
    revalidate(client, TARGETS[target](claim), changed)
    # None of these changes the claim's own row: its version stays.
    assert Claim.objects.get(pk=claim.pk).version == version


@pytest.mark.parametrize("target", TARGETS)
def test_an_unchanged_claim_answers_304_to_its_own_etag(client, claim, target):
    url = TARGETS[target](claim)
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_an_api_etag_survives_a_write_that_does_not_change_its_body(client, make, claim):
    """Every write retires the whole public cache; the digest still answers 304 for the
    claims whose body stayed the same."""
    url = TARGETS["api"](claim)
    etag = client.get(url)["ETag"]
    make.claim(summary="Somebody else's claim")
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304


def link_to_another_claim(make, evidence):
    other = make.claim(summary="Another claim the finding serves")
    StanceLink.objects.create(claim=other, evidence=evidence, stance=StanceLink.Stance.CONTEXT)
    return f"/api/v1/claims/{other.pk}/"


def rename_source_of(make, evidence):
    evidence.source.title = "The renamed logbook"
    evidence.source.save()
    return "The renamed logbook"


def rename_publisher(make, source):
    source.publisher.name = "The renamed harbour gazette"
    source.publisher.save()
    return "The renamed harbour gazette"


def add_author(make, source):
    source.authors.add(make.actor(name="A new co-author", kind="person"))
    return "A new co-author"


@pytest.mark.parametrize(
    ("resource", "change"),
    [
        ("evidence", link_to_another_claim),
        ("evidence", rename_source_of),
        ("sources", rename_publisher),
        ("sources", add_author),
    ],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_evidence_and_source_reads_change_with_their_related_rows(client, make, resource, change):
    source = make.source(publisher=make.actor(name="Harbour gazette"))
    claim = make.claim(source=source)
    row = source if resource == "sources" else claim.stance_links.get().evidence
    version = row.version
    response = revalidate(client, f"/api/v1/{resource}/{row.pk}/", lambda: change(make, row))
    assert READ_ETAG.fullmatch(response["ETag"])["version"] == str(version)
    row.refresh_from_db()
    assert row.version == version


# If-Match: the precondition of a write is about the row it changes, its version.


def claim_url(claim):
    return f"/api/v1/claims/{claim.pk}/"


def patch(client, claim, if_match, summary="An edited summary"):
    return client.patch(
        claim_url(claim), {"summary": summary}, format="json", headers={"If-Match": if_match}
    )


def test_a_gets_etag_names_the_version_and_the_body(api_client, claim):
    etag = api_client.get(claim_url(claim))["ETag"]
    assert READ_ETAG.fullmatch(etag)["version"] == str(claim.version)


def test_the_etag_of_a_get_is_good_for_a_write_after_related_rows_changed(
    api_client, editor_api, make, claim
):
    etag = api_client.get(claim_url(claim))["ETag"]
    assert READ_ETAG.fullmatch(etag)
    add_evidence(make, claim)
    assert api_client.get(claim_url(claim))["ETag"] != etag  # the body moved on, not the row
    response = patch(editor_api, claim, etag)
    assert response.status_code == 200, response.content
    assert response["ETag"] == f'"{claim.version + 1}"'
    assert Claim.objects.get(pk=claim.pk).summary == "An edited summary"


def test_the_etag_of_a_get_before_someone_elses_write_is_refused(api_client, editor_api, claim):
    etag = api_client.get(claim_url(claim))["ETag"]
    theirs = patch(editor_api, claim, etag, summary="Their summary")
    assert theirs.status_code == 200
    stale = patch(editor_api, claim, etag, summary="My summary")
    assert stale.status_code == 412
    assert stale.json()["changed"] == {"summary": "Their summary"}
    assert stale.json()["etag"] == theirs["ETag"]
    assert Claim.objects.get(pk=claim.pk).summary == "Their summary"


def test_a_list_of_etags_passes_when_one_names_the_current_version(api_client, editor_api, claim):
    etag = api_client.get(claim_url(claim))["ETag"]
    response = patch(editor_api, claim, f'"0.0123456789abcdef", {etag}')
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("if_match", ["*", "bare version"])
def test_star_and_the_bare_version_are_accepted(editor_api, claim, if_match):
    header = f'"{claim.version}"' if if_match == "bare version" else if_match
    assert patch(editor_api, claim, header).status_code == 200


@pytest.mark.parametrize("if_match", ["12", '"12', "*, {etag}", "{etag} garbage", ""])
def test_a_malformed_if_match_is_a_400(api_client, editor_api, claim, if_match):
    header = if_match.format(etag=api_client.get(claim_url(claim))["ETag"])
    response = patch(editor_api, claim, header)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Malformed If-Match")
    assert Claim.objects.get(pk=claim.pk).version == claim.version


def test_a_weak_etag_never_satisfies_if_match(api_client, editor_api, claim):
    """RFC 9110 (13.1.1): If-Match compares strongly, and a weak ETag never matches; the
    client is told why, since a compressing proxy may have weakened the ETag it read."""
    etag = api_client.get(claim_url(claim))["ETag"]
    response = patch(editor_api, claim, f"W/{etag}")
    assert response.status_code == 412
    assert "weak" in response.json()["detail"]
    assert response.json()["etag"] == f'"{claim.version}"'
    assert Claim.objects.get(pk=claim.pk).version == claim.version


def test_an_etag_that_names_no_version_is_refused(editor_api, claim):
    response = patch(editor_api, claim, '"not-one-of-ours"')
    assert response.status_code == 412
    assert response.json()["changed"] == {}
