"""Appearances: a claim said more than once, by its claimant or someone else, elsewhere, in
other words. Written through ``claims.services`` on every door; shown on the claim page and in
its ClaimReview; never public before the claim is."""

import datetime as dt
import json
import re
from urllib.parse import urlencode

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from claims import services
from claims.claimreview import claim_review
from claims.models import Appearance, Claim, QuoteCheck
from sources.models import Actor, Source

pytestmark = pytest.mark.django_db

TEXT = "On Monday the minister said: the prisons are the best in the country. Nobody agreed."
WORDS = "the prisons are the best in the country"


def appear(make, claim, *, by=None, **fields):
    fields.setdefault("claimant", make.actor(kind=Actor.Kind.PERSON))
    fields.setdefault("source", make.source(url=f"https://news.example/{Source.objects.count()}"))
    fields.setdefault("quote", f"Words said again, number {Appearance.objects.count()}.")
    return services.create_appearance(claim=claim, by=by, **fields)


# The write path: who may record one, and the quote check


def test_a_fact_checker_records_an_appearance_of_a_draft_but_not_of_a_published_claim(
    make, fact_checker, editor
):
    draft = make.claim(status=Claim.Status.DRAFT)
    assert appear(make, draft, by=fact_checker).claim == draft
    published = make.claim()
    with pytest.raises(PermissionDenied, match="only editors"):
        appear(make, published, by=fact_checker)
    assert appear(make, published, by=editor).claim == published
    with pytest.raises(PermissionDenied):
        services.delete_appearance(published.appearances.get(), by=fact_checker)
    services.delete_appearance(published.appearances.get(), by=editor)
    assert not published.appearances.exists()


def test_words_are_checked_against_the_source_and_unmatched_ones_need_an_editors_reason(
    make, fact_checker, editor
):
    source = make.source(text=TEXT)
    draft = make.claim(status=Claim.Status.DRAFT)
    found = appear(make, draft, by=fact_checker, source=source, quote=WORDS)
    assert found.quote_check == QuoteCheck.MATCH
    assert found.quote_selector["exact"] == WORDS
    # A draft may hold unmatched words for now; publishing it then needs a reason.
    appear(make, draft, by=fact_checker, source=source, quote="the prisons are fine")
    draft.submit_for_review()
    with pytest.raises(ValidationError) as refused:
        draft.publish()
    assert "appearances" in refused.value.message_dict
    # On a public claim they show at once: refused without a reason, which only editors give.
    published = make.claim()
    with pytest.raises(ValidationError) as refused:
        appear(make, published, by=editor, source=source, quote="the prisons are fine")
    assert "not found in the source" in refused.value.message_dict["quote"][0]
    unmatched = Appearance(
        claim=make.claim(status=Claim.Status.DRAFT),
        claimant=make.actor(),
        source=source,
        quote="words nowhere",
        quote_override_reason="The broadcast's transcript is not online.",
    )
    with pytest.raises(ValidationError) as refused:
        services.save_appearance(unmatched, by=fact_checker)
    assert "quote_override_reason" in refused.value.message_dict
    kept = appear(
        make,
        published,
        by=editor,
        source=source,
        quote="the prisons are fine",
        quote_override_reason="Said on air; the transcript is not online.",
    )
    assert kept.quote_check == QuoteCheck.NO_MATCH


def test_a_changed_source_text_rechecks_its_appearances_and_touches_the_claim(make, editor):
    claim = make.claim()
    source = make.source()
    appearance = appear(
        make, claim, by=editor, source=source, quote=WORDS, quote_override_reason="No text yet."
    )
    assert appearance.quote_check == QuoteCheck.NO_TEXT
    before = Claim.objects.get(pk=claim.pk).updated_at
    source.text = TEXT
    source.save()
    appearance.refresh_from_db()
    assert appearance.quote_check == QuoteCheck.MATCH
    assert Claim.objects.get(pk=claim.pk).updated_at > before


def test_an_appearance_keeps_history_and_refuses_a_future_date(make, editor):
    appearance = appear(make, make.claim(), by=editor)
    appearance.quote = "Other words."
    services.save_appearance(appearance, by=editor)
    assert [record.history_type for record in appearance.history.all()] == ["~", "+"]
    appearance.said_on = dt.date.today() + dt.timedelta(days=2)
    with pytest.raises(ValidationError) as refused:
        services.save_appearance(appearance, by=editor)
    assert "said_on" in refused.value.message_dict


# The admin: its own page (the suggestion panel's door) and the claim's inline


