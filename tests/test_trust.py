"""Trust pages (issue 16): the organization's editable pages, staff profiles and bylines, the
ClaimReview author, and the system check that a production site has filled them in."""

import json
import re

import pytest
from django.core import checks
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from claims.models import Claim
from trust.checks import trust_pages_filled
from trust.models import Funder, Organization, Page, StaffProfile

pytestmark = pytest.mark.django_db

PAGES = {
    "about": "/about/",
    "funding": "/funding/",
    "team": "/team/",
    "corrections-policy": "/corrections-policy/",
    "methodology": "/methodology/",
    "contact": "/contact/",
}


def text(response):
    assert response.status_code == 200, response.status_code
    return " ".join(response.content.decode().split())


def claim_review(page):
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


@pytest.fixture
def checker(fact_checker):
    fact_checker.first_name, fact_checker.last_name = "Robin", "Login"
    fact_checker.save()
    return fact_checker


def checked_claim(make, user, editor=None, **kwargs):
    claim = make.claim(status=Claim.Status.DRAFT, **kwargs)
    claim.submit_for_review(by=user)
    claim.publish(by=editor)
    return claim


def test_every_trust_page_answers_at_its_address_and_the_footer_links_them_all(client):
    assert {reverse(f"trust:{kind}") for kind in Page.Kind.values} == set(PAGES.values())
    for path in PAGES.values():
        page = text(client.get(path))
        for other in PAGES.values():
            assert f'href="{other}"' in page, (path, other)


def test_the_old_about_and_methodology_texts_moved_into_the_editable_pages(client, make):
    about = text(client.get("/about/"))
    assert "nothing is public until an editor publishes it" in about
    assert 'href="/data/"' in about and 'href="/methodology/"' in about
    methodology = text(client.get("/methodology/"))
    assert "<h2>Evidence and stances</h2>" in methodology
    assert "<strong>Adds context</strong>" in methodology
    assert "Our rating scale" in methodology  # the scale is still drawn from the verdicts


def test_an_admin_edit_shows_on_the_next_request_even_when_cached(client):
    assert client.get("/contact/")["X-Cache"] == "miss"
    assert client.get("/contact/")["X-Cache"] == "hit"
    page = Page.objects.get(kind="contact")
    page.body = "Write to **desk@example.org**."
    page.save()
    assert "Write to <strong>desk@example.org</strong>." in text(client.get("/contact/"))
    Funder.objects.create(name="A Foundation", year=2026, amount=1000, currency="EUR")
    assert "A Foundation" in text(client.get("/funding/"))


def test_page_bodies_are_markdown_without_raw_html_or_script_links(client):
    page = Page.objects.get(kind="contact")
    page.body = "<script>alert(1)</script> [x](javascript:alert(2)) [ok](https://example.org)"
    page.save()
    body = text(client.get("/contact/"))
    assert "<script>alert(1)" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert 'href="javascript:' not in body
    assert '<a href="https://example.org">ok</a>' in body


def test_about_page_shows_mission_ownership_and_legal_status(client):
    organization = Organization.current()
    organization.mission = "Checking claims."
    organization.ownership = "Owned by its staff."
    organization.legal_status = "A cooperative."
    organization.save()
    page = text(client.get("/about/"))
    for heading, value in [
        ("Our mission", "Checking claims."),
        ("Ownership", "Owned by its staff."),
        ("Legal status", "A cooperative."),
    ]:
        assert f"<h2>{heading}</h2><p>{value}</p>" in page


def test_funding_lists_funders_with_amounts_or_ranges_and_years(client):
    Funder.objects.create(name="Exact Fund", year=2025, amount=12480, currency="USD")
    Funder.objects.create(
        name="Range Fund", year=2026, amount=50000, amount_to=100000, currency="EUR"
    )
    page = text(client.get("/funding/"))
    assert page.index("Range Fund") < page.index("Exact Fund")  # newest year first
    assert "50,000\N{EN DASH}100,000 EUR" in page and "12,480 USD" in page


