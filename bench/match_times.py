"""Claim matching's speed at the benchmark database's size (issue 15's targets).

Run by ``bench/run.py`` against the benchmark database (or by hand, with ``DATABASE_URL``
set). The texts are sentences made from published claims' quotes, as a reader would paste
them: the first words of one quote (a partial quote), and the same words reordered; how
many find the claim they were made from is printed beside the times. Measured in
process (``claims.matching``, database and re-ranking, no HTTP):

- one text: ``match_text`` on ``--runs`` texts one by one, after a warm-up: p50 and p95;
- a batch: ``match_texts`` on 100 sentences at once, ``--batches`` times: sentences a second.

Prints a table with the targets, and the figures as JSON on the last line.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

ONE_TEXT_P95_MS = 50
SENTENCES_PER_SECOND = 100
BATCH = 100


def sentences(count, seed=15):
    """``count`` sentences from random published claims, with the id of the claim each is
    made from: half a partial quote (its first 14 words), half the same words shuffled (so
    no exact string matches)."""
    from claims.models import Claim

    ids = list(Claim.objects.published().values_list("pk", flat=True)[:200_000])
    rng = random.Random(seed)
    quotes = Claim.objects.filter(pk__in=rng.sample(ids, min(count, len(ids)))).values_list(
        "pk", "quote"
    )
    texts = []
    for n, (pk, quote) in enumerate(quotes):
        words = quote.split()[:14]
        if n % 2:
            rng.shuffle(words)
        texts.append((pk, " ".join(words)))
    return texts


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=200, help="single texts timed")
    parser.add_argument("--batches", type=int, default=3, help="batches of 100 timed")
    args = parser.parse_args()
    import django

    django.setup()
    from claims.matching import match_text, match_texts
    from claims.models import Claim

    texts = sentences(args.runs + BATCH * args.batches)
    singles, batch_texts = texts[: args.runs], [text for _, text in texts[args.runs :]]
    for _, text in singles[:20]:
        match_text(text)  # warm the caches, as a site in use has them
    times, found, first = [], 0, 0
    for pk, text in singles:
        started = time.perf_counter()
        matches = match_text(text)
        times.append((time.perf_counter() - started) * 1000)
        # Recall: the claim the text was made from among its matches, and first.
        found += pk in [match.claim.pk for match in matches]
        first += bool(matches) and matches[0].claim.pk == pk
    rates = []
    for start in range(0, len(batch_texts), BATCH):
        chunk = batch_texts[start : start + BATCH]
        started = time.perf_counter()
        match_texts(chunk)
        rates.append(len(chunk) / (time.perf_counter() - started))
    result = {
        "claims": Claim.objects.count(),
        "one_text_p50_ms": statistics.median(times),
        "one_text_p95_ms": percentile(times, 95),
        "texts_finding_their_claim": found / len(singles),
        "texts_finding_their_claim_first": first / len(singles),
        "batch_sentences_per_second": statistics.median(rates),
    }
    p95, rate = result["one_text_p95_ms"], result["batch_sentences_per_second"]
    print(f"\nclaim matching at {result['claims']:,} claims (in process)")
    print(
        f"  one text          p50 {result['one_text_p50_ms']:6.1f} ms  p95 {p95:6.1f} ms"
        f"   target p95 < {ONE_TEXT_P95_MS} ms: {'met' if p95 < ONE_TEXT_P95_MS else 'MISSED'}"
        f"   ({found} of {len(singles)} texts found their claim, {first} first)"
    )
    print(
        f"  batch of {BATCH}      {rate:6.0f} sentences/s"
        f"{'':18}target >= {SENTENCES_PER_SECOND}/s: "
        f"{'met' if rate >= SENTENCES_PER_SECOND else 'MISSED'}"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
