"""Precise invalidation (claims.cache, claims.dependencies): a change to anything a response
shows retires it, so the next anonymous read through the cache is fresh; a write it does not
show leaves it cached, which is what keeps readers on cached pages while editors work."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.models import Appearance, Claim, Counterclaim, StanceLink, Verdict
from sources.models import Affiliation, Source
from tests.test_admin import admin_url, claim_form, management_form, run_action


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PUBLIC_CACHE_SECONDS = 300


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


@pytest.fixture
def claim(make):
    """A published claim with a topic, a claimant with a slug, one piece of evidence, and a
    claim that answers it."""
    claim = make.claim(
        topics=[make.topic(name="Ferry safety")],
        claimant=make.actor(name="The ferry agency", slug="ferry-agency"),
    )
    answer = make.claim(summary="The operator answers", claimant=make.actor(name="An operator"))
    Counterclaim.objects.create(original=claim, response=answer)
    return claim


def edit_claim_row(make, claim):
    services.change_claim(claim, by=None, summary="Lifeboats were counted twice")
    return "Lifeboats were counted twice"


def edit_evidence_excerpt(make, claim):
    evidence = claim.stance_links.get().evidence
    evidence.excerpt = "Inspectors found eleven lifeboats."
    evidence.save()
    return "Inspectors found eleven lifeboats."


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


def rename_topic(make, claim):
    topic = claim.topics.get()
    topic.name = "Harbour safety"
    topic.save()
    return "Harbour safety"


def record_correction(make, claim):
    claim.record_correction("We reworded the ruling about lifeboats.", ["ruling"])
    return "We reworded the ruling about lifeboats."


def add_counterclaim(make, claim):
    Counterclaim.objects.create(
        original=claim, response=make.claim(summary="The harbour master answers")
    )
    return "The harbour master answers"


def rename_answering_claimant(make, claim):
    """The exchange shows the other claim's claimant."""
    claimant = Counterclaim.objects.get(original=claim).response.claimant
    claimant.name = "The renamed ferry operator"
    claimant.save()
    return "The renamed ferry operator"


def edit_stance_link(make, claim):
    link = claim.stance_links.get()
    link.note = "It counts the boats the agency left out."
    link.save()
    return "It counts the boats the agency left out."


def relabel_verdict(make, claim):
    verdict = claim.verdict
    verdict.label = "Plainly wrong"
    verdict.save()
    return "Plainly wrong"


PAGE = "page"
API = "api"
JSON_LD = "json-ld"
URLS = {
    PAGE: lambda claim: claim.get_absolute_url(),
    API: lambda claim: f"/api/v1/claims/{claim.pk}/",
    JSON_LD: lambda claim: f"/api/v1/claims/{claim.pk}/claimreview/",
    "list": lambda claim: "/claims/",
    "api list": lambda claim: "/api/v1/claims/",
    "feed": lambda claim: "/feeds/claims/",
    "topic": lambda claim: f"/topics/{claim.topics.get().slug}/",
    "claimant": lambda claim: f"/claimants/{claim.claimant.slug}/",
    "corrections": lambda claim: "/corrections/",
    "corrections feed": lambda claim: "/feeds/corrections/",
}
# Each change, and every response that shows what it changed.
SHOWN_ON = {
    edit_claim_row: [PAGE, API, "list", "api list", "feed", "topic", "claimant"],
    edit_evidence_excerpt: [PAGE, API, "api list"],
    rename_evidence_source: [PAGE, API],
    rename_claimant: [PAGE, API, JSON_LD, "list", "api list", "claimant"],
    rename_topic: [PAGE, API, "topic"],
    record_correction: [PAGE, API, "corrections", "corrections feed"],
    add_counterclaim: [PAGE, API],
    rename_answering_claimant: [PAGE],
    edit_stance_link: [PAGE, API],
    relabel_verdict: [PAGE, API, JSON_LD, "list", "feed", "claimant"],
}
CASES = [(change, target) for change, targets in SHOWN_ON.items() for target in targets]


@pytest.mark.parametrize(("change", "target"), CASES, ids=[f"{c.__name__}-{t}" for c, t in CASES])
def test_a_change_is_fresh_on_the_next_anonymous_read(client, make, claim, change, target):
    url = URLS[target](claim)
    read(client, url)
    before = read(client, url)
    assert before["X-Cache"] == "hit"
    shown = change(make, Claim.objects.get(pk=claim.pk))
    assert shown not in before.content.decode()
    assert shown in read(client, url).content.decode()