def test_a_funding_range_must_ascend_on_every_door():
    funder = Funder(name="Bad", year=2026, amount=10, amount_to=5, currency="EUR")
    with pytest.raises(ValidationError, match="high end"):
        funder.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        funder.save()


def test_bylines_link_public_profiles_and_name_the_rest(client, make, checker, editor):
    claim = checked_claim(make, checker, editor)
    page = text(client.get(claim.get_absolute_url()))
    assert "Checked by Robin Login," in page  # no profile: the full name, as before
    profile = StaffProfile.objects.create(user=checker, name="Robin L. Checker", role="Checker")
    page = text(client.get(claim.get_absolute_url()))
    assert "Checked by Robin L. Checker," in page and "/team/" + profile.slug not in page
    assert client.get(profile.get_absolute_url()).status_code == 404  # switch off: no page
    profile.public_profile = True
    profile.save()
    page = text(client.get(claim.get_absolute_url()))
    assert f'Checked by <a href="/team/{profile.slug}/">Robin L. Checker</a>,' in page
    review = claim_review(page)
    assert review["contributor"] == {
        "@type": "Person",
        "name": "Robin L. Checker",
        "url": f"http://testserver/team/{profile.slug}/",
    }
    assert review["editor"] == {"@type": "Person", "name": "a member of staff"}


def test_profile_page_pages_the_public_claims_the_person_checked(client, make, checker):
    profile = StaffProfile.objects.create(
        user=checker,
        name="Robin",
        role="Fact-checker",
        bio="Ten years <b>on</b> the desk.",
        public_profile=True,
    )
    claims = [checked_claim(make, checker) for _ in range(22)]
    draft = make.claim(status=Claim.Status.DRAFT, summary="Secret draft")
    draft.submit_for_review(by=checker)
    someone_else = make.claim(summary="Checked by somebody else")
    first = text(client.get(profile.get_absolute_url()))
    assert "22 fact checks checked by Robin" in first and "Fact-checker" in first
    assert "Ten years &lt;b&gt;on&lt;/b&gt; the desk." in first
    assert "Secret draft" not in first and someone_else.summary not in first
    second = text(client.get(profile.get_absolute_url(), {"page": 2}))
    shown = [c.summary for c in claims if c.summary in first or c.summary in second]
    assert len(shown) == 22
    team = text(client.get("/team/"))
    assert f'<a href="/team/{profile.slug}/">Robin</a>, Fact-checker' in team


def test_profile_page_queries_do_not_grow_with_its_claims(
    client, make, checker, django_assert_max_num_queries
):
    profile = StaffProfile.objects.create(user=checker, name="Robin", public_profile=True)
    checked_claim(make, checker)
    with django_assert_max_num_queries(4):
        client.get(profile.get_absolute_url())
    for _ in range(15):
        checked_claim(make, checker)
    with django_assert_max_num_queries(4):
        client.get(profile.get_absolute_url())


def test_claimreview_author_is_the_organization_with_settings_as_the_default(
    client, make, settings
):
    settings.SITE_NAME = "Settings Name"
    claim = make.claim()
    author = claim_review(text(client.get(claim.get_absolute_url())))["author"]
    assert author == {"@type": "Organization", "name": "Settings Name", "url": "http://testserver/"}
    organization = Organization.current()
    organization.name, organization.url = "Example Checks", "https://checks.example.org/"
    organization.logo = "https://checks.example.org/logo.png"
    organization.save()
    author = claim_review(text(client.get(claim.get_absolute_url())))["author"]
    assert author == {
        "@type": "Organization",
        "name": "Example Checks",
        "url": "https://checks.example.org/",
        "logo": {"@type": "ImageObject", "url": "https://checks.example.org/logo.png"},
    }
    export = client.get("/api/v1/claims/claimreview/")
    reviews = json.loads(b"".join(export.streaming_content) if export.streaming else export.content)
    reviews = reviews if isinstance(reviews, list) else reviews["results"]
    assert reviews[0]["author"]["name"] == "Example Checks"


