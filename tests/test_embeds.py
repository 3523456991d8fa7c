"""Fact checks that travel (issue 17): the embeddable claim card, oEmbed, and the Atom feeds
per verdict and per language."""

import xml.etree.ElementTree as ET

import pytest

from claims.models import Claim, StanceLink, Verdict

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors {}; form-action 'self'"
)


def card_url(claim):
    return f"/embed/claims/{claim.pk}/"


def test_card_shows_claim_verdict_strongest_evidence_and_a_link_back(client, make):
    claim = make.claim(
        evidence=0,
        summary="Agency says all is well",
        quote="All is well.",
        status=Claim.Status.IN_REVIEW,
    )
    for position, (stance, excerpt) in enumerate(
        [("supports", "A report praised it."), ("refutes", "Inspectors found mould.")]
    ):
        StanceLink.objects.create(
            claim=claim, evidence=make.evidence(excerpt=excerpt), stance=stance, position=position
        )
    claim.publish()
    page = client.get(card_url(claim)).content.decode()
    assert "Agency says all is well" in page and "“All is well.”" in page
    assert "False</span>" in page
    # Refuting evidence first, whatever the editor's order among stances.
    assert "Inspectors found mould." in page and "A report praised it." not in page
    assert f'href="http://testserver{claim.get_absolute_url()}" target="_blank"' in page
    assert "<script" not in page


def test_only_published_claims_have_cards(client, make):
    for status in (Claim.Status.DRAFT, Claim.Status.IN_REVIEW):
        assert client.get(card_url(make.claim(status=status))).status_code == 404
    assert client.get("/embed/claims/999999/").status_code == 404
    retracted = make.claim(status=Claim.Status.RETRACTED)
    assert "has been retracted" in client.get(card_url(retracted)).content.decode()


def test_only_the_card_may_be_framed_and_a_cache_hit_keeps_that(client, make, settings):
    claim = make.claim()
    first, hit = client.get(card_url(claim)), client.get(card_url(claim))
    assert (first["X-Cache"], hit["X-Cache"]) == ("miss", "hit")
    for response in (first, hit):
        assert response["Content-Security-Policy"] == POLICY.format("*")
        assert "X-Frame-Options" not in response
    for path in (claim.get_absolute_url(), "/", "/about/", "/oembed?url=x"):
        response = client.get(path)
        assert response["Content-Security-Policy"] == POLICY.format("'none'"), path
        assert response["X-Frame-Options"] == "DENY", path


def test_frame_ancestors_come_from_the_setting(client, make, settings):
    settings.EMBED_FRAME_ANCESTORS = ["https://news.example.org", "'self'"]
    response = client.get(card_url(make.claim()))
    assert response["Content-Security-Policy"] == POLICY.format("https://news.example.org 'self'")


def test_card_costs_the_same_queries_whatever_its_evidence(
    client, make, django_assert_max_num_queries
):
    for evidence in (1, 30):
        claim = make.claim(evidence=evidence)
        with django_assert_max_num_queries(3):
            assert client.get(card_url(claim)).status_code == 200


def oembed(client, **params):
    return client.get("/oembed", params)


def test_claim_pages_advertise_their_oembed(client, make):
    claim = make.claim()
    page = client.get(claim.get_absolute_url()).content.decode()
    assert (
        '<link rel="alternate" type="application/json+oembed" href="http://testserver/oembed?url='
        in page
    )
    href = page.split('type="application/json+oembed" href="')[1].split('"')[0]
    answer = client.get(href.replace("&amp;", "&").removeprefix("http://testserver"))
    assert answer.status_code == 200 and answer.json()["type"] == "rich"


def test_oembed_answers_rich_with_the_card_in_an_iframe(client, make):
    claim = make.claim(summary='Says "all" <is> well')
    answer = oembed(client, url=f"http://testserver{claim.get_absolute_url()}", format="json")
    assert answer["Content-Type"] == "application/json"
    data = answer.json()
    assert data["version"] == "1.0" and data["type"] == "rich"
    assert data["provider_name"] == "Counterclaim"
    assert (data["width"], data["height"]) == (560, 400)
    assert data["html"].startswith(
        f'<iframe src="http://testserver/embed/claims/{claim.pk}/" width="560" height="400" '
        'title="Fact check: Says &quot;all&quot; &lt;is&gt; well"'
    )
    # The address without its slug, and the card's own address, are the same claim.
    for url in (f"/claims/{claim.pk}/", f"/embed/claims/{claim.pk}/"):
        assert oembed(client, url=f"http://testserver{url}").json()["html"] == data["html"]