PAGE_CHANGES = [change for change, targets in SHOWN_ON.items() if PAGE in targets]


@pytest.mark.parametrize("change", PAGE_CHANGES, ids=[change.__name__ for change in PAGE_CHANGES])
def test_a_change_is_fresh_on_a_claim_page_that_misses_the_page_cache(client, make, claim, change):
    # What a claim's page shows is kept per version of the claim (claims.views._claim_page):
    # a new query string misses the page's cache but not that.
    url = claim.get_absolute_url()
    read(client, f"{url}?read=1")
    with CaptureQueriesContext(connection) as queries:
        before = read(client, f"{url}?read=2")
    assert before["X-Cache"] == "miss" and len(queries) == 0
    shown = change(make, Claim.objects.get(pk=claim.pk))
    assert shown not in before.content.decode()
    assert shown in read(client, f"{url}?read=3").content.decode()


def unrelated_writes(make, other):
    """Writes that no page of the first claim shows."""
    services.change_claim(other, by=None, summary="Another claim, reworded")
    evidence = other.stance_links.get().evidence
    evidence.excerpt = "Another finding, reworded."
    evidence.save()
    evidence.source.title = "Another report, renamed"
    evidence.source.save()
    other.claimant.name = "Another claimant, renamed"
    other.claimant.save()
    other.record_correction("Another claim's correction.", ["ruling"])
    draft = make.claim(status=Claim.Status.DRAFT)
    services.change_claim(draft, by=None, summary="A draft, reworded")


@pytest.mark.parametrize("target", [PAGE, API, JSON_LD])
def test_an_unrelated_write_does_not_retire_a_claims_responses(client, make, claim, target):
    other = make.claim()
    url = URLS[target](claim)
    first = read(client, url)
    unrelated_writes(make, other)
    again = read(client, url)
    assert again["X-Cache"] == "hit"
    assert again["ETag"] == first["ETag"]


def test_an_unrelated_write_keeps_the_claim_page_answering_304(client, make, claim):
    url = claim.get_absolute_url()
    etag = read(client, url)["ETag"]
    unrelated_writes(make, make.claim())
    # Through the view too (a unique query string misses the cache): the same ETag.
    assert client.get(f"{url}?x=1", headers={"If-None-Match": etag}).status_code == 304


def test_the_claimant_page_follows_its_claimant_in_and_out_of_the_public(client, make):
    # Whether a claimant is public is kept per version of the lists (claims.views.actor_detail):
    # a new query string misses the page's cache but not that.
    claim = make.claim(status=Claim.Status.IN_REVIEW, claimant=make.actor(name="Kim Vale"))
    url = f"/claimants/{claim.claimant.slug}/"
    assert client.get(f"{url}?read=1").status_code == 404
    claim.publish()
    assert "Kim Vale" in read(client, f"{url}?read=2").content.decode()
    claim.claimant.name = "Kim Vale-Okafor"
    claim.claimant.save()
    assert "Kim Vale-Okafor" in read(client, f"{url}?read=3").content.decode()
    Claim.objects.get(pk=claim.pk).delete()
    assert client.get(f"{url}?read=4").status_code == 404


def test_the_source_page_follows_its_source_in_and_out_of_the_public(client, make):
    # As the claimant's: whether the source is public, and the documents known through it.
    paper = make.source(title="The Harbour Gazette")
    claim = make.claim(status=Claim.Status.IN_REVIEW, source=paper)
    url = f"/sources/{paper.pk}/{paper.slug}/"
    assert client.get(f"{url}?read=1").status_code == 404
    claim.publish()
    assert "The Harbour Gazette" in read(client, f"{url}?read=2").content.decode()
    paper.title = "The Harbour Gazette and Herald"
    paper.save()
    assert "The Harbour Gazette and Herald" in read(client, f"{url}?read=3").content.decode()
    make.claim(source=make.source(title="A port authority memo", via=paper))
    assert "A port authority memo" in read(client, f"{url}?read=4").content.decode()
    Claim.objects.filter(Q(source=paper) | Q(source__via=paper)).delete()
    assert client.get(f"{url}?read=5").status_code == 404


def test_a_drafts_edit_does_not_retire_the_lists(client, make):
    draft = make.claim(status=Claim.Status.DRAFT)
    read(client, "/claims/")
    services.change_claim(draft, by=None, summary="A draft, reworded")
    assert read(client, "/claims/")["X-Cache"] == "hit"


