"""No draft and no claim in review reaches the public, by any path, nor anything only they use.

A crawler starts from the site's entry points (pages, feeds, sitemap, the API's root, the
exports, ``claims:search``) and follows every internal link it finds: hrefs, the filter
form's choices, sitemap locations, and every URL in feeds, JSON and CSV. So a new page or
endpoint is crawled as soon as something public links to it. The unpublished rows' own
addresses are asked for directly, and must not be found."""

import json
import re
from collections import deque
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.urls import reverse

from claims.api.factcheck import site_domain
from claims.models import Claim, Counterclaim, Evidence, StanceLink
from sources.models import Actor, Affiliation

pytestmark = pytest.mark.django_db

MARKER = "zq7leakmarker"


@pytest.fixture
def public(make):
    """A small public site to crawl through: claims by a person and by organizations, a
    document known through an article with a publisher and an author, attributed evidence,
    an exchange, a correction and a retraction."""
    topic = make.topic(name="Public topic")
    agency = make.actor(name="Public Agency")
    paper = make.actor(name="Public Paper")
    spokesperson = make.actor(name="Public Spokesperson", kind=Actor.Kind.PERSON)
    reporter = make.actor(name="Public Reporter", kind=Actor.Kind.PERSON)
    Affiliation.objects.create(person=spokesperson, organization=agency, role="spokesperson")
    article = make.source(title="Public article", publisher=paper, url="https://paper.example/a")
    article.authors.set([reporter])
    letter = make.source(title="", kind="letter", publisher=agency, via=article)
    claims = [
        make.claim(topics=[topic], claimant=agency, source=letter),
        make.claim(topics=[topic], claimant=spokesperson, source=article),
        make.claim(topics=[topic]),
    ]
    Evidence.objects.filter(stance_links__claim=claims[0]).update(author=reporter)
    Counterclaim.objects.create(original=claims[0], response=claims[1], note="Public answer")
    claims[2].record_correction("The ruling was reworded.", ["ruling"])
    make.claim(status=Claim.Status.RETRACTED, topics=[topic])
    return {"agency": agency, "spokesperson": spokesperson, "article": article, "claims": claims}


@pytest.fixture
def unpublished(make, public):
    """Unpublished claims, each with a claimant, a source, a topic and evidence that only they
    use, all marked; and, known only from a draft: a person affiliated to a public
    organization, an organization a public person is affiliated to, a document published by
    one and written by the other and known through a public article, and the draft's links to
    public evidence and to a public claim."""
    hidden = []
    for status in (Claim.Status.DRAFT, Claim.Status.IN_REVIEW):
        claim = make.claim(
            status=status,
            quote=f"{MARKER} quoted words {status}",
            summary=f"{MARKER} summary {status}",
            claimant=make.actor(name=f"{MARKER} claimant {status}"),
            source=make.source(title=f"{MARKER} source {status}"),
            topics=[make.topic(name=f"{MARKER} topic {status}"), public["claims"][0].topics.get()],
            evidence=0,
        )
        StanceLink.objects.create(
            claim=claim,
            evidence=Evidence.objects.create(
                excerpt=f"{MARKER} evidence", source=make.source(title=f"{MARKER} ev source")
            ),
            stance="refutes",
        )
        hidden.append(claim)

    person = make.actor(name=f"{MARKER} person", kind=Actor.Kind.PERSON)
    organization = make.actor(name=f"{MARKER} organization")
    Affiliation.objects.create(
        person=person, organization=public["agency"], role=f"{MARKER} person's role"
    )
    Affiliation.objects.create(
        person=public["spokesperson"], organization=organization, role=f"{MARKER} role"
    )
    document = make.source(
        title="", kind="letter", publisher=organization, via=public["article"], text=MARKER
    )
    document.authors.set([person])
    draft = make.claim(
        status=Claim.Status.DRAFT,
        quote=f"{MARKER} quoted words by a person",
        summary=f"{MARKER} summary by a person",
        claimant=person,
        source=document,
        evidence=0,
    )
    shared = public["claims"][0].stance_links.get().evidence
    StanceLink.objects.create(claim=draft, evidence=shared, stance="supports", note=MARKER)
    Counterclaim.objects.create(original=public["claims"][1], response=draft, note=MARKER)
    hidden.append(draft)
    return hidden


