"""Pages that list choices stay small when the archive is large."""

import re

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.filters import SlugOrIdField
from claims.models import Claim, Verdict


def test_claimant_and_source_selects_are_bounded_but_any_choice_filters(client, make, monkeypatch):
    monkeypatch.setattr(SlugOrIdField, "max_choices", 3)
    claims = [make.claim(claimant=make.actor(name=f"Claimant {n:02}")) for n in range(6)]
    last = claims[-1].claimant  # not among the first three, alphabetically
    page = client.get(reverse("claims:list")).content.decode()
    select = re.search(r'<select name="claimant".*?</select>', page, re.S).group(0)
    assert select.count("<option") == 4  # "Anyone" and three
    page = client.get(reverse("claims:list"), {"claimant": last.slug}).content.decode()
    select = re.search(r'<select name="claimant".*?</select>', page, re.S).group(0)
    assert f'value="{last.slug}" selected' in select
    assert f">{claims[-1].summary}<" in page and f">{claims[0].summary}<" not in page


def add_published_claims(n, **fields):
    """``n`` published claims in one insert (what a page shows of them, no evidence)."""
    verdict = Verdict.objects.get(slug="false")
    Claim.objects.bulk_create(
        Claim(
            quote=f"Bulk quote {i}.",
            summary=f"Bulk claim {i}",
            slug=f"bulk-claim-{i}",
            verdict=verdict,
            ruling="A ruling.",
            status=Claim.Status.PUBLISHED,
            published_at=timezone.now(),
            **fields,
        )
        for i in range(n)
    )


@pytest.mark.parametrize("kind", ["claimant", "source"])
def test_claimant_and_source_pages_cost_the_same_for_5_or_500_claims(
    client, make, kind, settings, django_assert_max_num_queries
):
    settings.PUBLIC_CACHE_SECONDS = 0
    few, many = make.claim(), make.claim()
    for claim, n in ((few, 4), (many, 499)):
        add_published_claims(n, claimant=claim.claimant, source=claim.source)

    def url(claim):
        if kind == "claimant":
            return reverse("claims:actor", args=[claim.claimant.slug])
        return reverse("claims:source", args=[claim.source.pk, claim.source.slug])

    with CaptureQueriesContext(connection) as small:
        page = client.get(url(few)).content.decode()
    assert page.count('class="claim-card"') == 5 and "Page 1 of" not in page
    with django_assert_max_num_queries(len(small)):
        page = client.get(url(many), {"page": 3}).content.decode()
    assert page.count('class="claim-card"') == 20 and "Page 3 of 25" in page
    assert "(500)" in page


def test_counts_of_thousands_are_printed_with_a_separator(client, make):
    claim = make.claim(topics=[make.topic(name="Ports")])
    add_published_claims(1_233, claimant=claim.claimant, source=claim.source)
    topic = claim.topics.get()
    Claim.topics.through.objects.bulk_create(
        Claim.topics.through(claim_id=pk, topic=topic)
        for pk in Claim.objects.exclude(pk=claim.pk).values_list("pk", flat=True)
    )
    pages = {
        "claimant": reverse("claims:actor", args=[claim.claimant.slug]),
        "source": reverse("claims:source", args=[claim.source.pk, claim.source.slug]),
        "topic": reverse("claims:topic", args=[topic.slug]),
        "list": reverse("claims:list"),
    }
    shown = {name: client.get(url).content.decode() for name, url in pages.items()}
    assert "Claims we checked (1,234)" in shown["claimant"]
    assert "False: 1,234" in shown["claimant"]  # the verdict chart, and its text alternative
    assert "Claims quoted from it (1,234)" in shown["source"]
    assert "1,234 claims" in shown["topic"] and "1,234 claims" in shown["list"]
    # Page numbers too (no database: 25,000 rows would move every test's ids on PostgreSQL).
    page = Paginator(range(25_000), 20).page(1_001)
    pagination = render_to_string("claims/includes/pagination.html", {"page": page})
    assert "Page 1,001 of 1,250" in pagination
