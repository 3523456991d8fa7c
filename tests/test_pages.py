"""The public reader site, page by page, as a reader (and a search engine) meets it."""

import datetime
import json
import pickle
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, Counterclaim, Evidence, StanceLink, Verdict
from claims.templatetags.claims_tags import web_url
from sources.models import Actor, Affiliation, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(make):
    """A union's claim with evidence of every stance, answered by an agency's claim."""
    agency = make.actor(name="Border Agency", same_as=["https://www.wikidata.org/wiki/Q1"])
    union = make.actor(name="Officers Union")
    person = make.actor(name="Pat Example", kind=Actor.Kind.PERSON)
    Affiliation.objects.create(person=person, organization=union, role="president")
    topic = make.topic(name="Detention conditions")
    article = make.source(title="The Daily Article", url="https://news.example.org/a")
    letter = make.source(title="", kind="letter", via=article, publisher=union)
    claim = make.claim(
        claimant=person,
        source=letter,
        quote="Our facilities beat most local jails.",
        summary="Union president says facilities beat local jails",
        topics=[topic],
        evidence=0,
        status=Claim.Status.IN_REVIEW,
        ruling="Inspectors found expired food.",
    )
    for position, (stance, text) in enumerate(
        [
            ("supports", "A report praised the clinic."),
            ("refutes", "Inspectors found expired food."),
            ("context", "Jails vary widely."),
            ("refutes", "Nooses made of sheets were found."),
        ]
    ):
        StanceLink.objects.create(
            claim=claim,
            evidence=make.evidence(excerpt=text, source=article, author=agency),
            stance=stance,
            position=position,
            note=f"Note for {text}",
        )
    claim.publish()
    answer = make.claim(claimant=agency, summary="Agency answers the union", topics=[topic])
    Counterclaim.objects.create(original=claim, response=answer)
    claim.refresh_from_db()
    return claim