def links(body, base):
    """Internal addresses in a response: hrefs and srcs, every absolute URL of this site (in
    feeds, sitemaps, JSON, CSV), and each choice of a GET form's selects."""
    found = re.findall(r'(?:href|src)="([^"#]*)', body)
    # (A backslash ends one too: in JSON, an address inside a string of HTML, as oEmbed's
    # iframe, is followed by an escaped quote.)
    found += re.findall(r"https?://testserver(/[^\s\"'<>#,\\]*)", body)
    for action, form in re.findall(
        r'<form[^>]*action="([^"]*)"[^>]*method="get"(.*?)</form>', body, re.S
    ):
        for name, options in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
            for value in re.findall(r'<option value="([^"]+)"', options):
                found.append(f"{action}?{urlencode({name: value})}")
    for href in found:
        url = urlsplit(urljoin(base, href.replace("&amp;", "&")))
        internal = url.netloc in ("", "testserver") and url.path.startswith("/")
        if internal and not url.path.startswith(("/admin/", "/static/")):
            yield url.path + (f"?{url.query}" if url.query else "")


def json_ld(page):
    """The JSON-LD blocks of an HTML page."""
    return [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    ]


def entry_points(public):
    """Where a reader or a client starts: the home page, the lists, a search, the feeds, the
    sitemap, the API's root, the exports and Fact Check Tools' search. The rest is found."""
    return [
        "/",
        reverse("claims:list"),
        f"{reverse('claims:list')}?q=words",
        reverse("claims:corrections"),
        reverse("trust:methodology"),
        reverse("trust:about"),
        reverse("feeds:latest"),
        reverse("feeds:corrections"),
        "/sitemap.xml",
        "/robots.txt",
        "/api/v1/",
        "/api/v1/claims/?q=words",
        "/api/v1/claims/csv/",
        "/api/v1/claims/claimreview/",
        *(f"/api/v1/claims/{claim.pk}/claimreview/" for claim in public["claims"]),
        f"{reverse('api:claims-search')}?query=words",
        f"{reverse('api:claims-search')}?reviewPublisherSiteFilter={site_domain()}",
    ]


# Listed in the API's root, but only for a signed-in user or a token: anonymous gets 401.
SIGNED_IN_ONLY = {"/api/v1/tokens/", "/api/v1/webhooks/"}


@pytest.fixture
def unthrottled(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None},
    }


def test_crawling_the_public_site_never_shows_an_unpublished_row(
    client, public, unpublished, unthrottled
):
    start = entry_points(public)
    seen, queue = set(start), deque(start)
    kinds, reviews = set(), []
    while queue:
        url = queue.popleft()
        response = client.get(url)
        assert response.status_code in ((401,) if url in SIGNED_IN_ONLY else (200, 301, 302)), url
        body = response.getvalue().decode()  # streamed or not
        assert MARKER not in body, url
        if response.status_code == 200:
            kinds.add(response["Content-Type"].split(";")[0])
            reviews += json_ld(body)
            for link in set(links(body, url)) - seen:
                seen.add(link)
                queue.append(link)
        elif response.status_code in (301, 302) and response["Location"] not in seen:
            seen.add(response["Location"])
            queue.append(response["Location"])
    # The crawl really walked the site: every kind of page, feed and export, and the API.
    paths = {urlsplit(url).path for url in seen}
    for name, kwargs in [
        ("claims:actor", {"slug": public["agency"].slug}),
        ("claims:source", {"pk": public["article"].pk, "slug": public["article"].slug}),
        ("feeds:actor", {"slug": public["spokesperson"].slug}),
        ("feeds:topic", {"slug": public["claims"][0].topics.get().slug}),
        ("api:actor-detail", {"pk": public["spokesperson"].pk}),
        ("api:source-detail", {"pk": public["article"].pk}),
        ("api:counterclaim-list", {}),
        ("api:stancelink-list", {}),
        ("api:correction-list", {}),
        ("api:verdict-list", {}),
        ("embeds:claim-card", {"pk": public["claims"][0].pk}),
        ("embeds:oembed", {}),
        ("trust:funding", {}),
        ("feeds:verdict", {"slug": public["claims"][0].verdict.slug}),
        ("feeds:language", {"code": public["claims"][0].source.language.lower()}),
    ]:
        assert reverse(name, kwargs=kwargs) in paths, name
    assert any(path.startswith("/topics/") for path in paths)
    assert any(path.startswith("/api/v1/evidence/") for path in paths)
    assert {
        "text/html",
        "application/atom+xml",
        "application/xml",
        "application/json",
        "application/ld+json",
        "text/csv",
    } <= kinds
    assert any("claimant=" in url for url in seen)  # the filter form's choices
    # The JSON-LD of every public claim page (the retracted one's too) was read.
    assert len([r for r in reviews if r["@type"] == "ClaimReview"]) == len(public["claims"]) + 1
    assert len(seen) > 80


