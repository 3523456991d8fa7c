"""The demo data set: faithful to the seed articles, and safe to load twice."""

import os
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from claims.models import Appearance, Claim, Counterclaim, Evidence, QuoteCheck
from sources.models import Source

SEEDS = Path(os.environ.get("SEEDS_DIR", Path(__file__).resolve().parents[2] / "shared" / "seeds"))

pytestmark = pytest.mark.django_db


def normalise(text):
    text = re.sub("[\u2018\u2019\u201b\u2032]", "'", text)  # typographic single quotes
    text = re.sub("[\u201c\u201d\u201e\u2033]", '"', text)  # typographic double quotes
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def seed_articles():
    if not SEEDS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"The seed articles are missing: {SEEDS}")
        pytest.skip(f"no seed articles at {SEEDS} (set SEEDS_DIR)")
    return {path.name: normalise(path.read_text(encoding="utf-8")) for path in SEEDS.glob("*.txt")}


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in ("sources", "claims")
    }


def test_loading_twice_changes_nothing(demo):
    before = row_counts()
    updated = dict(Claim.objects.values_list("pk", "updated_at"))
    call_command("load_demo", verbosity=0)
    assert row_counts() == before
    assert dict(Claim.objects.values_list("pk", "updated_at")) == updated


def test_the_claims_said_twice_in_the_articles_have_their_appearances(demo, client):
    care = Claim.objects.get(quote__startswith="Comprehensive medical care")
    assert list(care.appearances.values_list("quote", flat=True)) == [
        "adequate medical care is being provided to all detainees"
    ]
    page = client.get(care.get_absolute_url()).content.decode()
    assert "Said 2 times" in page
    notice = Claim.objects.get(quote__contains="seven days")
    assert notice.appearances.get().quote.startswith("The officers say they have to wait")


def test_demo_covers_all_five_articles(demo, seed_articles):
    articles = Source.objects.filter(kind=Source.Kind.NEWS_ARTICLE, via=None)
    assert articles.count() == len(seed_articles) == 5
    assert Claim.objects.count() >= 20
    assert Claim.objects.published().count() >= 20
    assert Counterclaim.objects.count() >= 2
    assert Evidence.objects.filter(stance_links__isnull=False).distinct().count() >= 10
    for claim in Claim.objects.published():
        assert claim.stance_links.exists(), claim
        assert claim.verdict and claim.ruling, claim


def article_file(source, seed_articles):
    """The seed article a source is, or is known through (found by its stored passage)."""
    article = source.via or source
    matches = [name for name, text in seed_articles.items() if normalise(article.text) in text]
    assert len(matches) == 1, f"{article.label!r} matches seed files {matches}"
    return matches[0]


def test_every_quote_and_excerpt_is_verbatim_in_its_article(demo, seed_articles):
    checked = 0
    for claim in Claim.objects.select_related("source__via"):
        name = article_file(claim.source, seed_articles)
        assert normalise(claim.quote) in seed_articles[name], (name, claim.quote)
        checked += 1
    for evidence in Evidence.objects.select_related("source__via"):
        name = article_file(evidence.source, seed_articles)
        assert normalise(evidence.excerpt) in seed_articles[name], (name, evidence.excerpt)
        checked += 1
    assert checked >= 40
    for appearance in Appearance.objects.select_related("source__via"):
        name = article_file(appearance.source, seed_articles)
        assert normalise(appearance.quote) in seed_articles[name], (name, appearance.quote)
        assert appearance.quote_check == QuoteCheck.MATCH, appearance


def test_source_texts_are_passages_not_whole_articles(demo, seed_articles):
    for source in Source.objects.exclude(text=""):
        name = article_file(source, seed_articles)
        assert normalise(source.text) in seed_articles[name]
        assert len(normalise(source.text)) < len(seed_articles[name])


def test_no_invented_urls_or_dates(demo, seed_articles):
    everything = " ".join(seed_articles.values()).lower()
    for source in Source.objects.exclude(url=""):
        domain = re.sub(r"^https?://(www\.)?", "", source.url).strip("/").lower()
        assert domain in everything, source.url
    for appearance in Appearance.objects.filter(said_on__isnull=False):
        name = article_file(appearance.source, seed_articles)
        date = appearance.said_on
        assert f"{date:%B} {date.day}, {date.year}" in seed_articles[name], appearance
    for source in Source.objects.filter(published_on__isnull=False):
        name = article_file(source, seed_articles)
        date = source.published_on
        assert f"{date:%B} {date.day}, {date.year}" in seed_articles[name], source


def test_a_bad_demo_file_loads_nothing(db, tmp_path):
    bad = tmp_path / "demo.json"
    bad.write_text('{"actors": [{"key": "a", "name": "A", "kind": "person", "same_as": []}]}')
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_demo", file=bad, verbosity=0)
    assert row_counts()["sources.Actor"] == 0
    bad.write_text("{not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("load_demo", file=bad, verbosity=0)
    with pytest.raises(CommandError, match="No demo data file"):
        call_command("load_demo", file=tmp_path / "missing.json", verbosity=0)


def test_local_editor_only_on_the_embedded_database(db, capsys, django_user_model):
    if connection.vendor == "sqlite":
        call_command("create_local_editor")
        assert "log in at /admin/ as editor" in capsys.readouterr().out
        user = django_user_model.objects.get(username="editor")
        assert user.is_staff and not user.is_superuser
        assert user.has_perm("claims.change_claim")
    else:
        with pytest.raises(CommandError, match="only runs on the embedded SQLite"):
            call_command("create_local_editor")


def test_groups_of_people_are_neither_one_person_nor_an_organization(demo):
    from claims.claimreview import claim_review
    from sources.models import Actor

    directors = Actor.objects.get(name__endswith="field office directors")
    assert directors.kind == Actor.Kind.GROUP
    groups = set(Actor.objects.filter(kind=Actor.Kind.GROUP).values_list("name", flat=True))
    assert groups == {
        "ICE Enforcement and Removal Operations field office directors",
        "ICE Homeland Security Investigations special agents in charge",
        "Critics of ICE enforcement tactics (unnamed)",
        "Some law enforcement officers (unnamed)",
    }
    claim = Claim.objects.published().filter(claimant=directors).first()
    assert claim_review(claim)["itemReviewed"]["author"]["@type"] == "Organization"


def test_loading_corrects_the_kind_of_an_actor_loaded_before(demo):
    from sources.models import Actor

    Actor.objects.filter(kind=Actor.Kind.GROUP).update(kind=Actor.Kind.PERSON)
    count = Actor.objects.count()
    call_command("load_demo", verbosity=0)
    assert Actor.objects.count() == count
    assert Actor.objects.filter(kind=Actor.Kind.GROUP).count() == 4
