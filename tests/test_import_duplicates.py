"""``import_claims --on-duplicate``: a file that repeats a claim (one we hold, or an earlier
row) never creates a duplicate silently; the operator chooses what happens."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from claims.models import Appearance, Claim
from sources.models import Actor, Source
from tests.test_import import run

pytestmark = pytest.mark.django_db

HELD = "Our detention centres are cleaner than any hospital in the state."
ROWS = [
    # line 2: another official repeats the claim we hold
    ("Our detention centres are cleaner than any hospital in this state.", "A Governor"),
    # line 3: a new claim
    ("The harbour bridge carries thousands of cars every single day.", "Bridge Authority"),
    # line 4: someone repeats line 3
    ("The harbour bridge carries thousands of cars each and every day.", "A Councillor"),
    # line 5: another new claim
    ("Seven new schools opened in the northern district last spring.", "School Board"),
]


@pytest.fixture
def held(make):
    return make.claim(quote=HELD, summary="Detention centres are cleaner than hospitals")


@pytest.fixture
def path(tmp_path):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["quote", "summary", "claimant", "said_on", "source_url", "verdict", "ruling"])
    for n, (quote, claimant) in enumerate(ROWS):
        said_on, url = f"2025-0{n + 1}-15", f"https://news.example/{n}"
        writer.writerow([quote, quote[:60], claimant, said_on, url, "False", ""])
    file = tmp_path / "claims.csv"
    file.write_text(out.getvalue())
    return file


def counts():
    return (
        Claim.objects.count(),
        Appearance.objects.count(),
        Source.objects.count(),
        Actor.objects.count(),
    )


def test_by_default_duplicates_are_listed_and_nothing_is_written(held, path):
    before = counts()
    with pytest.raises(CommandError) as stopped:
        run(path)
    message = str(stopped.value)
    assert "2 rows probably repeat a claim" in message and "nothing imported" in message
    for choice in ("skip", "appearance", "create"):
        assert f"--on-duplicate={choice}" in message
    assert counts() == before
    report = run_capturing(path)
    assert f"line 2: “{ROWS[0][0]}” repeats claim {held.pk} (published)" in report
    assert "line 4: " in report and "repeats line 3 of this file" in report
    assert "line 3: " not in report and "line 5: " not in report


def run_capturing(path, *args):
    """The report of a run that stops (the default's refusal) or not."""
    err = io.StringIO()
    try:
        call_command("import_claims", str(path), *args, stderr=err, stdout=err)
    except CommandError as error:
        err.write(str(error))
    return err.getvalue()


def test_skip_leaves_the_duplicates_out(held, path):
    report = run(path, "--on-duplicate=skip")
    assert "added 2 claims" in report and "2 probable duplicates skipped" in report
    assert set(Claim.objects.values_list("quote", flat=True)) == {HELD, ROWS[1][0], ROWS[3][0]}
    assert not Appearance.objects.exists()


def test_appearance_records_each_as_an_appearance_of_the_claim_it_repeats(held, path):
    report = run(path, "--on-duplicate=appearance")
    assert "added 2 claims" in report
    assert "2 probable duplicates recorded as appearances" in report
    governor = held.appearances.get()
    assert governor.claimant.name == "A Governor" and governor.quote == ROWS[0][0]
    assert governor.source.url == "https://news.example/0"
    assert governor.said_on.isoformat() == "2025-01-15"
    bridge = Claim.objects.get(quote=ROWS[1][0])
    assert bridge.appearances.get().claimant.name == "A Councillor"
    assert Claim.objects.count() == 3
    # Running it again adds nothing: the rows are now known duplicates, recorded once more
    # only if asked; skip leaves the file's claims as they are.
    assert "added 0 claims" in run(path, "--on-duplicate=skip")
    assert Claim.objects.count() == 3


def test_create_imports_them_as_new_claims_and_says_so(held, path):
    report = run(path, "--on-duplicate=create")
    assert "added 4 claims" in report and "2 probable duplicates added as new claims" in report
    assert Claim.objects.count() == 5


def test_a_bad_choice_is_refused_before_anything_is_read(held, path):
    before = counts()
    with pytest.raises(CommandError, match="invalid choice: 'merge'"):
        call_command("import_claims", str(path), "--on-duplicate=merge")
    assert counts() == before


def test_an_appearance_the_rules_refuse_is_reported_and_atomic_writes_nothing(
    held, path, fact_checker
):
    # A fact-checker may not change a published claim: its appearance is refused.
    before = counts()
    with pytest.raises(CommandError, match="line 2: This fact check is published"):
        run(path, "--on-duplicate=appearance", "--atomic", "--user", fact_checker.username)
    assert counts() == before
    report = run(path, "--on-duplicate=appearance", "--user", fact_checker.username)
    assert "line 2: rejected: appearance of a claim: This fact check is published" in report
    assert "1 rejected" in report
    assert not held.appearances.exists()
    assert Claim.objects.get(quote=ROWS[1][0]).appearances.count() == 1


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(held, path):
    before = counts()
    report = run(path, "--on-duplicate=appearance", "--dry-run")
    assert "would add 2 claims" in report
    assert counts() == before
