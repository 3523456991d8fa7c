"""Stored quote checks: on claims and evidence, in publication, the admin, the public pages and
the API, and over the demo data."""

import pickle

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import views
from claims.models import Appearance, Claim, Evidence, QuoteCheck
from sources.bulk import set_texts

pytestmark = pytest.mark.django_db

ARTICLE = (
    "The union wrote that “our facilities beat most local jails” — a claim inspectors\n"
    "disputed. Inspectors found expired food & nooses made of sheets in two units."
)


@pytest.fixture
def article(make):
    return make.source(title="The Daily Article", text=ARTICLE)


def published_with_evidence(make, source, quote, excerpt):
    """A published claim quoting ``source``, refuted by an excerpt of it."""
    claim = make.claim(status=Claim.Status.DRAFT, source=source, quote=quote, evidence=0)
    evidence = make.evidence(source=source, excerpt=excerpt)
    claim.stance_links.create(evidence=evidence, stance="refutes")
    claim.submit_for_review()
    claim.publish()
    return claim, evidence


def test_a_quote_found_in_the_source_is_stored_with_its_selector(make, article):
    claim = make.claim(source=article, quote='"our facilities beat most local jails" - a claim')
    assert claim.quote_check == QuoteCheck.MATCH
    assert claim.quote_selector == {
        "type": "TextQuoteSelector",
        "exact": "“our facilities beat most local jails” — a claim",
        "prefix": "The union wrote that ",
        "suffix": " inspectors\ndisputed. Inspectors",
    }


def test_quote_checks_follow_the_quote_and_the_source(make, article):
    claim = make.claim(status=Claim.Status.DRAFT, source=article, quote="facilities beat most")
    assert claim.quote_check == QuoteCheck.MATCH
    claim.quote = "facilities beat all"
    claim.save()
    assert Claim.objects.get(pk=claim.pk).quote_check == QuoteCheck.NO_MATCH
    claim.source = make.source()
    claim.save()
    claim.refresh_from_db()
    assert (claim.quote_check, claim.quote_selector) == (QuoteCheck.NO_TEXT, None)


def test_editing_a_sources_text_rechecks_what_quotes_it_and_marks_the_claim_changed(make, article):
    claim, evidence = published_with_evidence(
        make, article, "beat most local jails", "nooses made of sheets"
    )
    other = make.claim(quote="Unrelated words.")
    claim.refresh_from_db()
    updated_before = claim.updated_at
    article.text = "Nothing of the sort."
    article.save()
    claim.refresh_from_db()
    evidence.refresh_from_db()
    assert claim.quote_check == evidence.quote_check == QuoteCheck.NO_MATCH
    assert claim.updated_at > updated_before  # the page changes: its ETag must too
    assert Claim.objects.get(pk=other.pk).quote_check == QuoteCheck.NO_TEXT


def test_a_document_known_only_through_an_article_is_checked_against_the_articles_text(
    make, article
):
    letter = make.source(title="", kind="letter", via=article)
    claim = make.claim(source=letter, quote="beat most local jails")
    assert claim.quote_check == QuoteCheck.MATCH
    letter.text = "A passage of the letter itself."
    letter.save()
    claim.refresh_from_db()
    assert claim.quote_check == QuoteCheck.NO_MATCH  # its own text, once we hold it, decides


def test_a_source_without_text_blocks_nothing(make):
    claim = make.claim(status=Claim.Status.IN_REVIEW)
    assert claim.quote_check == QuoteCheck.NO_TEXT
    claim.publish()
    assert claim.is_public


def test_an_unmatched_quote_cannot_be_published(make, article, editor):
    claim = make.claim(status=Claim.Status.IN_REVIEW, source=article, quote="beat all jails")
    with pytest.raises(ValidationError) as refused:
        claim.publish(by=editor)
    assert "not found in the source" in str(refused.value)
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.IN_REVIEW


def test_an_editors_reason_overrides_the_quote_check(make, article, editor):
    claim = make.claim(status=Claim.Status.IN_REVIEW, source=article, quote="beat all jails")
    claim.quote_override_reason = "The union's letter says so; the article paraphrased it."
    claim.save()
    claim.publish(by=editor)
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.PUBLISHED


def test_a_published_claims_quote_cannot_be_changed_to_words_not_in_the_source(make, article):
    claim = make.claim(source=article, quote="beat most local jails")
    claim.quote = "beat every jail in the land"
    with pytest.raises(ValidationError, match="not found in the source"):
        claim.full_clean()


def test_the_quote_check_blocks_publication_in_the_admin_and_the_api(
    editor_client, editor_api, make, article
):
    misquoted = make.claim(status=Claim.Status.IN_REVIEW, source=article, quote="beat all jails")
    page = editor_client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "publish", "_selected_action": [misquoted.pk]},
        follow=True,
    ).content.decode()
    assert "was not published: The quote was not found in the source" in page
    response = editor_api.post(f"/api/v1/claims/{misquoted.pk}/publish/")
    assert response.status_code == 400
    assert "not found in the source" in response.json()["quote_override_reason"][0]
    assert Claim.objects.get(pk=misquoted.pk).status == Claim.Status.IN_REVIEW