def get(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_claim_page_shows_the_claim_beside_its_evidence(client, case):
    page = get(client, case.get_absolute_url())
    assert "<blockquote><p>Our facilities beat most local jails.</p></blockquote>" in page
    assert reverse("claims:actor", args=[case.claimant.slug]) in page
    assert "president, Officers Union" in page
    assert "Mostly false" not in page and "False</span>" in page
    assert "Inspectors found expired food." in page
    # Grouped by stance, refutes first, then context, then supports, in the editor's order.
    order = [
        page.index("Inspectors found expired food.</p></blockquote>"),
        page.index("Nooses made of sheets"),
        page.index("Jails vary widely."),
        page.index("A report praised the clinic."),
    ]
    assert order == sorted(order)
    assert "Why it matters:</strong> Note for Jails vary widely." in page
    # The letter is known through the article, which links to its original.
    assert "as reported in" in page and "https://news.example.org/a" in page
    assert "Agency answers the union" in page
    assert "Detention conditions" in page
    assert '<meta property="og:title"' in page and 'name="twitter:card"' in page


def test_counterclaim_exchange_shows_on_both_pages(client, case):
    answer = Counterclaim.objects.published().get(original=case).response
    assert "Answered by" in get(client, case.get_absolute_url())
    page = get(client, answer.get_absolute_url())
    assert "This claim answers" in page and case.summary in page


def test_the_exchange_shows_public_claims_only_newest_first(client, make):
    claim = make.claim()
    older, newer = make.claim(summary="Older answer"), make.claim(summary="Newer answer")
    draft = make.claim(status=Claim.Status.DRAFT, summary="Unpublished answer")
    for response in (older, newer, draft):
        Counterclaim.objects.create(original=claim, response=response)
    page = get(client, claim.get_absolute_url())
    assert page.index("Newer answer") < page.index("Older answer")
    assert "Unpublished answer" not in page


def test_claim_review_json_ld(client, case):
    page = get(client, case.get_absolute_url())
    start = page.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    data = json.loads(page[start : page.index("</script>", start)])
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "ClaimReview"
    assert data["url"] == f"http://testserver{case.get_absolute_url()}"
    assert data["claimReviewed"] == case.quote
    rating = data["reviewRating"]
    assert (rating["ratingValue"], rating["worstRating"], rating["bestRating"]) == (1, 1, 5)
    assert rating["alternateName"] == "False"
    assert data["itemReviewed"]["author"] == {"@type": "Person", "name": "Pat Example"}
    assert data["author"]["name"] == "Counterclaim"
    assert data["datePublished"] == case.published_at.date().isoformat()


def test_json_ld_cannot_break_out_of_its_script(client, make):
    claim = make.claim(quote="</script><script>alert(1)</script>")
    page = get(client, claim.get_absolute_url())
    assert "<script>alert(1)" not in page
    assert "\\u003C/script\\u003E" in page


def test_retracted_claim_stays_at_its_url_with_a_notice(client, make):
    claim = make.claim(status=Claim.Status.RETRACTED)
    page = get(client, claim.get_absolute_url())
    assert "This fact check has been retracted" in page
    assert "We could not verify the quote." in page
    assert "This fact check has been retracted. We could not verify the quote." in page  # JSON-LD
    assert '"alternateName": "Retracted (False)"' in page


def test_wrong_or_missing_slug_redirects_permanently(client, case):
    for url in (f"/claims/{case.pk}/", f"/claims/{case.pk}/old-slug/"):
        response = client.get(url)
        assert response.status_code == 301
        assert response["Location"] == case.get_absolute_url()


@pytest.mark.parametrize("status", [Claim.Status.DRAFT, Claim.Status.IN_REVIEW])
def test_unpublished_claims_are_not_found(client, make, status):
    claim = make.claim(status=status)
    response = client.get(claim.get_absolute_url())
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()  # styled like the site


def test_unknown_ids_and_slugs_get_the_site_404(client, case):
    for url in ("/claims/99999/x/", "/claimants/nobody/", "/sources/99999/", "/topics/nope/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Browse all claims" in response.content.decode()


def test_claim_page_answers_conditional_requests(client, case):
    first = client.get(case.get_absolute_url())
    etag = first["ETag"]
    assert "public" in first["Cache-Control"]
    again = client.get(case.get_absolute_url(), headers={"If-None-Match": etag})
    assert again.status_code == 304
    evidence = case.evidence.first()
    evidence.excerpt = "A corrected excerpt."
    evidence.save()
    changed = client.get(case.get_absolute_url(), headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert "A corrected excerpt." in changed.content.decode()


def test_a_renamed_source_or_claimant_is_never_answered_304(client, case):
    for renamed in (case.source, case.claimant):
        etag = client.get(case.get_absolute_url())["ETag"]
        if renamed is case.source:
            renamed.title = "A renamed report"
        else:
            renamed.name = "A renamed claimant"
        renamed.save()
        changed = client.get(case.get_absolute_url(), headers={"If-None-Match": etag})
        assert changed.status_code == 200
        assert "A renamed" in changed.content.decode()


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def cold_queries(client, url):
    """Queries of a claim page rendered from nothing: no cached page, evidence column or
    rating scale (what the first reader after a write gets)."""
    cache.clear()
    return queries(client, url)


@pytest.mark.parametrize("evidence", [1, 100])
def test_claim_page_costs_at_most_six_queries_whatever_its_evidence(
    client, make, evidence, django_assert_max_num_queries
):
    # The claim (flagged), topics, evidence, the byline's workflow steps, and once per cache
    # generation the rating scale and the organization (ClaimReview's author).
    claim = make.claim(evidence=evidence)
    cache.clear()
    with django_assert_max_num_queries(6):
        page = client.get(claim.get_absolute_url())
    assert page.content.decode().count('<li class="evidence">') == evidence


def test_claim_page_costs_the_same_queries_for_1_or_100_evidence_in_an_exchange(client, make):
    small = make.claim(evidence=1)
    big = make.claim(evidence=100)
    for claim in (small, big):
        Counterclaim.objects.create(original=claim, response=make.claim())
    small_url, big_url = small.get_absolute_url(), big.get_absolute_url()
    assert cold_queries(client, small_url) == cold_queries(client, big_url) == 7


def test_claim_page_reads_what_it_shows_from_the_cache_until_the_claim_changes(client, make):
    claim = make.claim(evidence=3)
    url = claim.get_absolute_url()
    assert cold_queries(client, url) == 6
    # Another address of the same page (a tracking parameter) misses the page's cache but not
    # what the page shows, kept per version of the claim: no query at all.
    assert queries(client, f"{url}?utm_source=feed") == 0
    again = client.get(f"{url}?utm_source=mail")
    assert again["X-Cache"] == "miss"
    assert again.content.decode().count('<li class="evidence">') == 3
    evidence = claim.stance_links.first().evidence
    evidence.excerpt = "A corrected excerpt."
    evidence.save()
    assert "A corrected excerpt." in client.get(f"{url}?utm_source=mail").content.decode()


def test_claim_page_from_its_kept_rows_is_the_page_rendered_whole(client, make, settings):
    # With all a claim page can show: evidence, an exchange, a correction, a public tie.
    claim = make.claim(evidence=4, claimant=make.actor(kind=Actor.Kind.PERSON))
    Counterclaim.objects.create(original=claim, response=make.claim())
    claim.record_correction("The ruling was reworded.", ["ruling"])
    agency = make.claim().claimant
    Affiliation.objects.create(person=claim.claimant, organization=agency, role="spokesperson")
    url = claim.get_absolute_url()
    client.get(url)
    cached = client.get(f"{url}?again=1").content.decode()
    assert "The ruling was reworded." in cached and f"spokesperson, {agency.name}" in cached
    settings.PUBLIC_CACHE_SECONDS = 0  # no cache of any kind: rendered whole
    assert client.get(f"{url}?again=1").content.decode() == cached


def test_a_claim_without_corrections_exchange_or_affiliations_asks_nothing_of_them(client, make):
    plain, full = make.claim(), make.claim(claimant=make.actor(kind=Actor.Kind.PERSON))
    Counterclaim.objects.create(original=full, response=make.claim())
    full.record_correction("The ruling was reworded.", ["ruling"])
    agency = make.claim().claimant
    Affiliation.objects.create(person=full.claimant, organization=agency, role="spokesperson")
    # The claim (flagged), topics, evidence, the byline's workflow steps, the rating scale,
    # the organization.
    assert cold_queries(client, plain.get_absolute_url()) == 6
    # And the corrections, the exchange, the claimant's public affiliations.
    assert cold_queries(client, full.get_absolute_url()) == 9
    page = client.get(full.get_absolute_url()).content.decode()
    assert "The ruling was reworded." in page and "Answered by" in page
    assert f"spokesperson, {agency.name}" in page


def test_lists_cost_the_same_queries_for_5_or_50_claims(
    client, make, django_assert_max_num_queries
):
    topic = make.topic()
    claimant = make.actor()
    for _ in range(5):
        make.claim(topics=[topic], claimant=claimant)
    urls = [
        "/",
        "/claims/",
        "/claims/?q=quoted",
        f"/topics/{topic.slug}/",
        f"/claimants/{claimant.slug}/",
        reverse("feeds:latest"),
    ]
    few = {url: queries(client, url) for url in urls}
    for _ in range(45):
        make.claim(topics=[topic, make.topic()], claimant=claimant, evidence=2)
    for url in urls:
        with django_assert_max_num_queries(few[url]):
            client.get(url)


def test_claimant_page_lists_claims_and_draws_the_verdict_chart(client, case, make):
    page = get(client, reverse("claims:actor", args=[case.claimant.slug]))
    assert case.summary in page
    assert 'role="img" aria-label="False: 1, Mostly false: 0' in page
    assert "Officers Union" in page
    agency_page = get(client, reverse("claims:actor", args=["border-agency"]))
    assert "https://www.wikidata.org/wiki/Q1" in agency_page


def test_no_public_page_names_whom_only_a_draft_knows(client, case, make):
    """A person known only from a draft, affiliated to a public organization, is named
    nowhere public (not on the organization's page either) until the draft is published; nor
    is an organization known only from a draft that a public person is affiliated to."""
    union = Actor.objects.get(name="Officers Union")
    person = make.actor(name="Zelmo Person", kind=Actor.Kind.PERSON)
    Affiliation.objects.create(person=person, organization=union, role="treasurer")
    draft = make.claim(status=Claim.Status.IN_REVIEW, claimant=person)
    coalition = make.claim(status=Claim.Status.DRAFT, claimant=make.actor(name="Zelmo Coalition"))
    Affiliation.objects.create(person=case.claimant, organization=coalition.claimant)
    union_page = reverse("claims:actor", args=[union.slug])
    for url in (
        union_page,
        reverse("claims:actor", args=[case.claimant.slug]),
        case.get_absolute_url(),
        reverse("feeds:actor", args=[union.slug]),
        reverse("feeds:latest"),
        "/sitemap.xml",
        "/api/v1/actors/",
        f"/api/v1/actors/{union.pk}/",
        f"/api/v1/claims/{case.pk}/",
    ):
        assert "Zelmo" not in get(client, url), url
    assert "Pat Example" in get(client, union_page)  # the public member still is
    for actor in (person, coalition.claimant):
        assert client.get(reverse("claims:actor", args=[actor.slug])).status_code == 404
    draft.publish()
    assert "Zelmo Person</a>, treasurer" in get(client, union_page)


def test_source_page_shows_claims_quoted_and_evidence_drawn(client, case):
    article = case.source.via
    page = get(client, reverse("claims:source", args=[article.pk, article.slug]))
    assert "Inspectors found expired food." in page
    assert "Documents it reports" in page
    letter = case.source
    page = get(client, reverse("claims:source", args=[letter.pk, letter.slug]))
    assert case.summary in page
    assert "A letter published by Officers Union" in page


def test_sources_show_titles_as_given_and_describe_untitled_ones(client, make):
    article = make.source(title="Agency Defends Its Record")
    letter = make.source(title="letter to the American public", kind="letter", via=article)
    report = make.source(
        title="", kind="government_report", via=article, publisher=make.actor(name="The OIG")
    )
    claim = make.claim(source=letter, evidence=0, status=Claim.Status.DRAFT)
    StanceLink.objects.create(claim=claim, evidence=make.evidence(source=report), stance="refutes")
    claim.submit_for_review()
    claim.publish()
    page = " ".join(get(client, claim.get_absolute_url()).split())
    # A title as the source gives it, upright in quotation marks; never in the case we like.
    assert '<cite class="source-title">“letter to the American public”</cite>' in page
    assert '<cite class="source-title">“Agency Defends Its Record”</cite>' in page
    # An untitled document is described in plain words, which no reader takes for a title.
    assert (
        '<span class="source-description">A government report published by The OIG</span>' in page
    )
    assert "Untitled" not in page and "<cite>" not in page
    page = get(client, reverse("claims:source", args=[report.pk, report.slug]))
    assert '<h1><span class="source-description">A government report published by' in page


def test_topic_methodology_about_pages(client, case):
    topic = case.topics.get()
    assert case.summary in get(client, reverse("claims:topic", args=[topic.slug]))
    page = get(client, reverse("trust:methodology"))
    for verdict in Verdict.objects.all():
        assert verdict.label in page and verdict.description in page
    assert "Refutes" in page and "Adds context" in page
    assert "About" in get(client, reverse("trust:about"))


# The list: search, filters, sorting, pagination, htmx


def list_page(client, **params):
    return get(client, reverse("claims:list"), query_params=params)


def test_list_filters_by_topic_claimant_verdict_source_and_dates(client, make):
    topic = make.topic(name="Raids")
    claimant = make.actor(name="Spokesperson")
    source = make.source(title="Press release")
    true = Verdict.objects.get(slug="true")
    a = make.claim(summary="Alpha claim", topics=[topic], said_on="2019-01-10")
    b = make.claim(summary="Bravo claim", claimant=claimant, said_on="2019-06-01")
    c = make.claim(summary="Charlie claim", verdict=true, source=source, said_on="2020-03-01")
    cases = [
        ({"topic": topic.slug}, {a}),
        ({"claimant": claimant.slug}, {b}),
        ({"verdict": "true"}, {c}),
        ({"source": str(source.pk)}, {c}),
        ({"said_after": "2019-05-01"}, {b, c}),
        ({"said_after": "2019-01-01", "said_before": "2019-12-31"}, {a, b}),
    ]
    for params, expected in cases:
        page = list_page(client, **params)
        shown = {claim for claim in (a, b, c) if claim.summary in page}
        assert shown == expected, params


def test_list_sorts(client, make):
    old = make.claim(summary="Said long ago", said_on="2001-01-01")
    new = make.claim(summary="Said recently", said_on="2020-01-01")
    page = list_page(client, sort="said")
    assert page.index(new.summary) < page.index(old.summary)
    page = list_page(client, sort="oldest")
    assert page.index(old.summary) < page.index(new.summary)


def test_invalid_filters_get_a_visible_message_and_the_rest_still_apply(client, make):
    make.claim(summary="Visible claim")
    page = list_page(client, topic="no-such-topic", said_after="yesterday", q="visible")
    assert "Some filters were ignored" in page
    assert "Topic: “no-such-topic” is not the slug or id of a known topic" in page
    assert "Said on or after: “yesterday” is not a date: write it as YYYY-MM-DD" in page
    assert "Visible claim" in page
    page = list_page(client, said_after="2020-02-01", said_before="2020-01-01")
    assert "must not be earlier than" in page


def test_list_takes_iso_dates_only(client, make):
    """``12/03/2025`` is the 3rd of December to some readers and the 12th of March to others:
    the list says so rather than guessing (or silently ignoring it)."""
    march = make.claim(summary="Said in March", said_on="2025-03-12")
    page = list_page(client, said_after="12/03/2025")
    assert "Said on or after: “12/03/2025” is not a date: write it as YYYY-MM-DD" in page
    assert march.summary in page  # the filter was not applied
    assert march.summary not in list_page(client, said_after="2025-03-13")


def test_list_and_api_share_one_vocabulary(client, api_client, make):
    """The same parameters and values on the page and in the API: slugs or ids for who,
    where, what topic and what verdict; said_after and said_before (the page's former
    said_from and said_to still work); an ordering with undated claims last."""
    topic = make.topic(name="Raids")
    agency = make.actor(name="Harbor Agency")
    letter = make.source(title="A letter")
    dated = make.claim(summary="Dated claim", claimant=agency, said_on="2020-01-01")
    undated = make.claim(summary="Undated claim", claimant=agency, topics=[topic], source=letter)
    other = make.claim(summary="Other claim", said_on="2021-06-01")
    cases = [
        ({"claimant": agency.slug}, [undated, dated]),
        ({"claimant": agency.pk}, [undated, dated]),
        ({"topic": topic.pk}, [undated]),
        ({"source": letter.slug}, [undated]),
        ({"verdict": Verdict.objects.get(slug="false").pk}, [other, undated, dated]),
        ({"said_after": "2020-06-01"}, [other]),
        ({"said_from": "2020-06-01"}, [other]),
        ({"ordering": "said_on"}, [dated, other, undated]),
        ({"ordering": "-said_on"}, [other, dated, undated]),
        ({"sort": "said"}, [other, dated, undated]),
    ]
    for params, expected in cases:
        page = list_page(client, **params)
        assert "Some filters were ignored" not in page, params
        shown = sorted(
            (c for c in (dated, undated, other) if c.summary in page),
            key=lambda c: page.index(c.summary),
        )
        assert shown == expected, params
        api = api_client.get("/api/v1/claims/", params).json()["results"]
        assert [row["id"] for row in api] == [claim.pk for claim in expected], params


@pytest.mark.parametrize(
    "params",
    [
        {"q": "a\x00b"},
        {"topic": "\x00"},
        {"claimant": "x\x00"},
        {"source": "\x00"},
        {"verdict": "true\x00"},
        {"said_after": "\x00"},
        {"claimant": "9" * 30},
        {"ordering": "\x00"},
        {"q": "x" * 10_000},
        {"page": "999999"},
        {"page": "-1"},
        {"page": "abc"},
        {"sort": "sideways"},
        {"q": '"unclosed phrase -or | & !'},
    ],
)
def test_hostile_query_strings_never_give_a_server_error(client, make, params):
    make.claim()
    response = client.get(reverse("claims:list"), query_params=params)
    assert response.status_code == 200


def test_search_finds_quote_summary_and_claimant(client, make):
    make.claim(quote="Detention beds were overflowing", summary="Beds claim")
    make.claim(claimant=make.actor(name="Harbor Union"), summary="Union claim")
    make.claim(summary="Unrelated claim")
    page = list_page(client, q="detention")
    assert "Beds claim" in page and "Unrelated claim" not in page
    page = list_page(client, q="harbor")
    assert "Union claim" in page and "Beds claim" not in page


def test_search_ranks_and_understands_web_search_syntax(make):
    best = make.claim(quote="Detention detention centers", summary="Detention twice")
    other = make.claim(quote="Officers said detention was rare", summary="Once")
    make.claim(quote="Detention centres closed", summary="Closed", claimant=make.actor())
    found = list(Claim.objects.published().search("detention").order_by("-search_rank"))
    assert found[0] == best and other in found
    assert best not in Claim.objects.published().search('"officers said"')
    assert other not in Claim.objects.published().search("detention -officers")
    assert set(Claim.objects.published().search("rare or twice")) == {best, other}


def test_htmx_request_gets_only_the_results(client, make):
    make.claim(summary="Fragment claim")
    response = client.get(reverse("claims:list"), {"q": "fragment"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="results"')
    assert "<html" not in page and "Fragment claim" in page


def test_pagination_keeps_the_filters(client, make):
    topic = make.topic()
    for _ in range(25):
        make.claim(topics=[topic])
    page = list_page(client, topic=topic.slug)
    assert f"?topic={topic.slug}&amp;page=2" in page
    assert "Page 1 of 2" in page


# Feeds, sitemap, robots

ATOM = "{http://www.w3.org/2005/Atom}"


def test_atom_feeds_list_published_claims(client, case):
    for url in (
        reverse("feeds:latest"),
        reverse("feeds:topic", args=[case.topics.get().slug]),
        reverse("feeds:actor", args=[case.claimant.slug]),
    ):
        response = client.get(url)
        assert response["Content-Type"].startswith("application/atom+xml")
        feed = ET.fromstring(response.content)
        titles = [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")]
        assert f"False: {case.summary}" in titles, url


def test_sitemap_lists_every_public_page(client, case):
    index = ET.fromstring(client.get("/sitemap.xml").content)
    urls = set()
    for section in (loc.text for loc in index.iter() if loc.tag.endswith("loc")):
        response = client.get(section.removeprefix("http://testserver"))
        urls |= {
            loc.text for loc in ET.fromstring(response.content).iter() if loc.tag.endswith("loc")
        }
    assert f"http://testserver{case.get_absolute_url()}" in urls
    assert f"http://testserver{reverse('claims:actor', args=[case.claimant.slug])}" in urls
    assert f"http://testserver{reverse('claims:topic', args=[case.topics.get().slug])}" in urls
    letter = case.source
    assert f"http://testserver{reverse('claims:source', args=[letter.pk, letter.slug])}" in urls
    for url in urls:
        assert client.get(url.removeprefix("http://testserver")).status_code == 200, url


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


def test_templates_escape_what_editors_type(client, make):
    claim = make.claim(
        quote="<img src=x onerror=alert(1)>",
        summary="<b>bold</b>",
        claimant=make.actor(name="<script>x</script>"),
    )
    page = get(client, claim.get_absolute_url())
    assert "<img src=x" not in page and "<b>bold</b>" not in page
    assert "<script>x</script>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_shared_evidence_is_listed_once_on_its_source_page(client, make):
    claim_a, claim_b = (
        make.claim(evidence=0, status=Claim.Status.IN_REVIEW),
        make.claim(evidence=0, status=Claim.Status.IN_REVIEW),
    )
    source = make.source(title="Inspection report")
    shared = Evidence.objects.create(excerpt="Shared finding.", source=source)
    for claim in (claim_a, claim_b):
        StanceLink.objects.create(claim=claim, evidence=shared, stance="refutes")
        claim.publish()
    page = get(client, reverse("claims:source", args=[source.pk, source.slug]))
    assert page.count("Shared finding.") == 1


NOT_WEB = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\nscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/",
    "ftp://example.org/file",
    "",
    None,
]


@pytest.mark.parametrize("value", NOT_WEB)
def test_web_url_filter_drops_what_is_not_a_web_address(value):
    assert web_url(value) == ""


@pytest.mark.parametrize(
    "value", ["http://example.org/a", "https://example.org/a?b=c#d", "HTTPS://EXAMPLE.ORG/"]
)
def test_web_url_filter_keeps_web_addresses(value):
    assert web_url(value) == value


def hrefs(html):
    return re.findall(r'href="([^"]*)"', html)


def test_stored_links_are_linked_only_when_they_are_web_addresses():
    """Rows the database would refuse today, as if stored before it did: not one link runs
    script or is empty; web addresses are linked."""
    bad = "javascript:alert(1)"
    source = Source(pk=1, slug="s", title="T", kind=Source.Kind.WEBSITE, url=bad, archive_url=bad)
    actor = Actor(pk=1, slug="a", name="A", kind=Actor.Kind.PERSON, same_as=[bad])
    pages = [
        render_to_string("claims/includes/source_link.html", {"source": source}),
        render_to_string("claims/source_detail.html", {"source": source}),
        render_to_string("claims/actor_detail.html", {"actor": actor}),
    ]
    for page in pages:
        assert all(href.startswith(("/", "#")) for href in hrefs(page)), page
    assert "original" not in pages[0] and "archived copy" not in pages[0]
    good = "https://example.org/a"
    source.url, source.archive_url, actor.same_as = good, good, [good]
    assert (
        hrefs(render_to_string("claims/includes/source_link.html", {"source": source})).count(good)
        == 2
    )
    assert hrefs(render_to_string("claims/source_detail.html", {"source": source})).count(good) == 2
    assert good in hrefs(render_to_string("claims/actor_detail.html", {"actor": actor}))


def test_a_quote_with_its_own_quotation_marks_is_not_wrapped_again(client, make):
    inner = make.claim(quote="Facilities beat most local jails and prisons.”", summary="Inner")
    plain = make.claim(quote="Facilities beat jails.", summary="Plain")
    for url in ("/", "/claims/", "/claims/?q=facilities", reverse("feeds:latest")):
        page = re.sub("</?mark>", "", get(client, url))
        # (PostgreSQL's search snippets end at the last word, without its punctuation.)
        assert "””" not in page and "prisons" in page, url
        assert re.search("“Facilities beat jails.?”", page), url
    assert "prisons.””" not in get(client, inner.get_absolute_url())
    assert "“Facilities beat jails.”" in get(client, plain.get_absolute_url())


def test_cards_say_when_a_claim_was_said_and_when_it_was_checked(client, make):
    make.claim(summary="Dated", said_on=datetime.date(2017, 11, 14))
    make.claim(summary="Undated")
    checked = timezone.localdate().strftime("%-d %B %Y")
    for url in ("/", "/claims/"):
        page = " ".join(get(client, url).split())
        assert 'said <time datetime="2017-11-14">14 November 2017</time>' in page, url
        assert "date said not given" in page, url
        assert "checked <time datetime=" in page and f">{checked}</time>" in page, url


def test_claim_page_has_a_byline_from_the_workflow(client, make, fact_checker, editor):
    fact_checker.first_name, fact_checker.last_name = "Pat", "Checker"
    fact_checker.save()
    claim = make.claim(status=Claim.Status.DRAFT)
    claim.submit_for_review(by=fact_checker)
    claim.send_back_to_draft(by=editor, note="More evidence")
    claim.submit_for_review(by=fact_checker)
    claim.publish(by=editor)  # an editor without a full name: never shown by username
    page = " ".join(get(client, claim.get_absolute_url()).split())
    today = timezone.localdate().strftime("%-d %B %Y")
    assert "Checked by Pat Checker, <time" in page and "reviewed and published by a member" in page
    # (ClaimReview names the reviewer under the key "editor", the editor's username here.)
    assert f">{today}</time>" in page
    assert editor.username not in page.replace('"editor":', "")
    # The byline is kept in the cache with the page's rows: nothing of the users but names.
    kept = pickle.dumps(claim.byline())
    assert fact_checker.password.encode() not in kept and b"pbkdf2" not in kept
    assert fact_checker.email.encode() not in kept and b"Checker" in kept
    imported = make.claim()  # the system's steps (demo data, imports) name nobody
    page = " ".join(get(client, imported.get_absolute_url()).split())
    assert "· reviewed and published <time" in page and "imported: no person recorded" in page


def test_the_list_address_holds_only_the_filters_in_use(client, make):
    topic = make.topic()
    make.claim(topics=[topic], summary="Topical claim")
    # A plain submission (no JavaScript) sends every field: redirected without the empty ones.
    response = client.get("/claims/?q=&topic=" + topic.slug + "&claimant=&said_from=&sort=")
    assert response.status_code == 302 and response["Location"] == f"/claims/?topic={topic.slug}"
    assert client.get("/claims/?q=+&topic=")["Location"] == "/claims/"
    # The form's htmx request gets the fragment, and the address to push.
    response = client.get(
        "/claims/?q=&topic=" + topic.slug + "&verdict=", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and "Topical claim" in response.content.decode()
    assert response["HX-Push-Url"] == f"/claims/?topic={topic.slug}"
    assert "HX-Request" in response["Vary"]
    # htmx restoring a page missing from its history cache needs the whole page.
    response = client.get(
        f"/claims/?topic={topic.slug}",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.content.decode()


def test_date_filters_say_the_format_they_take(client):
    page = get(client, "/claims/")
    assert 'type="date"' not in page  # a browser's picker shows its locale's format
    assert 'placeholder="YYYY-MM-DD"' in page
    assert 'aria-describedby="id_said_after_helptext"' in page
    assert '<span class="help" id="id_said_after_helptext">YYYY-MM-DD' in page


def test_every_page_has_a_favicon(client):
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in get(client, "/")
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.svg"


def test_every_page_names_the_site_in_its_header_and_footer_as_the_settings_say(
    client, make, settings
):
    # The header and footer are rendered once per process (templates/base.html): a page
    # rendered before the name changed must not lend the next one its old name.
    claim = make.claim()
    for name in ("First Desk", "Second Desk"):
        settings.SITE_NAME = name
        cache.clear()  # the public cache would answer the second request with the first
        page = client.get(claim.get_absolute_url()).content.decode()
        header = page.split('<header class="site-header">')[1].split("</header>")[0]
        footer = page.split('<footer class="site-footer">')[1].split("</footer>")[0]
        assert f'<a class="brand" href="/">{name}</a>' in header
        assert f"<p>{name} shows each claim" in footer
        assert 'href="/claims/"' in header and 'href="/corrections/"' in footer