def test_oembed_respects_maxwidth_and_maxheight(client, make):
    url = f"http://testserver{make.claim().get_absolute_url()}"
    data = oembed(client, url=url, maxwidth="320", maxheight="900").json()
    assert (data["width"], data["height"]) == (320, 400)
    assert 'width="320" height="400"' in data["html"]
    for bad in ("0", "-5", "wide", "1.5"):
        response = oembed(client, url=url, maxwidth=bad)
        assert response.status_code == 400 and b"positive whole numbers" in response.content


def test_oembed_refuses_drafts_unknown_and_foreign_urls_and_xml(client, make):
    draft = make.claim(status=Claim.Status.DRAFT)
    published = make.claim()
    for url in (
        f"http://testserver{draft.get_absolute_url()}",
        "http://testserver/claims/999999/",
        "http://testserver/about/",
        f"https://elsewhere.example.org{published.get_absolute_url()}",
        f"javascript:alert(1)//testserver{published.get_absolute_url()}",
    ):
        assert oembed(client, url=url).status_code == 404, url
    assert oembed(client).status_code == 400
    url = f"http://testserver{published.get_absolute_url()}"
    assert oembed(client, url=url, format="xml").status_code == 501


def feed_titles(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    root = ET.fromstring(response.content)
    return root.find(f"{ATOM}title").text, [
        entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")
    ]


def test_verdict_feed_has_the_published_claims_rated_so(client, make):
    false = Verdict.objects.get(slug="false")
    rated = make.claim(summary="Rated false", verdict=false)
    make.claim(summary="Rated true", verdict=Verdict.objects.get(slug="true"))
    make.claim(summary="Draft false", verdict=false, status=Claim.Status.DRAFT)
    title, entries = feed_titles(client, "/feeds/verdict/false/")
    assert title == "Counterclaim: claims rated False"
    assert entries == [f"False: {rated.summary}"]
    assert client.get("/feeds/verdict/no-such-verdict/").status_code == 404


def test_language_feed_holds_the_published_claims_in_that_language(client, make):
    spanish = make.claim(summary="En español", language="es")
    mexican = make.claim(summary="En México", language="es-MX")
    make.claim(summary="In English", language="en", source=make.source(language="es"))
    make.claim(summary="Draft in Spanish", language="es", status=Claim.Status.DRAFT)
    title, entries = feed_titles(client, "/feeds/language/es/")
    assert title == "Counterclaim: claims in Spanish (es)"
    assert sorted(entries) == sorted(f"False: {c.summary}" for c in (spanish, mexican))
    assert feed_titles(client, "/feeds/language/ES/")[1] == entries
    assert feed_titles(client, "/feeds/language/es-mx/")[1] == [f"False: {mexican.summary}"]
    # A language only a draft is in has no feed, like one nobody uses.
    make.claim(language="fr", status=Claim.Status.DRAFT)
    assert client.get("/feeds/language/fr/").status_code == 404


def test_feeds_are_linked_from_the_methodology_and_claim_pages(client, make):
    claim = make.claim(language="es")
    methodology = client.get("/methodology/").content.decode()
    for verdict in Verdict.objects.all():
        title = f"Counterclaim: claims rated {verdict.label}"
        link = f'title="{title}" href="/feeds/verdict/{verdict.slug}/"'
        assert f'<link rel="alternate" type="application/atom+xml" {link}>' in methodology
        assert f'<tr id="verdict-{verdict.slug}">' in methodology
    page = client.get(claim.get_absolute_url()).content.decode()
    assert 'href="/feeds/verdict/false/"' in page and 'href="/feeds/language/es/"' in page


def test_a_language_that_is_no_tag_has_no_feed(client, make):
    make.claim(language="en")
    assert client.get("/feeds/language/en..x/").status_code == 404