def test_the_organization_is_one_row():
    Organization(name="Second").save()  # saves over row 1
    assert Organization.objects.count() == 1
    assert Organization.current().name == "Second"


def _warnings(databases=("default",)):
    return {(w.id, w.obj) for w in trust_pages_filled(databases=list(databases))}


def test_system_check_warns_for_each_empty_page_in_production(settings, django_user_model):
    settings.DEBUG = False
    assert checks.Tags.database in trust_pages_filled.tags
    found = _warnings()
    # The migration filled About, Methodology and Corrections policy from the old templates.
    assert {obj for id, obj in found if id == "trust.W001"} == {
        "trust.Page[funding]",
        "trust.Page[team]",
        "trust.Page[contact]",
    }
    assert {id for id, _ in found} == {"trust.W001", "trust.W002", "trust.W003", "trust.W004"}
    Page.objects.exclude(body__gt="").update(body="Filled.")
    Organization.objects.update(mission="M", ownership="O", legal_status="L")
    Funder.objects.create(name="F", year=2026, amount=1, currency="EUR")
    user = django_user_model.objects.create_user("staff")
    StaffProfile.objects.create(user=user, name="Staff", public_profile=True)
    assert _warnings() == set()
    Page.objects.filter(kind="about").update(body="  ")
    assert _warnings() == {("trust.W001", "trust.Page[about]")}


def test_system_check_is_quiet_in_development_and_without_a_database(settings):
    settings.DEBUG = True
    assert _warnings() == set()
    settings.DEBUG = False
    assert _warnings(databases=()) == set()


def test_editors_may_edit_the_pages_and_profiles_in_the_admin(client, editor, checker):
    client.force_login(editor)
    page = Page.objects.get(kind="contact")
    response = client.post(
        reverse("admin:trust_page_change", args=[page.pk]),
        {"title": "Contact us", "body": "Write to us."},
    )
    assert response.status_code == 302
    assert "Write to us." in text(client.get("/contact/"))
    response = client.post(
        reverse("admin:trust_staffprofile_add"),
        {
            "user": checker.pk,
            "name": "Casey Checker",
            "slug": "casey-checker",
            "role": "Fact-checker",
            "bio": "",
            "public_profile": "on",
            "position": 0,
        },
    )
    assert response.status_code == 302, response.content
    client.logout()
    assert "Casey Checker" in text(client.get("/team/casey-checker/"))


def test_fact_checkers_cannot_edit_the_organization_pages(client, checker):
    client.force_login(checker)
    page = Page.objects.get(kind="about")
    response = client.post(
        reverse("admin:trust_page_change", args=[page.pk]), {"title": "Hacked", "body": ""}
    )
    assert response.status_code == 403
    assert Page.objects.get(kind="about").title != "Hacked"


def test_stored_links_are_web_addresses_on_every_door(client):
    funder = Funder(name="F", year=2026, amount=1, currency="EUR", url="javascript:alert(1)")
    with pytest.raises(ValidationError, match="web address"):
        funder.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        funder.save()
    organization = Organization.current()
    organization.logo = "ftp://example.org/logo.png"
    with pytest.raises(ValidationError, match="web address"):
        organization.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        organization.save()


@pytest.mark.parametrize("model", ["organization", "page", "funder", "staffprofile"])
def test_editors_open_every_trust_admin_page(client, editor, model):
    client.force_login(editor)
    assert client.get(reverse(f"admin:trust_{model}_changelist")).status_code == 200
    row = {
        "organization": Organization.current,
        "page": lambda: Page.objects.first(),
        "funder": lambda: Funder.objects.create(name="F", year=2026, amount=1, currency="EUR"),
        "staffprofile": lambda: StaffProfile.objects.create(user=editor, name="Ed"),
    }[model]()
    assert client.get(reverse(f"admin:trust_{model}_change", args=[row.pk])).status_code == 200
