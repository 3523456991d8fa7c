"""One rule for absolute URLs (config/site.py): in answer to a request, the address it came
to; SITE_URL only where there is no request. A site served on another port than SITE_URL
names (``make run PORT=8104``, a staging host) links to itself everywhere."""

import json
import re

from django.urls import reverse

from claims.claimreview import claim_review

SERVED = "http://127.0.0.1:8104"


def test_every_absolute_url_names_the_address_served(client, make, settings):
    settings.SITE_URL = "https://facts.example.org"  # another address than the one served
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    claim = make.claim(topics=[make.topic(name="Detention")])

    def get(url, **params):
        response = client.get(url, params, HTTP_HOST="127.0.0.1:8104")
        assert response.status_code == 200, url
        return response.content.decode()

    page = get(claim.get_absolute_url())
    markup = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    review = json.loads(markup.group(1))
    assert review["url"] == SERVED + claim.get_absolute_url()
    assert review["author"]["url"] == SERVED + "/"
    api = json.loads(get(f"/api/v1/claims/{claim.pk}/"))
    assert api["url"].startswith(SERVED) and api["page_url"] == review["url"]
    export = json.loads(get(f"/api/v1/claims/{claim.pk}/claimreview/"))
    assert export["author"]["url"] == SERVED + "/"
    search = json.loads(get("/api/v1/claims:search", query="Quoted"))
    (found,) = search["claims"][0]["claimReview"]
    assert found["url"] == review["url"]
    assert found["publisher"]["site"] == "127.0.0.1"
    for url in (reverse("feeds:latest"), "/sitemap.xml"):
        written = re.findall(r"https?://[^\s\"'<>]+", get(url))
        ours = [link for link in written if "sitemaps.org" not in link and "w3.org" not in link]
        assert ours and all(link.startswith(SERVED) for link in ours), url


def test_without_a_request_site_url(make, settings):
    settings.SITE_URL = "https://facts.example.org/"
    claim = make.claim()
    review = claim_review(claim)
    assert review["url"] == f"https://facts.example.org{claim.get_absolute_url()}"
    assert review["author"]["url"] == "https://facts.example.org/"
