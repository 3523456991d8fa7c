"""What editors read about changes: the History pages and the lost-edit message show each
changed field whole, escaped once, by its label, with the reason where there is one."""

import pytest
from django.test import Client
from django.utils.html import escape

from claims import services
from claims.models import Claim
from tests.conftest import staff_in
from tests.test_admin import admin_url, claim_form
from tests.test_concurrency import loaded_version

pytestmark = pytest.mark.django_db

LONG = (
    "The agency's own inspectors found otherwise, and it said it would answer every one of "
    "the inspectors' 14 requests within 11 days, in writing and on the record."
)


def test_the_lost_edit_message_shows_whole_values_escaped_once(editor, django_user_model, make):
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(staff_in(django_user_model, "colleague", "Editors"))
    claim = make.claim(status=Claim.Status.DRAFT, summary="Facilities beat local jails")
    url = admin_url(Claim, "change", claim.pk)
    first_loaded = loaded_version(first.get(url))
    second_loaded = loaded_version(second.get(url))
    assert (
        first.post(url, claim_form(claim, ruling=LONG, loaded_version=first_loaded)).status_code
        == 302
    )
    claim.refresh_from_db()
    claim.submit_for_review(by=editor)

    refused = second.post(url, claim_form(claim, summary="Mine", loaded_version=second_loaded))
    page = refused.content.decode()
    assert f"Ruling is now: {escape(LONG)}" in page
    assert "Status is now: In review" in page
    assert "&amp;#x27;" not in page and "chars]" not in page


def test_the_history_page_is_whole_readable_and_gives_reasons_only_where_there_are_some(
    editor_client, editor, make
):
    claim = make.claim()  # draft → in review → published, no reasons
    services.change_claim(claim, by=editor, ruling=LONG, correction_note="We added the reply.")
    link = claim.stance_links.get()
    link.stance = "supports"
    services.save_stance_link(link, by=editor, correction_note="A second reading.")
    page = editor_client.get(admin_url(Claim, "history", claim.pk)).content.decode()

    assert f"<td>{escape(LONG)}</td>" in page
    assert "<td>In review</td><td>Published</td>" in page
    assert "in_review" not in page and "chars]" not in page
    assert page.count("Reason:</strong>") == 2  # the correction and the link's change
    assert "We added the reply." in page and "None" not in page
    # The evidence link's own history is on the claim's page.
    assert "<td>Refutes</td><td>Supports</td>" in page
    assert "A second reading." in page
