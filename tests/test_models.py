"""The data model's integrity rules, enforced by the database itself and by the workflow."""

import ast
import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

import sources
from claims.models import Claim, Counterclaim, Evidence, StanceLink, Topic, Verdict
from sources import gate
from sources.bulk import bulk_insert
from sources.models import Actor, Affiliation, Source

pytestmark = pytest.mark.django_db


def test_default_verdict_scale_is_ordered_from_false_to_true():
    scale = list(Verdict.objects.values_list("rating", "slug"))
    assert scale == [
        (1, "false"),
        (2, "mostly-false"),
        (3, "mixed"),
        (4, "mostly-true"),
        (5, "true"),
    ]


def test_source_url_is_unique_only_when_present(make):
    make.source(url="")
    make.source(url="")  # many sources have no URL
    make.source(url="https://example.org/report")
    with pytest.raises(IntegrityError), transaction.atomic():
        make.source(url="https://example.org/report")


def test_source_cannot_be_known_through_itself(make):
    source = make.source()
    source.via = source
    with pytest.raises(IntegrityError), transaction.atomic():
        source.save()


def test_stance_link_is_unique_per_claim_and_evidence(make):
    claim = make.claim(status=Claim.Status.DRAFT, evidence=0)
    evidence = make.evidence()
    StanceLink.objects.create(claim=claim, evidence=evidence, stance="refutes")
    with pytest.raises(IntegrityError), transaction.atomic():
        StanceLink.objects.create(claim=claim, evidence=evidence, stance="supports")


