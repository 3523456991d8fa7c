"""The curation admin, used as an editor would: every page renders within a query budget,
the natural flow works, and bad input gets a form error with nothing half-saved."""

import datetime

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.models import Appearance, Claim, Counterclaim, Evidence, StanceLink, Verdict
from sources.models import Actor, Affiliation, Source

pytestmark = pytest.mark.django_db

MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label in ("sources", "claims")),
    key=lambda model: model._meta.label,
)


@pytest.fixture
def curated(make):
    """A little of everything, so each change page has related rows to show."""
    person = make.actor(name="A spokesperson", kind=Actor.Kind.PERSON)
    agency = make.actor(name="An agency")
    Affiliation.objects.create(person=person, organization=agency, role="spokesperson")
    topic = make.topic()
    original = make.claim(claimant=person, topics=[topic], evidence=3)
    response = make.claim(claimant=agency, topics=[topic])
    Counterclaim.objects.create(original=original, response=response, note="Answers it")
    Appearance.objects.create(
        claim=original, claimant=agency, source=make.source(), quote="Said again, elsewhere."
    )
    response.retract("The quote was misattributed.")
    return original


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_app_model_is_registered():
    labels = {model._meta.label for model in MODELS}
    assert labels == {
        "sources.Actor",
        "sources.Affiliation",
        "sources.Source",
        "claims.Appearance",
        "claims.Claim",
        "claims.Evidence",
        "claims.StanceLink",
        "claims.Counterclaim",
        "claims.ClaimTransition",
        "claims.Correction",
        "claims.Topic",
        "claims.Verdict",
    }


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_every_admin_page_renders_for_an_editor_within_budget(
    editor_client, editor, curated, model, django_assert_max_num_queries, rf
):
    obj = model.objects.order_by("pk").first()
    urls = [
        admin_url(model, "changelist"),
        admin_url(model, "change", obj.pk),
        admin_url(model, "history", obj.pk),
    ]
    request = rf.get("/")
    request.user = editor
    if admin.site._registry[model].has_add_permission(request):
        urls.append(admin_url(model, "add"))
    # The claim's form is the largest: its five inlines (evidence links, appearances, the
    # exchange both ways, the workflow's record) and the readers' reports of errors. Counted
    # from a cold start (no content types cached), as when this test runs alone.
    for url in urls:
        with django_assert_max_num_queries(32):
            response = editor_client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_changelist_costs_the_same_queries_for_few_or_many_rows(editor_client, make, model):
    def queries_for_changelist():
        with CaptureQueriesContext(connection) as ctx:
            assert editor_client.get(admin_url(model, "changelist")).status_code == 200
        return len(ctx)

    make.claim(evidence=2)
    few = queries_for_changelist()
    for _ in range(15):
        claim = make.claim(evidence=2, claimant=make.actor(kind=Actor.Kind.PERSON))
        Affiliation.objects.create(person=claim.claimant, organization=make.actor())
        Counterclaim.objects.create(original=claim, response=make.claim())
    assert queries_for_changelist() == few


def test_autocomplete_answers_for_every_related_field(editor_client, curated):
    for model_admin in (admin.site._registry[Claim], admin.site._registry[Evidence]):
        for field in model_admin.autocomplete_fields:
            response = editor_client.get(
                reverse("admin:autocomplete"),
                {
                    "app_label": model_admin.model._meta.app_label,
                    "model_name": model_admin.model._meta.model_name,
                    "field_name": field,
                    "term": "",
                },
            )
            assert response.status_code == 200, field
            assert response.json()["results"], field


