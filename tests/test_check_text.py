"""``/check-text/``: a reader pastes a text and sees which sentences were fact-checked, with
the verdict and a link; drafts never match; nothing pasted is stored, logged or cached."""

import logging
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.check_text import MAX_LENGTH, paragraphs
from claims.models import Claim

URL = reverse("claims:check-text")

CHECKED = "The agency moved more than 700 women out of the Texas detention center last spring."
ALSO_CHECKED = (
    "Inspectors found expired food and nooses made of bedsheets at the Adelanto facility."
)
UNCHECKED = "The weather in the valley was mild and the harvest festival drew a large crowd."
DRAFT = "Border wait times doubled at every crossing in Arizona during the holiday weekend."


@pytest.fixture
def fact_checks(make):
    return {
        "checked": make.claim(quote=CHECKED, summary="An agency moved 700 women"),
        "also": make.claim(quote=ALSO_CHECKED, summary="Inspectors found expired food"),
        "draft": make.claim(quote=DRAFT, summary="Wait times doubled", status=Claim.Status.DRAFT),
    }


def marked(page):
    return re.findall(r"<mark>(.*?)</mark>", page)


def test_a_paragraph_with_two_checked_sentences_and_one_not(client, fact_checks):
    text = f"{CHECKED} {UNCHECKED}\n\nShe said: {ALSO_CHECKED} {DRAFT}"
    response = client.post(URL, {"text": text})
    page = response.content.decode()

    assert response.status_code == 200
    assert marked(page) == [CHECKED, f"She said: {ALSO_CHECKED}"]
    assert "2 sentences fact-checked" in page
    for claim in (fact_checks["checked"], fact_checks["also"]):
        assert f'href="{claim.get_absolute_url()}"' in page
        assert claim.verdict.label in page
    # A draft is no fact check yet: its words match nothing for a reader.
    assert fact_checks["draft"].get_absolute_url() not in page
    assert DRAFT in page and UNCHECKED in page  # shown, unmarked
    # The text stays in the box, to change and check again.
    assert f">{CHECKED} {UNCHECKED}" in page


def test_a_text_that_matches_nothing_says_so(client, fact_checks):
    page = client.post(URL, {"text": UNCHECKED}).content.decode()
    assert marked(page) == []
    assert "No sentence matches a fact check" in page


def test_the_form_is_linked_from_every_page_and_works_without_javascript(client, db):
    assert f'href="{URL}"' in client.get("/").content.decode()
    page = client.get(URL).content.decode()
    assert f'<form class="check-text-form" action="{URL}" method="post"' in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_an_htmx_request_gets_the_form_and_results_only(client, fact_checks):
    page = client.post(URL, {"text": CHECKED}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in page and page.lstrip().startswith('<div id="checker">')
    assert marked(page) == [CHECKED]


def test_a_text_over_the_limit_gets_a_clear_error_and_is_kept(client, fact_checks):
    text = (CHECKED + " ") * (MAX_LENGTH // len(CHECKED) + 1)
    assert len(text.strip()) > MAX_LENGTH
    response = client.post(URL, {"text": text})
    page = response.content.decode()
    assert response.status_code == 200
    assert f"at most {MAX_LENGTH:,} can be checked at once" in page
    assert 'aria-invalid="true"' in page
    assert text.strip() in page  # nothing lost
    assert marked(page) == []


def test_a_text_at_the_limit_is_checked(client, fact_checks):
    text = (CHECKED + " " + UNCHECKED + " ") * 200
    text = text[: text.rindex(".", 0, MAX_LENGTH) + 1]
    assert len(text) <= MAX_LENGTH
    page = client.post(URL, {"text": text}).content.decode()
    assert "can be checked at once" not in page
    assert len(marked(page)) == text.count(CHECKED)


def test_an_empty_text_is_asked_for(client, db):
    page = client.post(URL, {"text": "   "}).content.decode()
    assert "Paste a text to check." in page


def test_nothing_pasted_is_stored_logged_or_cached(client, fact_checks, caplog):
    secret = "My neighbour Jane Doe told me the agency moved 700 women out of Texas."
    caplog.set_level(logging.DEBUG)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(URL, {"text": f"{secret} {CHECKED}"})
    assert response.status_code == 200
    writes = [q["sql"] for q in queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.I)]
    assert writes == []
    assert "Jane Doe" not in caplog.text
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    # A check is a POST only: words in the address would be in every log on the way.
    assert marked(client.get(URL, {"text": CHECKED}).content.decode()) == []


def test_a_post_without_the_csrf_token_is_refused(fact_checks):
    client = Client(enforce_csrf_checks=True)
    assert client.post(URL, {"text": CHECKED}).status_code == 403


def test_checks_over_the_rate_are_refused_with_the_text_kept(client, fact_checks, settings):
    settings.CHECK_TEXT_THROTTLE = "2/minute"
    assert client.get(URL).status_code == 200  # showing the form costs nothing
    for _ in range(2):
        assert client.post(URL, {"text": CHECKED}).status_code == 200
    refused = client.post(URL, {"text": f"{UNCHECKED} {CHECKED}"})
    page = refused.content.decode()
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert f"try again in {refused['Retry-After']} second" in page
    assert f">{UNCHECKED} {CHECKED}</textarea>" in page
    assert marked(page) == []
    # Another address has its own allowance.
    assert client.post(URL, {"text": CHECKED}, REMOTE_ADDR="198.51.100.7").status_code == 200


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two! Three? Four", [["One.", "Two!", "Three?", "Four"]]),
        (
            "It cost 3.5 million in the U.S.A. this year.",
            [["It cost 3.5 million in the U.S.A.", "this year."]],
        ),
        ("“Yes,” he said. “No.”\n\nNext one.", [["“Yes,” he said.", "“No.”"], ["Next one."]]),
        ("A line\nanother line", [["A line", "another line"]]),
    ],
)
def test_sentences(text, expected):
    assert paragraphs(text) == expected
