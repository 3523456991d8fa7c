"""``make eval``: precision and recall of claim matching on the labelled pairs in tests/data/.

Builds a throwaway database (Django's test database: in memory on SQLite, ``test_<name>`` on
PostgreSQL, dropped at the end), loads the evaluation claims into it as published claims (the
demo's quotes, ``claims/demo_data.json``, and made-up fact checks,
``tests/data/claim_matching_claims.csv``), matches every text of
``tests/data/claim_matching_pairs.csv`` against all of them, as ``claims:match`` does, and
counts a pair as predicted "same" at a threshold when its claim is among the text's matches
with that confidence or better.

The pairs are split in two by the claim they are about (``split``): a development set, to
tune thresholds and checks on (``--errors`` lists its misses only), and a held-out set, a
third of the claims with all their pairs, to measure what tuning did not see. Both are
reported. A pair added about a claim goes where that claim's other pairs are.
"""

import csv
import hashlib
import json
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from claims.matching import match_text
from claims.models import Claim, Verdict
from sources.models import Actor, Source

DATA = Path(settings.BASE_DIR) / "tests" / "data"
DEMO = Path(settings.BASE_DIR) / "claims" / "demo_data.json"
TARGETS = {"high": ("precision", 0.9), "possible": ("recall", 0.8)}
LEVELS = {"high": ("high",), "possible": ("high", "possible")}
SETS = ["development", "held-out"]


def split(pair):
    """Which set ``pair`` is in: "held-out" for a third of the claims, chosen by a hash of
    the claim's key (stable, and blind to how well the claim is matched), else
    "development"."""
    digest = hashlib.sha256(pair["claim"].encode()).hexdigest()
    return "held-out" if int(digest, 16) % 3 == 0 else "development"


def evaluation_claims():
    """(key, claimant's name, quote, summary) of every claim the pairs refer to."""
    demo = json.loads(DEMO.read_text())
    actors = {actor["key"]: actor["name"] for actor in demo["actors"]}
    for claim in demo["claims"]:
        yield claim["key"], actors[claim["claimant"]], claim["quote"], claim["summary"]
    with open(DATA / "claim_matching_claims.csv", newline="") as rows:
        for row in csv.DictReader(rows):
            yield row["key"], row["claimant"], row["quote"], row["summary"]


def load_claims():
    """The evaluation claims, published, in the current database; their ids by key."""
    source = Source.objects.create(title="Claim matching evaluation", kind=Source.Kind.OTHER)
    verdict = Verdict.objects.order_by("rating").first()
    now = timezone.now()
    keys, claims = [], []
    for key, claimant, quote, summary in evaluation_claims():
        actor, _ = Actor.objects.get_or_create(
            name=claimant, defaults={"kind": Actor.Kind.ORGANIZATION}
        )
        keys.append(key)
        claims.append(
            Claim(
                quote=quote,
                summary=summary,
                slug=key,
                claimant=actor,
                source=source,
                verdict=verdict,
                ruling="Evaluation data.",
                status=Claim.Status.PUBLISHED,
                published_at=now,
            )
        )
    Claim.objects.bulk_create(claims)
    return {key: claim.pk for key, claim in zip(keys, claims, strict=True)}


def evaluate(pairs, ids):
    """Each pair with the confidence its claim was matched with for its text (or None)."""
    results = []
    for pair in pairs:
        matches = match_text(pair["text"], claims=Claim.objects.published())
        found = next((m for m in matches if m.claim.pk == ids[pair["claim"]]), None)
        results.append((pair, found))
    return results


def rates(results, level):
    predicted = [found is not None and found.confidence in LEVELS[level] for _, found in results]
    actual = [pair["label"] == "same" for pair, _ in results]
    true_positive = sum(p and a for p, a in zip(predicted, actual, strict=True))
    precision = true_positive / max(1, sum(predicted))
    recall = true_positive / max(1, sum(actual))
    return precision, recall


class Command(BaseCommand):
    help = "Precision and recall of claim matching on tests/data/claim_matching_pairs.csv."

    def add_arguments(self, parser):
        parser.add_argument("--high", type=float, help="CLAIM_MATCH_HIGH to evaluate")
        parser.add_argument("--possible", type=float, help="CLAIM_MATCH_POSSIBLE to evaluate")
        parser.add_argument(
            "--errors", action="store_true", help="list the pairs the matcher got wrong"
        )

    def handle(self, *args, **options):
        thresholds = {
            "CLAIM_MATCH_HIGH": options["high"] or settings.CLAIM_MATCH_HIGH,
            "CLAIM_MATCH_POSSIBLE": options["possible"] or settings.CLAIM_MATCH_POSSIBLE,
        }
        with open(DATA / "claim_matching_pairs.csv", newline="") as rows:
            pairs = list(csv.DictReader(rows))
        name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            ids = load_claims()
            with override_settings(**thresholds):
                results = evaluate(pairs, ids)
        finally:
            connection.creation.destroy_test_db(name, verbosity=0)
        self.report(results, thresholds, options["errors"])

    def report(self, results, thresholds, errors):
        self.stdout.write(
            f"{len(results)} pairs, {len(list(evaluation_claims()))} claims, on "
            f"{connection.vendor}; high >= {thresholds['CLAIM_MATCH_HIGH']}, "
            f"possible >= {thresholds['CLAIM_MATCH_POSSIBLE']}"
        )
        for name in SETS:
            rows = [(pair, found) for pair, found in results if split(pair) == name]
            labels = Counter(pair["label"] for pair, _ in rows)
            claims = len({pair["claim"] for pair, _ in rows})
            self.stdout.write(
                f"\n{name}: {len(rows)} pairs ({labels['same']} same, "
                f"{labels['different']} different) about {claims} claims"
            )
            self.report_rates(rows)
        development = [(pair, found) for pair, found in results if split(pair) == SETS[0]]
        self.stdout.write("\ndevelopment by kind: pairs, matched high, matched possible or better")
        for kind in sorted({pair["kind"] for pair, _ in development}):
            rows = [(pair, found) for pair, found in development if pair["kind"] == kind]
            high = sum(1 for _, found in rows if found and found.confidence == "high")
            either = sum(1 for _, found in rows if found)
            label = rows[0][0]["label"]
            self.stdout.write(f"  {kind:16}{label:>10}{len(rows):5}{high:5}{either:5}")
        if errors:
            self.stdout.write("\nwrong at either threshold (development set only):")
            for pair, found in development:
                same = pair["label"] == "same"
                if (same and (not found or found.confidence != "high")) or (not same and found):
                    got = f"{found.confidence} {found.score} {found.why}" if found else "no match"
                    self.stdout.write(f"  [{pair['label']} {pair['kind']}] {got}: {pair['text']}")

    def report_rates(self, results):
        self.stdout.write(f"{'':10}{'precision':>10}{'recall':>8}   target")
        for level, (measure, target) in TARGETS.items():
            precision, recall = rates(results, level)
            value = precision if measure == "precision" else recall
            verdict = "met" if value >= target else "MISSED"
            self.stdout.write(
                f"{level:10}{precision:10.3f}{recall:8.3f}   {measure} >= {target}: {verdict}"
            )