def test_through_the_api_only_an_editor_can_override_the_quote_check(
    editor_api, fact_checker, make, article
):
    from tests.conftest import token_client

    misquoted = make.claim(status=Claim.Status.DRAFT, source=article, quote="beat all jails")
    reason = {"quote_override_reason": "The letter says so; the article paraphrased it."}
    url = f"/api/v1/claims/{misquoted.pk}/"
    headers = {"If-Match": f'"{misquoted.version}"'}
    checker_api = token_client(fact_checker)
    refused = checker_api.patch(url, reason, format="json", headers=headers)
    assert refused.status_code == 400
    assert "Only editors" in refused.json()["quote_override_reason"][0]
    assert editor_api.patch(url, reason, format="json", headers=headers).status_code == 200
    assert (
        Claim.objects.get(pk=misquoted.pk).quote_override_reason == reason["quote_override_reason"]
    )
    assert editor_api.post(f"{url}submit/").status_code == 200
    assert editor_api.post(f"{url}publish/").status_code == 200
    assert Claim.objects.get(pk=misquoted.pk).status == Claim.Status.PUBLISHED


# The admin


def test_admin_lists_and_filters_claims_by_quote_check(editor_client, make, article):
    make.claim(source=article, quote="beat most local jails", summary="Matching claim")
    make.claim(status=Claim.Status.DRAFT, source=article, quote="beat no jail", summary="Misquoted")
    url = reverse("admin:claims_claim_changelist")
    page = editor_client.get(url).content.decode()
    assert "no match" in page and "no text" in page
    filtered = editor_client.get(url, {"quote_check__exact": "no_match"}).content.decode()
    assert "Misquoted" in filtered
    assert "Matching claim" not in filtered


def test_admin_change_form_shows_the_check_and_the_passage_found(editor_client, make, article):
    claim = make.claim(source=article, quote="expired food & nooses")
    page = editor_client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    html = page.content.decode()
    assert "<mark>expired food &amp; nooses</mark>" in html
    assert 'name="quote_check"' not in html  # shown, never edited
    assert 'name="quote_override_reason"' in html


def test_fact_checkers_cannot_write_an_override(client, fact_checker, make, article):
    claim = make.claim(status=Claim.Status.DRAFT, source=article, quote="beat no jail")
    client.force_login(fact_checker)
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert 'name="quote_override_reason"' not in page


def test_admin_filters_evidence_by_quote_check(editor_client, make, article):
    make.evidence(source=article, excerpt="Inspectors found expired food")
    make.evidence(source=article, excerpt="Inspectors found fresh food")
    url = reverse("admin:claims_evidence_changelist")
    page = editor_client.get(url, {"quote_check__exact": "no_match"}).content.decode()
    assert "fresh food" in page
    assert "expired food" not in page


# Public pages


def test_claim_page_marks_a_checked_quote_and_links_to_the_passage(client, make, article):
    claim, evidence = published_with_evidence(
        make, article, "beat most local jails", "nooses made of sheets"
    )
    page = client.get(claim.get_absolute_url()).content.decode()
    source_url = reverse("claims:source", args=[article.pk, article.slug])
    assert f'<a href="{source_url}#claim-{claim.pk}-quote">Quote checked against the source' in (
        page
    )
    assert f'href="{source_url}#evidence-{evidence.pk}-quote">Excerpt checked' in page

    source_page = client.get(source_url).content.decode()
    assert (
        f'<span id="claim-{claim.pk}-quote" class="passage-anchor"></span>'
        "<mark>beat most local jails</mark>" in source_page
    )
    assert "expired food &amp; " in source_page  # the rest of the text, escaped
    assert f'<span id="evidence-{evidence.pk}-quote"' in source_page


def test_a_claim_page_kept_without_its_sources_texts_still_links_the_passages(
    client, make, article, settings
):
    # What a claim page shows is kept per version of the claim (claims.views._claim_page), and
    # of its sources' texts it keeps only where the quoted words were found.
    settings.PUBLIC_CACHE_SECONDS = 300
    reported = make.source(title="A wire report", via=article)  # no text: checked via article
    claim, _ = published_with_evidence(
        make, article, "beat most local jails", "nooses made of sheets"
    )
    Appearance.objects.create(
        claim=claim, claimant=claim.claimant, source=reported, quote="beat most local jails"
    )
    source_url = reverse("claims:source", args=[article.pk, article.slug])
    url = claim.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"{url}?from=mail").content.decode()
    assert len(queries) == 0
    assert f'<a href="{source_url}#claim-{claim.pk}-quote">Quote checked' in page
    assert f'href="{source_url}#appearance-' in page
    kept = views._shown_on_claim_page(
        RequestFactory().get(url), views.PUBLIC_CLAIM_PAGES, claim.pk, preview=False
    )
    assert ARTICLE[:40].encode() not in pickle.dumps(kept)


