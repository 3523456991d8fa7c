"""``manage.py import_claims``: the API's own exports and other fact-checkers' ClaimReview
come back in; bad rows are reported by line, good ones land once."""

import json

import pytest
from django.core.management import CommandError, call_command

from claims.models import Claim
from sources.models import Source

REVIEW = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://other.example/checks/1",
    "claimReviewed": "Crime doubled in a year",
    "itemReviewed": {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "A Mayor"},
        "datePublished": "2024-03-01",
        "appearance": [{"@type": "CreativeWork", "url": "https://news.example/a", "headline": "A"}],
    },
    "reviewRating": {"@type": "Rating", "ratingValue": 2, "worstRating": 1, "bestRating": 10},
    "reviewBody": "Police data show a 3% rise.",
    "headline": "Crime did not double",
}


def run(path, *args):
    errors = []

    class Err:
        def write(self, text, *a, **k):
            errors.append(text)

        def flush(self):
            pass

    call_command("import_claims", str(path), *args, stderr=Err(), stdout=Err())
    return "\n".join(errors)


def test_claimreview_round_trip_adds_nothing_the_second_time(tmp_path, api_client, make):
    make.claim(quote="Exported words")
    exported = api_client.get("/api/v1/claims/claimreview/").getvalue()
    Claim.objects.all().delete()
    path = tmp_path / "reviews.json"
    path.write_bytes(exported)
    report = run(path)
    assert "added 1 claims" in report
    claim = Claim.objects.get()
    assert claim.quote == "Exported words" and claim.verdict.slug == "false"
    assert claim.status == Claim.Status.DRAFT
    assert "added 0 claims, updated 0, 1 already present" in run(path)
    assert Claim.objects.count() == 1


def test_other_publishers_scales_are_mapped_and_bad_rows_reported_by_line(tmp_path, db):
    bad = {**REVIEW, "claimReviewed": ""}
    unrated = {**REVIEW, "claimReviewed": "Other words", "reviewRating": {"ratingValue": "x"}}
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps([REVIEW, bad, unrated], indent=1))
    report = run(path)
    lines = [line for line in report.splitlines() if "rejected:" in line]
    assert len(lines) == 2 and "quote" in lines[0] and "verdict" in lines[1]
    assert lines[0].startswith("line ") and lines[0] != lines[1]
    claim = Claim.objects.get()
    assert claim.verdict.slug == "false"  # 2 of 1..10 is nearest to our worst
    assert claim.claimant.name == "A Mayor" and claim.source.url == "https://news.example/a"


def test_a_source_url_that_is_not_a_web_address_is_rejected_by_line(tmp_path, db):
    def appearing_at(url, quote):
        item = {**REVIEW["itemReviewed"], "appearance": [{"url": url, "headline": "B"}]}
        return {**REVIEW, "claimReviewed": quote, "itemReviewed": item}

    reviews = [
        REVIEW,
        appearing_at("javascript:alert(1)", "Scripted words"),
        appearing_at("ftp://news.example/b", "Words on FTP"),
    ]
    text = json.dumps(reviews, indent=1)
    starts = [n for n, line in enumerate(text.splitlines(), 1) if line == " {"]
    path = tmp_path / "reviews.json"
    path.write_text(text)
    with pytest.raises(CommandError, match="nothing imported"):
        run(path, "--atomic")
    assert not Claim.objects.exists()
    report = run(path)
    for start, url in zip(starts[1:], ["javascript:alert(1)", "ftp://news.example/b"], strict=True):
        reason = f"source URL is not a web address (http or https): {url!r}"
        assert f"line {start}: rejected: {reason}" in report.splitlines()
    assert list(Claim.objects.values_list("quote", flat=True)) == [REVIEW["claimReviewed"]]
    assert list(Source.objects.values_list("url", flat=True)) == ["https://news.example/a"]


def test_csv_export_imports_with_bad_rows_and_atomic(tmp_path, api_client, make, editor_api):
    make.claim(quote="=Formula-looking quote", topics=[make.topic(name="Budget")])
    make.claim(quote="Second quote")
    exported = editor_api.get("/api/v1/claims/csv/").getvalue().decode()
    Claim.objects.all().delete()
    header, *rows = exported.splitlines()
    empty = "," * header.count(",")  # no quote, no claimant
    path = tmp_path / "claims.csv"
    path.write_text("\n".join([header, *rows, empty]))
    with pytest.raises(CommandError, match="nothing imported"):
        run(path, "--atomic")
    assert not Claim.objects.exists()
    run(path, "--dry-run")
    assert not Claim.objects.exists()
    report = run(path)
    assert f"line {len(rows) + 2}: rejected" in report
    assert set(Claim.objects.values_list("quote", flat=True)) == {
        "=Formula-looking quote",
        "Second quote",
    }
    assert Claim.objects.get(quote="Second quote").verdict.slug == "false"
    assert list(Claim.objects.get(quote__startswith="=").topics.values_list("name", flat=True)) == [
        "Budget"
    ]