def test_the_add_form_takes_the_claim_and_words_from_the_address_and_returns_to_the_claim(
    editor_client, make
):
    claim = make.claim()
    url = (
        reverse("admin:claims_appearance_add")
        + "?"
        + urlencode({"claim": claim.pk, "quote": "The prisons are <b>the best</b>."})
    )
    page = editor_client.get(url).content.decode()
    assert f'<option value="{claim.pk}" selected>' in page
    assert "The prisons are &lt;b&gt;the best&lt;/b&gt;.</textarea>" in page
    source, person = make.source(text=TEXT), make.actor(kind=Actor.Kind.PERSON)
    response = editor_client.post(
        url,
        {
            "claim": claim.pk,
            "quote": WORDS,
            "claimant": person.pk,
            "said_on": "2025-03-04",
            "source": source.pk,
            "quote_override_reason": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:claims_claim_change", args=[claim.pk])
    appearance = claim.appearances.get()
    assert (appearance.claimant, appearance.said_on) == (person, dt.date(2025, 3, 4))
    assert appearance.quote_check == QuoteCheck.MATCH
    assert appearance.history.get().history_type == "+"


def test_the_admin_refuses_what_the_rules_refuse(client, fact_checker, editor, make):
    client.force_login(fact_checker)
    published = make.claim()
    data = {
        "claim": published.pk,
        "quote": "Said again.",
        "claimant": make.actor().pk,
        "said_on": "",
        "source": make.source().pk,
    }
    response = client.post(reverse("admin:claims_appearance_add"), data)
    assert response.status_code == 200
    assert "only editors may change it" in response.content.decode()
    # Unmatched words on a public claim: the editor is told on the words' field.
    client.force_login(editor)
    data["source"] = make.source(text=TEXT).pk
    response = client.post(reverse("admin:claims_appearance_add"), data)
    assert "not found in the source" in response.content.decode()
    assert not Appearance.objects.exists()


def test_the_claims_inline_saves_through_the_write_path(editor_client, make):
    from tests.test_editorial import admin_change, posted

    claim = make.claim(status=Claim.Status.DRAFT)
    source, person = make.source(text=TEXT), make.actor()
    data = posted(claim) | {
        "appearances-TOTAL_FORMS": 1,
        "appearances-0-claimant": person.pk,
        "appearances-0-said_on": "2025-01-02",
        "appearances-0-source": source.pk,
        "appearances-0-quote": WORDS,
        "appearances-0-quote_override_reason": "",
    }
    response = editor_client.post(admin_change(claim), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert claim.appearances.get().quote_check == QuoteCheck.MATCH


# Readers: the claim page, the gate, ClaimReview


def test_the_claim_page_says_how_many_times_and_lists_each(client, make, editor):
    claim = make.claim(said_on=dt.date(2025, 2, 1))
    person = make.actor(kind=Actor.Kind.PERSON, name="Ana <Official>")
    source = make.source(title="Evening News", url="https://news.example/evening")
    appear(make, claim, by=editor, claimant=person, source=source, said_on=dt.date(2025, 3, 1))
    appear(make, claim, by=editor, quote="Once more, in <em>other</em> words.")
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Said 3 times" in page
    assert "Ana &lt;Official&gt;" in page and "1 March 2025" in page
    assert reverse("claims:source", args=[source.pk, source.slug]) in page
    assert "Once more, in &lt;em&gt;other&lt;/em&gt; words." in page
    assert "date not given" in page


def test_the_claim_page_costs_one_query_more_whatever_the_number_of_appearances(
    client, make, editor, django_assert_max_num_queries
):
    from tests.test_pages import queries

    plain, once, often = make.claim(), make.claim(), make.claim()
    baseline = queries(client, plain.get_absolute_url())
    appear(make, once, by=editor)
    for _ in range(50):
        appear(make, often, by=editor)
    for claim in (once, often):
        with django_assert_max_num_queries(baseline + 1):
            assert client.get(claim.get_absolute_url()).status_code == 200
    assert "Said 51 times" in client.get(often.get_absolute_url()).content.decode()


def test_a_drafts_appearances_name_nothing_public(client, api_client, make, editor):
    draft = make.claim(status=Claim.Status.DRAFT)
    secret = make.source(title="Secret memo", url="https://news.example/secret")
    whisperer = make.actor(name="Whisperer")
    appearance = appear(make, draft, by=editor, source=secret, claimant=whisperer)
    assert not Appearance.objects.published().exists()
    assert not Source.objects.published().filter(pk=secret.pk).exists()
    assert not Actor.objects.published().filter(pk=whisperer.pk).exists()
    assert client.get(reverse("claims:source", args=[secret.pk, secret.slug])).status_code == 404
    assert api_client.get(f"/api/v1/sources/{secret.pk}/").status_code == 404
    # An editor's preview shows it, as readers will see it once the claim is public.
    client.force_login(editor)
    assert "Secret memo" in client.get(draft.get_preview_url()).content.decode()
    # Once the claim is public, so are the appearance, its source and who said it.
    draft.submit_for_review()
    draft.publish()
    assert list(Appearance.objects.published()) == [appearance]
    assert Source.objects.published().filter(pk=secret.pk).exists()
    assert Actor.objects.published().filter(pk=whisperer.pk).exists()


def test_a_new_appearance_refreshes_the_cached_claim_page(client, make, editor, settings):
    settings.PUBLIC_CACHE_SECONDS = 60
    claim = make.claim()
    assert client.get(claim.get_absolute_url())["X-Cache"] == "miss"
    assert client.get(claim.get_absolute_url())["X-Cache"] == "hit"
    etag = client.get(claim.get_absolute_url())["ETag"]
    appear(make, claim, by=editor, quote="Fresh words.")
    response = client.get(claim.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and "Fresh words." in response.content.decode()


def json_ld(page):
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


def test_claimreview_carries_every_appearance_and_the_first(client, make, editor):
    claim = make.claim(
        said_on=dt.date(2025, 5, 1), source=make.source(url="https://news.example/may")
    )
    minister = make.actor(kind=Actor.Kind.PERSON, name="A Minister")
    earlier = appear(
        make,
        claim,
        by=editor,
        claimant=minister,
        said_on=dt.date(2025, 1, 10),
        source=make.source(url="https://radio.example/jan", title="Morning show"),
    )
    appear(make, claim, by=editor, source=make.source(url=""))  # no address: not a link
    item = claim_review(Claim.objects.get(pk=claim.pk))["itemReviewed"]
    assert [work["url"] for work in item["appearance"]] == [
        "https://news.example/may",
        "https://radio.example/jan",
    ]
    first = item["firstAppearance"]
    assert first == {
        "@type": "CreativeWork",
        "url": "https://radio.example/jan",
        "headline": "Morning show",
        "author": {"@type": "Person", "name": "A Minister"},
        "datePublished": earlier.said_on.isoformat(),
    }
    page = client.get(claim.get_absolute_url()).content.decode()
    assert json_ld(page)["itemReviewed"] == item


def test_claimreview_exports_carry_appearances_in_bounded_queries(
    api_client, make, editor, django_assert_max_num_queries
):
    claims = [make.claim(source=make.source(url=f"https://news.example/{n}")) for n in range(3)]
    for claim in claims:
        for _ in range(3):
            appear(make, claim, by=editor)
    one = api_client.get(f"/api/v1/claims/{claims[0].pk}/claimreview/").json()
    assert len(one["itemReviewed"]["appearance"]) == 4
    with django_assert_max_num_queries(8):
        streamed = b"".join(api_client.get("/api/v1/claims/claimreview/").streaming_content)
    reviews = json.loads(streamed)
    assert [len(review["itemReviewed"]["appearance"]) for review in reviews] == [4, 4, 4]


# The matcher: an appearance's words find its claim


def test_a_text_that_repeats_an_appearance_finds_its_claim_once_with_the_best_score(make, editor):
    from claims.matching import match_text

    claim = make.claim(
        quote="Our detention centres are cleaner than any hospital in the state.",
        summary="An agency says its detention centres are cleaner than hospitals",
    )
    make.claim(quote="The harbour bridge carries thousands of cars every day.")
    appear(
        make,
        claim,
        by=editor,
        quote="Frankly, the holding facilities we run beat every county lockup on hygiene.",
    )
    appear(make, claim, by=editor, quote="Holding facilities we run beat county lockups.")
    matches = match_text("The holding facilities they run beat every county lockup on hygiene.")
    assert [match.claim for match in matches] == [claim]
    assert matches[0].confidence == "high" and matches[0].score > 0.9
    # The claim's own words still match, and a changed number still disagrees.
    assert match_text("Our detention centres are cleaner than any hospital in the state.")
    changed = match_text("Holding facilities we run beat 40 county lockups on hygiene.")
    assert changed and changed[0].confidence == "possible"


def test_a_drafts_appearance_never_matches_for_the_public(api_client, make, editor):
    from claims.matching import match_text

    draft = make.claim(status=Claim.Status.DRAFT, quote="Quoted words about something else.")
    wording = "The secret tunnels under the border are twelve miles long and lit at night."
    appear(make, draft, by=editor, quote=wording)
    assert match_text(wording) == []
    response = api_client.get("/api/v1/claims:match", {"text": wording})
    assert response.json()["results"][0]["matches"] == []
    assert [m.claim for m in match_text(wording, claims=Claim.objects.all())] == [draft]


def test_the_api_lists_a_claims_appearances_in_constant_queries(
    api_client, make, editor, django_assert_max_num_queries
):
    claims = [make.claim() for _ in range(3)]
    source = make.source(title="Evening News", url="https://news.example/evening")
    appear(make, claims[0], by=editor, source=source, quote="Words once more.")
    detail = api_client.get(f"/api/v1/claims/{claims[0].pk}/").json()
    (shown,) = detail["appearances"]
    assert shown["quote"] == "Words once more." and shown["source"]["title"] == "Evening News"
    assert shown["quote_check"] == "no_text" and shown["quote_selector"] is None
    with django_assert_max_num_queries(20) as few:
        api_client.get("/api/v1/claims/")
    for claim in claims:
        for _ in range(5):
            appear(make, claim, by=editor)
    with django_assert_max_num_queries(len(few.captured_queries)):
        listed = api_client.get("/api/v1/claims/").json()["results"]
    assert sorted(len(row["appearances"]) for row in listed) == [5, 5, 6]