def management_form(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_editor_adds_a_source_with_three_claims_and_shares_one_evidence(editor_client, make):
    claimant = make.actor(name="Field office directors", kind=Actor.Kind.PERSON)
    inspector = make.actor(name="Inspector general")
    data = {
        "title": "Letter to the public",
        "kind": "letter",
        "language": "en",
        "url": "",
        "archive_url": "",
        **management_form("claims", 3),
        **management_form("evidence", 1),
        "evidence-0-excerpt": "Inspectors found expired food.",
        "evidence-0-author": str(inspector.pk),
        "evidence-0-location": "p. 4",
    }
    for i in range(3):
        data |= {
            f"claims-{i}-claimant": str(claimant.pk),
            f"claims-{i}-quote": f"Our facilities are better than local jails, part {i}.",
            f"claims-{i}-summary": f"Facilities compare well, part {i}",
        }
    response = editor_client.post(admin_url(Source, "add"), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    source = Source.objects.get(title="Letter to the public")
    claims = list(source.claims.order_by("pk"))
    assert len(claims) == 3
    assert all(claim.status == Claim.Status.DRAFT for claim in claims)
    # The inline has no language field: each quote's is detected, as on every door.
    assert {claim.language for claim in claims} == {"en"}
    evidence = source.evidence.get()

    # On the evidence page, attach it to all three claims.
    data = {
        "excerpt": evidence.excerpt,
        "source": str(source.pk),
        "author": str(inspector.pk),
        "location": "p. 4",
        "loaded_version": str(evidence.version),
        **management_form("stance_links", 3),
    }
    for i, claim in enumerate(claims):
        data |= {
            f"stance_links-{i}-claim": str(claim.pk),
            f"stance_links-{i}-stance": "refutes",
            f"stance_links-{i}-note": "The inspection contradicts it.",
            f"stance_links-{i}-position": "1",
        }
    response = editor_client.post(admin_url(Evidence, "change", evidence.pk), data)
    assert response.status_code == 302
    assert set(evidence.claims.all()) == set(claims)


def claim_form(claim, **changes):
    data = {
        "quote": claim.quote,
        "claimant": str(claim.claimant_id),
        "source": str(claim.source_id),
        "said_on": "",
        "summary": claim.summary,
        "verdict": str(claim.verdict_id or ""),
        "ruling": claim.ruling,
        "retraction_note": "",
        "slug": claim.slug,
        "loaded_version": str(claim.version),
        **management_form("stance_links", 0),
        **management_form("appearances", 0),
        **management_form("response_links", 0),
        **management_form("original_links", 0),
        **management_form("transitions", claim.transitions.count(), claim.transitions.count()),
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"quote": "   "}, "quote", "This field is required."),
        ({"said_on": "2999-01-01"}, "said_on", "future"),
        ({"said_on": "31/02/2020"}, "said_on", "Enter a valid date."),
    ],
)
def test_bad_claim_input_gets_a_form_error_and_saves_nothing(
    editor_client, make, changes, field, message
):
    claim = make.claim(status=Claim.Status.DRAFT)
    before = Claim.objects.values().get(pk=claim.pk)
    response = editor_client.post(
        admin_url(Claim, "change", claim.pk), claim_form(claim, **changes)
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors[field])
    assert Claim.objects.values().get(pk=claim.pk) == before


@pytest.mark.parametrize("field", ["url", "archive_url"])
@pytest.mark.parametrize(
    "value", ["not a url", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "ftp://example.org/file"]
)
def test_a_source_link_that_is_not_a_web_address_gets_a_form_error(editor_client, field, value):
    response = editor_client.post(
        admin_url(Source, "add"),
        {
            "title": "Bad link",
            "kind": "website",
            "language": "en",
            "url": "",
            "archive_url": "",
            field: value,
            **management_form("claims", 0),
            **management_form("evidence", 0),
        },
    )
    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {field}
    assert not Source.objects.filter(title="Bad link").exists()


@pytest.mark.parametrize("value", ['["javascript:alert(1)"]', '["ftp://example.org/file"]'])
def test_a_same_as_link_that_is_not_a_web_address_gets_a_form_error(editor_client, value):
    response = editor_client.post(
        admin_url(Actor, "add"),
        {
            "name": "Bad link",
            "slug": "bad-link",
            "kind": "person",
            "same_as": value,
            **management_form("affiliations", 0),
        },
    )
    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"same_as"}
    assert not Actor.objects.filter(name="Bad link").exists()


def test_duplicated_stance_link_gets_a_form_error_and_saves_nothing(editor_client, make):
    claim = make.claim(status=Claim.Status.DRAFT, evidence=0)
    evidence = make.evidence()
    data = claim_form(claim, **management_form("stance_links", 2))
    for i in range(2):
        data |= {
            f"stance_links-{i}-evidence": str(evidence.pk),
            f"stance_links-{i}-stance": "refutes",
            f"stance_links-{i}-position": str(i),
        }
    response = editor_client.post(admin_url(Claim, "change", claim.pk), data)
    assert response.status_code == 200
    assert "Please correct the duplicate data" in response.content.decode()
    assert not StanceLink.objects.exists()


