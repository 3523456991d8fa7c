"""A claim's language: the editor's BCP 47 tag, or detected from the quote on every door that
writes claims (admin, API, importer, generate_data, load_demo), and what selects by it
(``claims:search``'s languageCode, the claim filters)."""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from claims import languages, services
from claims.models import Claim
from tests.test_admin import admin_url, management_form

pytestmark = pytest.mark.django_db

ENGLISH = "The agency said its detention centers are safer than most county jails."
SPANISH = "El gobierno dijo que los centros de detención son más seguros que las cárceles."
FRENCH = "Le gouvernement affirme que les centres de détention sont plus sûrs que les prisons."


@pytest.mark.parametrize(
    ("text", "expected"), [(ENGLISH, "en"), (SPANISH, "es"), (FRENCH, "fr"), ("OK", None)]
)
def test_detects_english_spanish_and_french_and_says_so_when_it_cannot_tell(text, expected):
    assert languages.detect(text) == expected


@pytest.mark.parametrize(
    ("given", "stored"), [("EN", "en"), ("pt-br", "pt-BR"), ("zh-hant-tw", "zh-Hant-TW")]
)
def test_a_tag_the_editor_gives_is_kept_in_its_usual_case(make, editor, given, stored):
    claim = services.create_claim(
        by=editor,
        quote=SPANISH,
        summary="A claim",
        claimant=make.actor(),
        source=make.source(),
        language=given,
    )
    assert Claim.objects.get(pk=claim.pk).language == stored


@pytest.mark.parametrize("bad", ["english", "en_US", "e", "12"])
def test_a_bad_tag_is_refused_with_the_rule(make, editor, bad):
    with pytest.raises(ValidationError) as error:
        services.create_claim(
            by=editor,
            quote=ENGLISH,
            summary="A claim",
            claimant=make.actor(),
            source=make.source(),
            language=bad,
        )
    assert "is not a language tag (BCP 47)" in " ".join(error.value.message_dict["language"])
    assert not Claim.objects.exists()


def test_a_quote_too_short_to_tell_takes_its_sources_language(make, editor):
    claim = services.create_claim(
        by=editor,
        quote="OK",
        summary="A claim",
        claimant=make.actor(),
        source=make.source(language="de"),
    )
    assert claim.language == "de"


def test_a_changed_claim_whose_language_is_cleared_is_detected_again(make, editor):
    claim = make.claim(quote=ENGLISH, status=Claim.Status.DRAFT, language="en")
    services.change_claim(claim, by=editor, quote=FRENCH, language="")
    assert Claim.objects.get(pk=claim.pk).language == "fr"


def test_admin_add_form_detects_a_blank_language(editor_client, make):
    data = {
        "quote": SPANISH,
        "language": "",
        "claimant": str(make.actor().pk),
        "source": str(make.source().pk),
        "said_on": "",
        "summary": "Una afirmación",
        "verdict": "",
        "ruling": "",
        "retraction_note": "",
        "slug": "",
        **management_form("stance_links", 0),
        **management_form("appearances", 0),
        **management_form("response_links", 0),
        **management_form("original_links", 0),
        **management_form("transitions", 0),
    }
    response = editor_client.post(admin_url(Claim, "add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Claim.objects.get().language == "es"

    data["language"] = "english"
    page = editor_client.post(admin_url(Claim, "add"), data).content.decode()
    assert "is not a language tag (BCP 47)" in page
    assert Claim.objects.count() == 1


def test_api_detects_a_blank_language_and_refuses_a_bad_one(editor_api, make):
    body = {
        "quote": FRENCH,
        "summary": "Une affirmation",
        "claimant": make.actor().pk,
        "source": make.source().pk,
    }
    response = editor_api.post("/api/v1/claims/", body, format="json")
    assert response.status_code == 201, response.json()
    claim = Claim.objects.get()
    assert claim.language == "fr"
    shown = editor_api.get(f"/api/v1/claims/{claim.pk}/", {"include_drafts": "true"}).json()
    assert shown["language"] == "fr"

    response = editor_api.post("/api/v1/claims/", {**body, "language": "en_US"}, format="json")
    assert response.status_code == 400
    assert "is not a language tag (BCP 47)" in response.json()["language"][0]


def test_importer_detects_or_takes_the_files_language(tmp_path):
    path = tmp_path / "claims.csv"
    path.write_text(
        "quote,summary,claimant,source_title,verdict,language\n"
        f'"{SPANISH}",Una,Un ministerio,Un artículo,False,\n'
        f'"{ENGLISH}",One,An agency,An article,False,en-gb\n'
    )
    call_command("import_claims", str(path), stdout=io.StringIO())
    assert dict(Claim.objects.values_list("summary", "language")) == {"Una": "es", "One": "en-GB"}


def test_importer_rejects_a_bad_language_with_the_line(tmp_path):
    path = tmp_path / "claims.csv"
    path.write_text(
        f'quote,summary,claimant,verdict,language\n"{ENGLISH}",One,An agency,False,english\n'
    )
    errors = []

    class Err:
        def write(self, text, *args, **kwargs):
            errors.append(text)

        def flush(self):
            pass

    call_command("import_claims", str(path), stderr=Err(), stdout=Err())
    assert not Claim.objects.exists()
    assert "line 2" in "".join(errors) and "is not a language tag" in "".join(errors)


def test_demo_claims_have_a_language():
    call_command("load_demo", stdout=io.StringIO())
    assert set(Claim.objects.values_list("language", flat=True)) == {"en"}


def test_generated_claims_have_a_language():
    call_command("generate_data", claims=50, batch_size=50, stdout=io.StringIO())
    assert not Claim.objects.filter(language="").exists()


@pytest.fixture
def spoken(make):
    return {
        "en": make.claim(quote=ENGLISH, language="en"),
        "en-GB": make.claim(quote=ENGLISH + " Indeed.", language="en-GB"),
        "es": make.claim(quote=SPANISH, language="es"),
        "fr-draft": make.claim(quote=FRENCH, language="fr", status=Claim.Status.DRAFT),
    }


@pytest.mark.parametrize(
    ("code", "expected"),
    [("es", {"es"}), ("en-US", {"en", "en-GB"}), ("EN", {"en", "en-GB"}), ("fr", set())],
)
def test_claims_search_language_code_filters_by_the_claims_language(
    api_client, spoken, code, expected
):
    data = api_client.get(
        "/api/v1/claims:search", {"query": "detention OR detención", "languageCode": code}
    ).json()
    found = {review["languageCode"] for claim in data["claims"] for review in claim["claimReview"]}
    assert found == expected


def test_claims_search_refuses_a_bad_language_code(api_client):
    response = api_client.get("/api/v1/claims:search", {"query": "x", "languageCode": "en_US"})
    assert response.status_code == 400
    assert "BCP 47" in json.dumps(response.json())


@pytest.mark.parametrize(("tag", "expected"), [("en", {"en", "en-GB"}), ("en-gb", {"en-GB"})])
def test_the_claim_filters_select_by_language(api_client, client, spoken, tag, expected):
    rows = api_client.get("/api/v1/claims/", {"language": tag}).json()["results"]
    assert {row["language"] for row in rows} == expected
    page = client.get("/claims/", {"language": tag}).content.decode()
    assert spoken["es"].get_absolute_url() not in page
    assert spoken["en-GB"].get_absolute_url() in page


def test_the_claim_filters_refuse_a_bad_tag(api_client):
    response = api_client.get("/api/v1/claims/", {"language": "english"})
    assert response.status_code == 400
    assert "is not a language tag (BCP 47)" in response.json()["language"][0]
