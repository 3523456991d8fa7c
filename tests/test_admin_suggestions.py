"""The claim form's suggestions: while an editor types a quote, the claims already here that
say the same thing, any status and marked as such, with scores and a link to record the
quote as an appearance of one of them (ClaimAdmin.suggestions_view)."""

import html
import re
from urllib.parse import quote as urlquote

import pytest
from django.urls import reverse

from claims.models import Claim
from tests.test_admin import admin_url

pytestmark = pytest.mark.django_db

URL = reverse("admin:claims_claim_suggestions")
SAID = "The agency moved more than 700 women out of the Texas detention center last spring."
TYPED = "The agency moved more than 700 women out of its Texas detention center"


@pytest.fixture
def said(make):
    return {
        status: make.claim(quote=SAID, summary=f"Moved 700 women ({status})", status=status)
        for status in (Claim.Status.PUBLISHED, Claim.Status.DRAFT, Claim.Status.IN_REVIEW)
    }


def test_suggests_the_closest_claims_of_any_status_with_scores(editor_client, said, make):
    make.claim(quote="Inspectors found expired food at the Adelanto facility.")
    page = editor_client.get(URL, {"quote": TYPED}).content.decode()

    assert "3 similar claims" in page
    for status, claim in said.items():
        assert reverse("admin:claims_claim_change", args=[claim.pk]) in page
        assert f'status-{status}">{claim.get_status_display()}<' in page
    assert "Adelanto" not in page
    scores = [float(s) for s in re.findall(r"score (\d\.\d\d)", page)]
    assert len(scores) == 3 and all(0.6 <= s <= 1 for s in scores)
    assert "the same claim" in page


def test_each_suggestion_links_to_record_the_quote_as_an_appearance(editor_client, said):
    page = editor_client.get(URL, {"quote": TYPED}).content.decode()
    claim = said[Claim.Status.PUBLISHED]
    href = f"{reverse('admin:claims_appearance_add')}?claim={claim.pk}&amp;quote="
    assert f'href="{href}{urlquote(TYPED, safe="")}"' in page
    assert page.count("Record as an appearance") == 3
    # The link opens the appearance's form with the claim chosen and the words typed.
    form = editor_client.get(html.unescape(href) + urlquote(TYPED, safe="")).content.decode()
    assert f'<option value="{claim.pk}" selected>' in form
    assert TYPED in form


def test_the_claim_being_edited_is_not_its_own_suggestion(editor_client, said):
    claim = said[Claim.Status.DRAFT]
    form = editor_client.get(admin_url(Claim, "change", claim.pk)).content.decode()
    assert f'data-suggestions-url="{URL}?exclude={claim.pk}"' in form
    page = editor_client.get(URL, {"quote": SAID, "exclude": claim.pk}).content.decode()
    assert reverse("admin:claims_claim_change", args=[claim.pk]) not in page
    assert "2 similar claims" in page


def test_a_few_words_suggest_nothing_yet_and_nothing_similar_says_so(editor_client, said):
    assert editor_client.get(URL, {"quote": "The agency"}).content.decode().strip() == ""
    page = editor_client.get(URL, {"quote": "Bananas grow quickly in warm wet climates"})
    assert "No similar claim here yet." in page.content.decode()


def test_the_add_form_asks_for_suggestions_with_its_script(editor_client):
    page = editor_client.get(admin_url(Claim, "add")).content.decode()
    assert f'data-suggestions-url="{URL}"' in page
    assert "js/claim-suggestions.js" in page and "htmx.min.js" in page


def test_suggestions_need_the_permission_to_change_claims(client, django_user_model, said):
    assert client.get(URL, {"quote": TYPED}).status_code == 302  # to the admin's login
    staff = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    client.force_login(staff)
    assert client.get(URL, {"quote": TYPED}).status_code == 403


def test_suggestions_queries_do_not_grow_with_the_matches(
    editor_client, make, django_assert_max_num_queries
):
    for n in range(12):
        make.claim(quote=f"{SAID} Number {n}.", status=Claim.Status.DRAFT)
    with django_assert_max_num_queries(12):
        assert "5 similar claims" in editor_client.get(URL, {"quote": TYPED}).content.decode()