def test_publishing_retires_the_lists_and_the_claims_own_responses(client, make):
    claim = make.claim(status=Claim.Status.IN_REVIEW, summary="Soon to be published")
    assert client.get(claim.get_absolute_url()).status_code == 404
    read(client, "/claims/")
    claim.publish()
    assert "Soon to be published" in read(client, "/claims/").content.decode()
    assert read(client, claim.get_absolute_url())["X-Cache"] == "miss"


def test_a_moved_stance_link_retires_both_claims(client, make, claim):
    other = make.claim()
    excerpt = claim.stance_links.get().evidence.excerpt
    assert excerpt in read(client, claim.get_absolute_url()).content.decode()
    assert excerpt not in read(client, other.get_absolute_url()).content.decode()
    link = claim.stance_links.get()
    link.claim = other
    link.save()
    assert excerpt not in read(client, claim.get_absolute_url()).content.decode()
    assert excerpt in read(client, other.get_absolute_url()).content.decode()


def test_deleting_a_stance_link_retires_its_claim(client, make, claim):
    extra = StanceLink.objects.create(
        claim=claim, evidence=make.evidence(excerpt="A finding soon removed."), stance="context"
    )
    assert "A finding soon removed." in read(client, claim.get_absolute_url()).content.decode()
    extra.delete()
    assert "A finding soon removed." not in read(client, claim.get_absolute_url()).content.decode()


def test_the_verdict_scale_retires_everything(client, make, claim):
    read(client, claim.get_absolute_url())
    Verdict.objects.create(label="Half right", slug="half-right", rating=99, description="New.")
    assert read(client, claim.get_absolute_url())["X-Cache"] == "miss"


# Doors that bypass signals: they must retire what they change themselves.