@pytest.mark.parametrize("address", ["same", "new"])
def test_a_text_stored_in_bulk_moves_the_passage_links_at_once(client, make, settings, address):
    # sources.bulk.set_texts updates texts with no save signal. A claim quoting a wire report
    # we hold no text of is checked against the paper that reported it; once the report's
    # own text is stored, the words are found there, the check's result is the same (so no
    # row is saved), and the link must point at the report: the claim page is retired anyway.
    settings.PUBLIC_CACHE_SECONDS = 300
    paper = make.source(title="The Daily Article", text=ARTICLE)
    wire = make.source(title="A wire report", via=paper)
    claim, _ = published_with_evidence(make, wire, "beat most local jails", "made of sheets")
    reads = iter(range(100))

    def page():
        suffix = f"?read={next(reads)}" if address == "new" else ""
        return client.get(f"{claim.get_absolute_url()}{suffix}").content.decode()

    paper_url = reverse("claims:source", args=[paper.pk, paper.slug])
    wire_url = reverse("claims:source", args=[wire.pk, wire.slug])
    assert f'href="{paper_url}#claim-{claim.pk}-quote"' in page()
    page()
    assert "expired food" not in client.get(wire_url).content.decode()
    set_texts({wire.pk: ARTICLE})
    assert f'href="{wire_url}#claim-{claim.pk}-quote"' in page()
    assert "expired food &amp; " in client.get(wire_url).content.decode()  # its page, too


def test_an_unchecked_quote_is_not_marked_checked(client, make, article):
    unchecked = make.claim()
    overridden = make.claim(
        status=Claim.Status.IN_REVIEW, source=article, quote="beat all jails", evidence=1
    )
    overridden.quote_override_reason = "Verified with the union."
    overridden.save()
    overridden.publish()
    for claim in (unchecked, overridden):
        page = client.get(claim.get_absolute_url()).content.decode()
        assert "checked against the source" not in page


def test_a_source_page_marks_no_passage_of_a_draft(client, make, article):
    make.claim(source=article, quote="disputed")
    make.claim(status=Claim.Status.DRAFT, source=article, quote="beat most local jails")
    page = client.get(reverse("claims:source", args=[article.pk, article.slug])).content.decode()
    assert "<mark>disputed</mark>" in page
    assert "<mark>beat most local jails</mark>" not in page


def test_a_letter_known_through_an_article_links_to_the_articles_passage(client, make, article):
    letter = make.source(title="", kind="letter", via=article)
    claim = make.claim(source=letter, quote="beat most local jails")
    page = client.get(claim.get_absolute_url()).content.decode()
    assert f"/sources/{article.pk}/{article.slug}/#claim-{claim.pk}-quote" in page
    article_page = client.get(reverse("claims:source", args=[article.pk, article.slug]))
    assert "<mark>beat most local jails</mark>" in article_page.content.decode()


def test_source_page_costs_the_same_queries_for_1_or_20_quoted_passages(
    client, make, django_assert_max_num_queries
):
    text = " ".join(f"Sentence number {n}." for n in range(40))
    source = make.source(title="Long report", text=text)
    make.claim(source=source, quote="Sentence number 1.")
    url = reverse("claims:source", args=[source.pk, source.slug])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(2, 21):
        make.claim(source=source, quote=f"Sentence number {n}.")
        make.evidence(source=source, excerpt=f"Sentence number {n + 20}.")
    with django_assert_max_num_queries(len(few)):
        page = client.get(url).content.decode()
    assert page.count("<mark>") == 20


# API


def test_api_gives_the_check_and_selector_read_only(api_client, editor_api, make, article):
    claim, evidence = published_with_evidence(
        make, article, "beat most local jails", "nooses made of sheets"
    )
    data = api_client.get(reverse("api:claim-detail", args=[claim.pk])).json()
    assert data["quote_check"] == "match"
    assert data["quote_selector"]["type"] == "TextQuoteSelector"
    assert data["quote_selector"]["exact"] == "beat most local jails"
    data = api_client.get(reverse("api:evidence-detail", args=[evidence.pk])).json()
    assert data["quote_check"] == "match"
    assert data["quote_selector"]["suffix"].startswith(" in two units")


# The demo data


def test_every_demo_quote_and_excerpt_is_found_in_its_sources_text(db):
    call_command("load_demo", verbosity=0)
    unmatched = [
        (row.source.label, getattr(row, row.QUOTED_FIELD))
        for model in (Claim, Evidence)
        for row in model.objects.select_related("source__via")
        if row.quote_check != QuoteCheck.MATCH
    ]
    assert unmatched == []
    assert Claim.objects.count() + Evidence.objects.count() >= 40
