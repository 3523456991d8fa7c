"""Database time of one page of search results, as the public claim list runs it.

Run by ``bench/run.py`` against the benchmark database (or by hand, with ``DATABASE_URL``
set, PostgreSQL or SQLite): for each query, the claim list's search path (the candidates, the
count, the page's ids, its rows, their topics and the snippets) runs ``--runs`` times after a
warm-up, and the time spent in the database driver is summed per run. Prints p50, p95 and the
number of queries per query, and the figures as JSON on the last line for ``bench/run.py``.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def rarest_word(connection):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":  # the FTS5 index's vocabulary (claims.sqlite_search)
            cursor.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.claims_claim_words "
                "USING fts5vocab(main, claims_claim_fts, row)"
            )
            cursor.execute("SELECT term FROM temp.claims_claim_words ORDER BY doc, term LIMIT 1")
        else:
            cursor.execute(
                "SELECT word FROM ts_stat('SELECT search_vector FROM claims_claim') "
                "WHERE nentry > 0 ORDER BY ndoc, word LIMIT 1"
            )
        return cursor.fetchone()[0]


def results_page(query):
    """What ``claims.views.claim_list`` asks of the database for ``?q=query``."""
    from claims.filters import ClaimFilter
    from claims.models import Claim
    from claims.views import results_page

    claim_filter = ClaimFilter({"q": query}, queryset=Claim.objects.published())
    claim_filter.form.is_valid()
    return results_page(claim_filter, 1).paginator.count


def measure(query, runs):
    from django.db import connection

    spent, count = [0.0], [0]

    def timer(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[0] += time.perf_counter() - started
            count[0] += 1

    for _ in range(3):
        results_page(query)  # warm the caches, as a site in use has them
    times = []
    with connection.execute_wrapper(timer):
        for _ in range(runs):
            spent[0], count[0] = 0.0, 0
            found = results_page(query)
            times.append(spent[0] * 1000)
    times.sort()
    return {
        "query": query,
        "found": found,
        "queries": count[0],
        "p50_ms": statistics.median(times),
        "p95_ms": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection

    queries = [
        "report",  # in nearly every claim
        "officials said",
        "report or budget",
        rarest_word(connection),
        '"officials said" -budget',
    ]
    rows = [measure(query, args.runs) for query in queries]
    print(f"\n{'search database time (one results page)':44}{'found':>8}{'queries':>9}", end="")
    print(f"{'p50 ms':>9}{'p95 ms':>9}")
    for row in rows:
        print(
            f"{row['query']:44}{row['found']:8}{row['queries']:9}"
            f"{row['p50_ms']:9.1f}{row['p95_ms']:9.1f}"
        )
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
