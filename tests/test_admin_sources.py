"""The source and actor pages of the admin: a source's stored text gets a page-tall box, and
an actor's sameAs links are typed one per line, not as JSON."""

import pytest
from django.contrib import admin

from sources.models import Actor, Source
from tests.test_admin import admin_url, management_form

pytestmark = pytest.mark.django_db


def actor_form(**changes):
    return {
        "name": "A union",
        "slug": "a-union",
        "kind": "organization",
        "description": "",
        "same_as": "",
        **management_form("affiliations", 0),
        **changes,
    }


def test_sameas_links_are_typed_one_per_line_and_stored_as_a_list(editor_client):
    lines = " https://www.wikidata.org/wiki/Q1 \r\n\r\nhttps://union.example.org/\r\n"
    response = editor_client.post(admin_url(Actor, "add"), actor_form(same_as=lines))
    assert response.status_code == 302, response.context["adminform"].form.errors
    actor = Actor.objects.get(slug="a-union")
    assert actor.same_as == ["https://www.wikidata.org/wiki/Q1", "https://union.example.org/"]

    page = editor_client.get(admin_url(Actor, "change", actor.pk)).content.decode()
    assert (
        'id="id_same_as">\nhttps://www.wikidata.org/wiki/Q1\nhttps://union.example.org/</textarea>'
    ) in page


def test_a_sameas_line_that_is_not_a_web_address_is_named_in_the_error(editor_client):
    lines = "https://www.wikidata.org/wiki/Q1\njavascript:alert(1)"
    response = editor_client.post(admin_url(Actor, "add"), actor_form(same_as=lines))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["same_as"] == [
        "javascript:alert(1) is not a web address (http or https)."
    ]
    assert not Actor.objects.exists()


def test_the_same_links_typed_again_are_no_change(rf, editor, make):
    actor = make.actor(same_as=["https://union.example.org/", "https://example.org/"])
    request = rf.get("/")
    request.user = editor
    form_class = admin.site._registry[Actor].get_form(request, actor)
    lines = "https://union.example.org/\r\nhttps://example.org/\r\n"
    form = form_class(actor_form(name=actor.name, slug=actor.slug, same_as=lines), instance=actor)
    assert form.is_valid(), form.errors
    assert "same_as" not in form.changed_data


def test_a_sources_stored_text_gets_a_page_tall_box(editor_client, make):
    source = make.source(text="The whole article.")
    form = editor_client.get(admin_url(Source, "change", source.pk)).context["adminform"].form
    assert int(form.fields["text"].widget.attrs["rows"]) >= 30