def test_status_cannot_be_set_through_the_form(editor_client, make):
    claim = make.claim(status=Claim.Status.DRAFT)
    response = editor_client.post(
        admin_url(Claim, "change", claim.pk), claim_form(claim, status="published")
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DRAFT


def run_action(client, action, claims):
    return client.post(
        admin_url(Claim, "changelist"),
        {"action": action, "_selected_action": [str(c.pk) for c in claims]},
        follow=True,
    )


def test_publish_action_publishes_complete_claims_and_explains_the_rest(editor_client, make):
    ready = make.claim(status=Claim.Status.IN_REVIEW)
    no_verdict = make.claim(status=Claim.Status.IN_REVIEW, verdict=None)
    no_ruling = make.claim(status=Claim.Status.IN_REVIEW, ruling="")
    draft = make.claim(status=Claim.Status.DRAFT)
    response = run_action(editor_client, "publish", [ready, no_verdict, no_ruling, draft])
    page = response.content.decode()
    assert "1 claim(s) published." in page
    assert "needs a verdict" in page
    assert "needs a ruling" in page
    assert "Only a claim that is in review can be published" in page
    statuses = dict(Claim.objects.values_list("pk", "status"))
    assert statuses == {
        ready.pk: Claim.Status.PUBLISHED,
        no_verdict.pk: Claim.Status.IN_REVIEW,
        no_ruling.pk: Claim.Status.IN_REVIEW,
        draft.pk: Claim.Status.DRAFT,
    }
    assert ready.transitions.get(target="published").by.username == "editor"


def test_fact_checker_sees_no_publish_actions_and_cannot_post_them(client, fact_checker, make):
    client.force_login(fact_checker)
    claim = make.claim(status=Claim.Status.IN_REVIEW)
    page = client.get(admin_url(Claim, "changelist")).content.decode()
    assert 'value="submit_for_review"' in page
    assert 'value="publish"' not in page and 'value="retract"' not in page
    response = run_action(client, "publish", [claim])
    assert "No action selected" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.IN_REVIEW


def test_retract_action_uses_the_note_and_refuses_without_one(editor_client, make):
    noted = make.claim()
    noted.retraction_note = "The document was forged."
    noted.save()
    silent = make.claim()
    page = run_action(editor_client, "retract", [noted, silent]).content.decode()
    assert "1 claim(s) retracted." in page and "needs a public note" in page
    noted.refresh_from_db()
    silent.refresh_from_db()
    assert (noted.status, silent.status) == (Claim.Status.RETRACTED, Claim.Status.PUBLISHED)


def test_review_and_send_back_actions(editor_client, make):
    claim = make.claim(status=Claim.Status.DRAFT)
    run_action(editor_client, "submit_for_review", [claim])
    claim.refresh_from_db()
    assert claim.status == Claim.Status.IN_REVIEW
    run_action(editor_client, "send_back_to_draft", [claim])
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DRAFT


def test_view_on_site_is_the_page_or_for_drafts_the_preview(editor_client, make):
    public = make.claim()
    draft = make.claim(status=Claim.Status.DRAFT)
    for claim, url in ((public, public.get_absolute_url()), (draft, draft.get_preview_url())):
        page = editor_client.get(admin_url(Claim, "change", claim.pk)).content.decode()
        assert f'href="{url}" class="viewsitelink"' in page


def test_admin_requires_login_and_permission(client, django_user_model, make):
    make.claim()
    url = admin_url(Claim, "changelist")
    assert client.get(url).status_code == 302
    staff = django_user_model.objects.create_user("nobody", password="x-long-pass", is_staff=True)
    client.force_login(staff)
    assert client.get(url).status_code == 403


def test_date_hierarchy_and_filters_work(editor_client, make):
    make.claim(said_on=timezone.localdate() - datetime.timedelta(days=400))
    url = admin_url(Claim, "changelist")
    verdict = Verdict.objects.get(slug="false")
    for params in ({"status__exact": "published"}, {"verdict__id__exact": verdict.pk}, {"q": "x"}):
        assert editor_client.get(url, params).status_code == 200