def test_import_claims_retires_the_lists(client, make, tmp_path):
    read(client, "/claims/")
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": "Imported words",
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "A Mayor"}},
        "reviewRating": {"@type": "Rating", "ratingValue": 1, "worstRating": 1, "bestRating": 5},
    }
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps([review]))
    call_command("import_claims", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert read(client, "/claims/")["X-Cache"] == "miss"


def test_a_bulk_update_with_touch_retires_the_claim(client, make, claim):
    read(client, claim.get_absolute_url())
    Claim.objects.filter(pk=claim.pk).update(summary="Bulk reworded")
    Claim.touch([claim.pk])
    assert "Bulk reworded" in read(client, claim.get_absolute_url()).content.decode()


def test_renaming_the_editor_in_a_byline_retires_the_page(client, make, editor):
    claim = make.claim(status=Claim.Status.IN_REVIEW)
    claim.publish(editor)
    read(client, claim.get_absolute_url())
    editor.first_name, editor.last_name = "Robin", "Reviewer"
    editor.save()
    assert "by Robin Reviewer" in read(client, claim.get_absolute_url()).content.decode()


def test_a_login_does_not_retire_the_bylines(client, make, editor):
    claim = make.claim(status=Claim.Status.IN_REVIEW)
    claim.publish(editor)
    read(client, claim.get_absolute_url())
    Client().force_login(editor)  # saves last_login
    assert read(client, claim.get_absolute_url())["X-Cache"] == "hit"


# Every door: the admin's forms and actions and the API write through the models, so the same
# receivers retire what each write changes; readers are a separate, anonymous client.


@pytest.fixture
def reader():
    return Client()


def test_the_admin_form_retires_the_claim_page(reader, editor_client, make, claim):
    read(reader, claim.get_absolute_url())
    response = editor_client.post(
        admin_url(Claim, "change", claim.pk), claim_form(claim, summary="Edited in the admin")
    )
    assert response.status_code == 302
    assert "Edited in the admin" in read(reader, claim.get_absolute_url()).content.decode()


def test_an_admin_source_edit_retires_the_claims_citing_it(reader, editor_client, make, claim):
    source = claim.stance_links.get().evidence.source
    read(reader, claim.get_absolute_url())
    data = {
        "title": "Renamed in the admin",
        "kind": source.kind,
        "language": source.language,
        "url": "",
        "archive_url": "",
        "loaded_version": str(source.version),
        **management_form("claims", 0),
        **management_form("evidence", 0),
        **management_form("snapshots", 0),
    }
    response = editor_client.post(admin_url(Source, "change", source.pk), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert "Renamed in the admin" in read(reader, claim.get_absolute_url()).content.decode()


def test_an_admin_action_retires_the_page_and_the_lists(reader, editor_client, make, claim):
    claim.retraction_note = "The document was forged."
    claim.save()
    read(reader, claim.get_absolute_url())
    read(reader, "/claims/")
    run_action(editor_client, "retract", [claim])
    assert "The document was forged." in read(reader, claim.get_absolute_url()).content.decode()
    assert read(reader, "/claims/")["X-Cache"] == "miss"


def test_an_api_write_retires_the_claim_page(reader, editor_api, make, claim):
    evidence = claim.stance_links.get().evidence
    read(reader, claim.get_absolute_url())
    url = f"/api/v1/evidence/{evidence.pk}/"
    etag = editor_api.get(url)["ETag"]
    response = editor_api.patch(
        url, {"excerpt": "Edited through the API."}, format="json", headers={"If-Match": etag}
    )
    assert response.status_code == 200, response.content
    assert "Edited through the API." in read(reader, claim.get_absolute_url()).content.decode()


def test_a_tie_shows_while_its_organization_is_public(client, make):
    """A person's pages name an organization they are affiliated with only while it is
    public, which its own claims decide: publishing or deleting one of them is a change to
    the person's pages."""
    person = make.actor(name="Dana Reyes", kind="person", slug="dana-reyes")
    claim = make.claim(claimant=person)
    agency = make.actor(name="The harbour authority")
    Affiliation.objects.create(person=person, organization=agency, role="spokesperson")
    pages = [claim.get_absolute_url(), "/claimants/dana-reyes/"]
    assert not any("The harbour authority" in read(client, url).text for url in pages)
    said = make.claim(claimant=agency)  # the agency says something public
    assert all("The harbour authority" in read(client, url).text for url in pages)
    said.delete()
    assert not any("The harbour authority" in read(client, url).text for url in pages)


def publish_a_document_by(make, agency):
    return make.claim(source=make.source(title="Harbour notice", publisher=agency))


def write_a_document(make, agency):
    claim = make.claim()
    claim.source.authors.add(agency)
    return claim


def find_evidence(make, agency):
    claim = make.claim()
    evidence = claim.stance_links.get().evidence
    evidence.author = agency
    evidence.save()
    return claim


@pytest.mark.parametrize("read_again", ["same address", "new address"])
@pytest.mark.parametrize("cite", [publish_a_document_by, write_a_document, find_evidence])
def test_a_tie_shows_once_a_public_claim_cites_its_organization(client, make, cite, read_again):
    """An organization is public too when a public claim quotes a document it published or
    wrote, or cites evidence it found: that is also a change to the pages of the people tied
    to it, through the page's cache (its ETag) and past it (what the page shows is kept per
    version of the claim)."""
    person = make.actor(name="Dana Reyes", kind="person", slug="dana-reyes")
    claim = make.claim(claimant=person)
    agency = make.actor(name="The harbour authority")
    Affiliation.objects.create(person=person, organization=agency, role="spokesperson")
    url = claim.get_absolute_url()
    reads = iter(range(100))

    def page():
        return read(client, f"{url}?read={next(reads)}" if read_again == "new address" else url)

    assert "The harbour authority" not in page().text
    before = page()
    citing = cite(make, agency)
    after = page()
    assert "The harbour authority" in after.text
    assert after["ETag"] != before["ETag"]
    Claim.objects.get(pk=citing.pk).delete()
    assert "The harbour authority" not in page().text


@pytest.mark.parametrize("rename", ["document", "its publisher"])
def test_an_appearance_names_the_document_it_was_reported_in_as_it_is_now(
    client, make, claim, rename
):
    """A claim page cites each appearance's source and the document that reported it (with
    its publisher where it has no title): renaming either retires the page, past the page
    cache too."""
    agency = make.actor(name="The harbour gazette's owner")
    paper = make.source(title="The Harbour Gazette", publisher=agency)
    interview = make.source(title="A radio interview", via=paper)
    Appearance.objects.create(
        claim=claim, claimant=claim.claimant, source=interview, quote="Said again, on air."
    )
    url = claim.get_absolute_url()
    assert "The Harbour Gazette" in read(client, f"{url}?read=1").text
    if rename == "document":
        paper.title = "The Harbour Gazette and Herald"
        paper.save()
        shown = "The Harbour Gazette and Herald"
    else:
        paper.title = ""  # an untitled document is named by its publisher
        paper.save()
        read(client, f"{url}?read=2")
        agency.name = "The Harbour Media Group"
        agency.save()
        shown = "The Harbour Media Group"
    assert shown in read(client, f"{url}?read=3").text
    assert shown in read(client, url).text
