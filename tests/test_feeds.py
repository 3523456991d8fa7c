"""Feeds carry editors' text as text: markup typed into a quote, summary, ruling or
correction note reaches feed readers as the characters typed, never as elements."""

import xml.etree.ElementTree as ET

import feedparser
import pytest

from claims.models import Verdict

ATOM = "{http://www.w3.org/2005/Atom}"
QUOTE = "We are safe.<script>alert('quote')</script>"
SUMMARY = "Agency says <img src=x onerror=alert('summary')> all is well"
RULING = "Inspectors found otherwise: <a href=\"javascript:alert('ruling')\">see</a> & more."


@pytest.fixture
def planted(make):
    claim = make.claim(quote=QUOTE, summary=SUMMARY, ruling=RULING)
    before = claim.verdict
    claim.verdict = Verdict.objects.get(slug="mostly-false")
    claim.save()
    claim.record_correction(f"Note: {RULING}", ["verdict"], verdict_before=before)
    return claim


def _entry(client, url):
    body = client.get(url).content
    raw = ET.fromstring(body).find(f"{ATOM}entry")
    parsed = feedparser.parse(body).entries[0]
    return raw, parsed


def test_claim_feed_declares_summaries_text_and_keeps_markup_literal(client, planted):
    raw, parsed = _entry(client, "/feeds/claims/")
    summary = f"{planted.claimant.name}: “{QUOTE}” — {RULING}"
    assert raw.find(f"{ATOM}summary").attrib == {"type": "text"}
    assert raw.find(f"{ATOM}summary").text == summary
    assert list(raw.find(f"{ATOM}summary")) == []  # no element inside
    assert parsed.summary_detail.type == "text/plain"
    assert parsed.summary == summary  # feedparser parsed nothing out of it, stripped nothing
    assert parsed.title == f"Mostly false: {SUMMARY}"


def test_corrections_feed_keeps_markup_in_notes_literal(client, planted):
    raw, parsed = _entry(client, "/feeds/corrections/")
    assert raw.find(f"{ATOM}summary").attrib == {"type": "text"}
    assert parsed.summary_detail.type == "text/plain"
    assert parsed.summary == f"Verdict changed from False to Mostly false. Note: {RULING}"
    assert parsed.title.endswith(SUMMARY)