def test_direct_urls_of_unpublished_rows_are_not_found(client, unpublished, unthrottled):
    person = Actor.objects.get(name=f"{MARKER} person")
    organization = Actor.objects.get(name=f"{MARKER} organization")
    urls = []
    for actor in (person, organization):
        urls += [
            reverse("claims:actor", args=[actor.slug]),
            reverse("feeds:actor", args=[actor.slug]),
            reverse("api:actor-detail", args=[actor.pk]),
        ]
    for claim in unpublished:
        urls += [
            claim.get_absolute_url(),
            reverse("api:claim-detail", args=[claim.pk]),
            reverse("api:claim-claimreview", args=[claim.pk]),
            reverse("embeds:claim-card", args=[claim.pk]),
            f"{reverse('embeds:oembed')}?url=http://testserver{claim.get_absolute_url()}",
            reverse("claims:actor", args=[claim.claimant.slug]),
            reverse("feeds:actor", args=[claim.claimant.slug]),
            reverse("api:actor-detail", args=[claim.claimant.pk]),
            reverse("claims:source", args=[claim.source.pk, claim.source.slug]),
            reverse("api:source-detail", args=[claim.source.pk]),
        ]
        for link in claim.stance_links.all():
            urls.append(reverse("api:stancelink-detail", args=[link.pk]))
            if not Evidence.objects.published().filter(pk=link.evidence_id).exists():
                source = link.evidence.source
                urls += [
                    reverse("api:evidence-detail", args=[link.evidence_id]),
                    reverse("claims:source", args=[source.pk, source.slug]),
                    reverse("api:source-detail", args=[source.pk]),
                ]
        for link in Counterclaim.objects.filter(response=claim):
            urls.append(reverse("api:counterclaim-detail", args=[link.pk]))
        for topic in claim.topics.filter(name__startswith=MARKER):
            urls += [
                reverse("claims:topic", args=[topic.slug]),
                reverse("feeds:topic", args=[topic.slug]),
                reverse("api:topic-detail", args=[topic.slug]),
            ]
    assert len(urls) > 40
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        assert MARKER not in response.content.decode(), url


def test_filters_by_unpublished_rows_show_nothing(client, unpublished):
    claim = unpublished[0]
    for params in (
        {"q": MARKER},
        {"claimant": claim.claimant.slug},
        {"source": claim.source.pk},
        {"topic": claim.topics.get(name__startswith=MARKER).slug},
    ):
        body = client.get(reverse("claims:list"), params).content.decode()
        # The reader's own words come back (the search box, an unknown value's message:
        # the same as for a value that names nothing at all); nothing else names the row.
        (value,) = (str(value) for value in params.values())
        body = body.replace(f"“{value}”", "").replace(f'value="{value}"', "")
        assert MARKER not in body


def test_api_filters_by_unpublished_rows_find_nothing(client, unpublished):
    """Filtering public rows by an unpublished one tells nothing of it: not even that a public
    piece of evidence also serves a draft, or how."""
    draft = unpublished[-1]
    # Claims' filters refuse what names nothing public, as they refuse what names nothing.
    for name, value in [
        ("claimant", draft.claimant.pk),
        ("claimant", draft.claimant.slug),
        ("source", draft.source.pk),
        ("topic", unpublished[0].topics.get(name__startswith=MARKER).slug),
    ]:
        response = client.get(reverse("api:claim-list"), {name: value})
        nothing = client.get(reverse("api:claim-list"), {name: "no-such-row"})
        assert response.status_code == nothing.status_code == 400, (name, value)
        assert response.json()[name] == [
            message.replace("no-such-row", str(value)) for message in nothing.json()[name]
        ]
    for url, params in [
        ("api:evidence-list", {"claim": draft.pk}),
        ("api:evidence-list", {"stance": "supports"}),
        ("api:stancelink-list", {"claim": draft.pk}),
        ("api:counterclaim-list", {"response": draft.pk}),
        ("api:source-list", {"publisher": draft.source.publisher.pk}),
    ]:
        response = client.get(reverse(url), params)
        assert response.status_code == 200, (url, params)
        assert response.json()["count"] == 0, (url, params)


def test_a_retracted_claim_appears_only_with_its_notice(client, make):
    claim = make.claim(summary=f"{MARKER} retracted summary", status=Claim.Status.RETRACTED)
    notice = "We could not verify the quote."
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "This fact check has been retracted" in page and notice in page
    listing = client.get(reverse("claims:list")).content.decode()
    card = listing[listing.index(claim.summary) :]
    assert card.index('class="badge-retracted">Retracted<') < card.index("</article>")
    assert notice in client.get(reverse("claims:corrections")).content.decode()
    data = client.get(f"/api/v1/claims/{claim.pk}/").json()
    assert (data["status"], data["retraction_note"]) == ("retracted", notice)
    assert data["corrections"][0]["kind"] == "retraction"
    # No ClaimReview is republished for a withdrawn fact check.
    assert client.get(f"/api/v1/claims/{claim.pk}/claimreview/").status_code == 404
    assert MARKER not in client.get("/api/v1/claims/claimreview/").getvalue().decode()
    assert MARKER not in client.get(f"/api/v1/claims:search?query={MARKER}").content.decode()