def test_stance_must_be_one_of_the_three(make):
    claim = make.claim(status=Claim.Status.DRAFT, evidence=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        StanceLink.objects.create(claim=claim, evidence=make.evidence(), stance="maybe")


def test_claim_cannot_answer_itself(make):
    claim = make.claim()
    with pytest.raises(IntegrityError), transaction.atomic():
        Counterclaim.objects.create(original=claim, response=claim)


def test_affiliation_cannot_point_at_itself(make):
    person = make.actor(kind=Actor.Kind.PERSON)
    with pytest.raises(IntegrityError), transaction.atomic():
        Affiliation.objects.create(person=person, organization=person)


def test_database_refuses_a_published_claim_without_verdict_or_ruling(make):
    claim = make.claim()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(ruling="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(verdict=None)


def test_database_refuses_an_empty_quote(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make.claim(quote="", status=Claim.Status.DRAFT)


def test_database_refuses_a_retraction_without_note(make):
    claim = make.claim()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.RETRACTED)


def test_deleting_what_published_content_relies_on_is_refused(make):
    claim = make.claim()
    evidence = claim.evidence.get()
    with pytest.raises(ProtectedError):
        claim.claimant.delete()
    with pytest.raises(ProtectedError):
        claim.source.delete()
    with pytest.raises(ProtectedError):
        evidence.delete()
    with pytest.raises(ProtectedError):
        claim.verdict.delete()
    with pytest.raises(ProtectedError):
        evidence.source.delete()


def test_future_dates_are_refused_by_validation(make):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    claim = make.claim(status=Claim.Status.DRAFT, said_on=tomorrow)
    with pytest.raises(ValidationError) as excinfo:
        claim.full_clean()
    assert "said_on" in excinfo.value.message_dict
    source = make.source(published_on=tomorrow)
    with pytest.raises(ValidationError) as excinfo:
        source.full_clean()
    assert "published_on" in excinfo.value.message_dict


def test_same_as_links_must_be_urls(db):
    actor = Actor(name="A", kind=Actor.Kind.PERSON, same_as=["https://example.org/", "not a url"])
    with pytest.raises(ValidationError) as excinfo:
        actor.full_clean()
    assert "same_as" in excinfo.value.message_dict


# Not web addresses: what a browser would run or open in place of a page, and FTP (which
# URLField's own validator accepts).
NOT_WEB = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/",
    "ftp://example.org/file",
]


@pytest.mark.parametrize("field", ["url", "archive_url"])
def test_source_links_are_web_addresses_whatever_writes_them(make, field):
    source = make.source(**{field: "https://example.org/a"})
    row = Source(title="A", kind=Source.Kind.WEBSITE, **{field: "ftp://example.org/a"})
    with pytest.raises(ValidationError) as excinfo:
        row.full_clean()
    assert field in excinfo.value.message_dict
    for bad in NOT_WEB:
        with pytest.raises(IntegrityError), transaction.atomic():
            Source.objects.filter(pk=source.pk).update(**{field: bad})
        for insert in (Source.objects.bulk_create, lambda rows: bulk_insert(Source, rows)):
            with pytest.raises(IntegrityError), transaction.atomic():
                insert([Source(title="Bulk", kind=Source.Kind.WEBSITE, **{field: bad})])
    for good in ["HTTPS://EXAMPLE.ORG/B", "http://example.org/c", ""]:
        Source.objects.filter(pk=source.pk).update(**{field: good})
    assert not Source.objects.filter(title="Bulk").exists()


def test_same_as_holds_only_web_addresses_whatever_writes_it(make):
    actor = make.actor(same_as=["https://www.wikidata.org/wiki/Q1"])
    with pytest.raises(ValidationError) as excinfo:
        Actor(name="A", kind=Actor.Kind.PERSON, same_as=["ftp://example.org/a"]).full_clean()
    assert "same_as" in excinfo.value.message_dict
    bad_lists = [[url] for url in NOT_WEB] + [
        ["https://example.org/ok", "javascript:alert(1)"],
        "https://example.org/not-in-a-list",
        {"url": "https://example.org/"},
        [1],
    ]
    for bad in bad_lists:
        with pytest.raises(IntegrityError), transaction.atomic():
            Actor.objects.filter(pk=actor.pk).update(same_as=bad)
        for insert in (Actor.objects.bulk_create, lambda rows: bulk_insert(Actor, rows)):
            with pytest.raises(IntegrityError), transaction.atomic():
                insert([Actor(name="Bulk", slug="bulk", kind=Actor.Kind.PERSON, same_as=bad)])
    # Quotes and backslashes inside a link are escaped in the JSON text, not ends of it.
    odd = [
        'https://example.org/"quoted"',
        "https://example.org/back\\",
        'https://x/", "javascript:',
    ]
    for good in [[], ["HTTP://EXAMPLE.ORG/A", "https://example.org/b"], odd]:
        Actor.objects.filter(pk=actor.pk).update(same_as=good)
        actor.refresh_from_db()
        assert actor.same_as == good
    assert not Actor.objects.filter(name="Bulk").exists()


def test_slugs_are_made_from_names_and_stay_unique(make):
    first = make.actor(name="Office of Inspector General")
    second = make.actor(name="Office of Inspector General")
    assert first.slug == "office-of-inspector-general"
    assert second.slug == "office-of-inspector-general-2"
    assert make.topic(name="Detention conditions").slug == "detention-conditions"


# Workflow


def test_publish_sets_the_first_publication_date_once(make):
    claim = make.claim(status=Claim.Status.IN_REVIEW)
    assert claim.published_at is None
    claim.publish()
    first = claim.published_at
    assert claim.status == Claim.Status.PUBLISHED and first is not None
    with pytest.raises(ValidationError):
        claim.publish()  # already published
    claim.refresh_from_db()
    assert claim.published_at == first


@pytest.mark.parametrize(
    ("change", "field"),
    [({"verdict": None}, "verdict"), ({"ruling": " "}, "ruling"), ({"evidence": 0}, "evidence")],
)
def test_publish_requires_verdict_ruling_and_evidence(make, change, field):
    claim = make.claim(status=Claim.Status.IN_REVIEW, **change)
    with pytest.raises(ValidationError) as excinfo:
        claim.publish()
    assert field in excinfo.value.message_dict
    claim.refresh_from_db()
    assert claim.status == Claim.Status.IN_REVIEW
    assert not claim.transitions.filter(target=Claim.Status.PUBLISHED).exists()


def test_a_draft_must_be_reviewed_before_it_is_published(make):
    claim = make.claim(status=Claim.Status.DRAFT)
    with pytest.raises(ValidationError, match="Only a claim that is in review can be published"):
        claim.publish()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DRAFT and claim.published_at is None


def test_every_transition_is_recorded_with_who_and_when(make, editor, fact_checker):
    claim = make.claim(status=Claim.Status.DRAFT)
    claim.submit_for_review(by=fact_checker)
    claim.send_back_to_draft(by=editor, note="Find a second source.")
    claim.submit_for_review(by=fact_checker)
    claim.publish(by=editor)
    claim.retract("The quote was misattributed.", by=editor)
    trail = list(claim.transitions.values_list("source", "target", "by__username", "note"))
    assert trail == [
        ("draft", "in_review", "checker", ""),
        ("in_review", "draft", "editor", "Find a second source."),
        ("draft", "in_review", "checker", ""),
        ("in_review", "published", "editor", ""),
        ("published", "retracted", "editor", "The quote was misattributed."),
    ]
    claim.refresh_from_db()
    assert claim.retraction_note == "The quote was misattributed."


@pytest.mark.parametrize(
    ("status", "step"),
    [
        (Claim.Status.IN_REVIEW, lambda claim, user: claim.publish(by=user)),
        (Claim.Status.IN_REVIEW, lambda claim, user: claim.send_back_to_draft(by=user)),
        (Claim.Status.PUBLISHED, lambda claim, user: claim.retract("Wrong", by=user)),
    ],
)
def test_fact_checkers_cannot_publish_send_back_or_retract(make, fact_checker, status, step):
    claim = make.claim(status=status)
    with pytest.raises(PermissionDenied):
        step(claim, fact_checker)
    claim.refresh_from_db()
    assert claim.status == status


def test_a_user_without_permissions_cannot_even_submit(make, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="x-long-pass")
    claim = make.claim(status=Claim.Status.DRAFT)
    with pytest.raises(PermissionDenied):
        claim.submit_for_review(by=nobody)
    assert claim.can("submit_for_review", nobody) is False


def test_retraction_needs_a_note_and_a_published_claim(make):
    claim = make.claim(status=Claim.Status.IN_REVIEW)
    with pytest.raises(ValidationError):
        claim.retract("Not published yet")
    claim.publish()
    with pytest.raises(ValidationError):
        claim.retract("   ")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PUBLISHED


# The visibility gate


def test_only_published_and_retracted_claims_are_public(make):
    published = make.claim()
    retracted = make.claim(status=Claim.Status.RETRACTED)
    make.claim(status=Claim.Status.DRAFT)
    make.claim(status=Claim.Status.IN_REVIEW)
    assert set(Claim.objects.published()) == {published, retracted}


def test_related_rows_are_public_only_through_a_published_claim(make):
    topic_public, topic_draft = make.topic(), make.topic()
    public = make.claim(topics=[topic_public])
    draft = make.claim(status=Claim.Status.DRAFT, topics=[topic_draft])
    report = make.source(title="Report known through the article")
    article = make.source(title="The article")
    report.via = article
    report.save()
    public.source = report
    public.save()

    assert set(Evidence.objects.published()) == set(public.evidence.all())
    assert set(Topic.objects.published()) == {topic_public}
    assert set(Source.objects.published()) == {report, article, public.evidence.get().source}
    assert set(Actor.objects.published()) == {public.claimant}
    assert draft.source not in Source.objects.published()


def test_people_and_organizations_are_public_when_public_rows_name_them(make):
    """Who said a public claim, found a piece of its evidence, or published or wrote one of
    its sources; not who did so only for a draft."""
    publisher = make.actor()
    writer, finder = (make.actor(kind=Actor.Kind.PERSON) for _ in range(2))
    article = make.source(publisher=publisher)
    article.authors.set([writer])
    public = make.claim(source=article)
    Evidence.objects.filter(stance_links__claim=public).update(author=finder)
    draft_article = make.source(publisher=make.actor())
    draft_article.authors.set([make.actor()])
    draft = make.claim(status=Claim.Status.IN_REVIEW, source=draft_article)
    Evidence.objects.filter(stance_links__claim=draft).update(author=make.actor())
    assert set(Actor.objects.published()) == {public.claimant, publisher, writer, finder}


def test_an_affiliation_is_public_only_when_both_ends_are(make):
    agency = make.claim().claimant
    spokesperson = make.claim(claimant=make.actor(kind=Actor.Kind.PERSON)).claimant
    unknown_person = make.claim(
        status=Claim.Status.DRAFT, claimant=make.actor(kind=Actor.Kind.PERSON)
    ).claimant
    unknown_agency = make.claim(status=Claim.Status.DRAFT).claimant
    public = Affiliation.objects.create(person=spokesperson, organization=agency)
    Affiliation.objects.create(person=unknown_person, organization=agency)
    Affiliation.objects.create(person=spokesperson, organization=unknown_agency)
    assert list(Affiliation.objects.published()) == [public]


def test_stance_links_and_exchanges_are_public_with_their_claims(make):
    original, response = make.claim(), make.claim()
    draft = make.claim(status=Claim.Status.IN_REVIEW)
    hidden_link = StanceLink.objects.create(
        claim=draft, evidence=original.evidence.get(), stance="supports"
    )
    exchange = Counterclaim.objects.create(original=original, response=response)
    Counterclaim.objects.create(original=original, response=draft)
    Counterclaim.objects.create(original=draft, response=response)
    links = set(StanceLink.objects.published())
    assert links == {*original.stance_links.all(), *response.stance_links.all()}
    assert hidden_link not in links
    assert list(Counterclaim.objects.published()) == [exchange]
    # Read from each end, as the claim pages show it.
    assert original.public_exchange() == ([], [response])
    assert response.public_exchange() == ([original], [])
    # An editor's preview of the draft: the exchange readers will see once it is published.
    assert draft.public_exchange() == ([original], [response])


def test_sources_learn_what_is_public_without_importing_claims(monkeypatch):
    """Dependencies point one way: the claims app installs where the gate of sources and
    actors starts (sources.gate); until it has, asking is an error, never an answer."""
    for path in Path(sources.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            assert not [name for name in modules if name.split(".")[0] == "claims"], path
    monkeypatch.setattr(gate, "_cited", {})
    for queryset in (Source.objects, Actor.objects, Affiliation.objects):
        with pytest.raises(ImproperlyConfigured):
            queryset.published()


def test_shared_evidence_is_public_once_it_serves_one_published_claim(make):
    draft = make.claim(status=Claim.Status.DRAFT)
    evidence = draft.evidence.get()
    assert not Evidence.objects.published().filter(pk=evidence.pk).exists()
    public = make.claim(status=Claim.Status.IN_REVIEW, evidence=0)
    StanceLink.objects.create(claim=public, evidence=evidence, stance="supports")
    public.publish()
    assert list(Evidence.objects.published()) == [evidence]


def test_search_matches_quote_summary_and_claimant(make):
    hit = make.claim(quote="Detention beds were full", claimant=make.actor(name="Union"))
    make.claim(quote="Something else entirely")
    assert list(Claim.objects.published().search("detention")) == [hit]
    assert list(Claim.objects.published().search("union full")) == [hit]
    assert not Claim.objects.published().search("detention nothing").exists()
