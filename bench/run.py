"""``make bench``: Counterclaim under gunicorn, production settings, PostgreSQL and Redis, on
127.0.0.1 only, measured against a bare Django view in the same app.

1. Makes sure the database ``counterclaim_bench`` holds ``--claims`` synthetic claims
   (migrates and runs ``generate_data`` once; reused afterwards).
2. Starts gunicorn (``--workers``) with DEBUG off and BENCH on (``config/bench.py``: the bare
   view, a plain ``JsonResponse`` of the API list's rows, an ``X-Queries`` header).
3. Drives each URL from loopback with a small threaded load generator, bounded by
   ``--requests`` and ``--seconds`` per URL, and prints one table: requests per second, p50 and
   p99 latency, queries per request, and the ratio to the bare view. Writes it as JSON under
   ``bench/results/`` (not committed).

It also prints the database time of one page of search results at that size
(``bench/search_times.py``: p50 and p95 for common words, a rare word and a phrase), and
claim matching's speed (``bench/match_times.py``: one text's p50 and p95, and sentences a
second in batches of 100, with issue 15's targets).

``--mixed`` runs only the mixed read/write rows (also part of the default run): readers on
100 claim pages, their API details, the claim list, home and the API list while a writer
saves one of those claims a second through ``claims.services``, as an editor would; it prints
each kind's cache hit ratio (``X-Cache``) and p50/p95, and issue 14's target (claim pages hit
the cache >= 90 % under one write a second). ``--mixed-seconds`` sets its length (30).

``--table-only`` stops after the table (step 3) and its targets.

``--soak SECONDS`` instead drives a mix of URLs for that long and reports errors and the
workers' memory (``make soak``). "Uncached" rows add a unique query parameter to each
request, so every one misses the public cache and renders its template, with what is kept
per version of the claim or the lists (what a claim page shows from the database, counts) as
the first reader left it; "cold" asks for a different claim each time (1,000 of them, each
once), so nothing of the page is in the cache, as for a crawler or the first reader after a
write. "304, uncached"
sends the page's ETag with a unique parameter (the view's ETag query answers), "304, cached"
with the same URL (the cached page answers, as a browser's or a CDN's revalidation would).
"""

import argparse
import datetime as dt
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
HOST = "127.0.0.1"
SERVER = "postgres://postgres@127.0.0.1:5432"
# What to request: the newest published claim, COLD_CLAIMS others (each requested once: nothing
# of theirs is in the cache), and the rarest word of the search vectors (the same word
# bench/search_times.py times).
COLD_CLAIMS = 1000
TARGETS_SCRIPT = """
import json, sys
from django.db import connection
from claims.models import Claim
sys.path.insert(0, "bench")
from search_times import rarest_word
claim = Claim.objects.published().filter(stance_links__isnull=False).order_by("-published_at")[0]
rare = rarest_word(connection)
cold = Claim.objects.published().filter(stance_links__isnull=False).distinct().order_by("pk")
cold = [other.get_absolute_url() for other in cold[:%d]]
print(json.dumps({"claim": claim.get_absolute_url(), "id": claim.pk, "rare": rare, "cold": cold}))
"""
# Three claimants for the claimant page's rows, with PROLIFIC_CLAIMS, FEW_CLAIMS and
# PAGE_CLAIMS public claims: synthetic claims handed to synthetic actors (made once, reused),
# since generate_data spreads them thinly. Issue 14: the first costs what the others do. The
# target compares it with the claimant whose claims fill one page, as its pages do: a page of
# five cards renders in half the time of a page of twenty, whatever the archive holds.
PROLIFIC_CLAIMS = 50_000
FEW_CLAIMS = 5
PAGE_CLAIMS = 20  # claims.views.CLAIMS_PER_PAGE
CLAIMANTS_SCRIPT = """
import json
from claims.models import Claim
from sources.models import Actor

SLUGS = [
    "synthetic-prolific-claimant", "synthetic-claimant-of-a-few", "synthetic-claimant-of-a-page"
]

def claimant(slug, name, claims, newest):
    actor, _ = Actor.objects.get_or_create(
        slug=slug,
        defaults={"name": name, "kind": "organization",
                  "description": "Synthetic actor: a benchmark's claimant."},
    )
    missing = claims - Claim.objects.published().filter(claimant=actor).count()
    if missing > 0:
        others = Claim.objects.published().exclude(claimant__slug__in=SLUGS)
        others = others.order_by("-pk" if newest else "pk")
        ids = list(others.values_list("pk", flat=True)[:missing])
        Claim.objects.filter(pk__in=ids).update(claimant=actor)
    return actor.slug

print(json.dumps({
    "prolific": claimant(SLUGS[0], "Synthetic prolific claimant", %d, False),
    "few": claimant(SLUGS[1], "Synthetic claimant of a few", %d, True),
    "page": claimant(SLUGS[2], "Synthetic claimant of a page", %d, True),
}))
"""


# The mixed run (``--mixed``): readers on MIXED_CLAIMS claim pages (and their API details),
# the lists and the API list while a writer saves one of those claims a second through
# claims.services, as an editor would. Issue 14's target: claim pages hit the cache >= 90 %.
MIXED_CLAIMS = 100
MIXED_TARGET = 0.9
MIXED_CLAIMS_SCRIPT = """
import json
from claims.models import Claim
claims = Claim.objects.published().filter(stance_links__isnull=False).distinct()
claims = claims.order_by("-published_at", "-id")[:%d]
print(json.dumps([[claim.pk, claim.get_absolute_url()] for claim in claims]))
"""
MIXED_WRITER_SCRIPT = """
import json, random, sys, time
from django.contrib.auth.models import Group, User
from claims import services
from claims.models import Claim
editor, _ = User.objects.get_or_create(username="bench-editor", defaults={"is_staff": True})
editor.groups.add(Group.objects.get(name="Editors"))
ids, seconds = json.loads(%r), %f
print("ready", flush=True)  # Django is up: the readers start now
rng, writes, started = random.Random(7), 0, time.monotonic()
while time.monotonic() - started < seconds:
    due = started + writes
    time.sleep(max(0.0, due - time.monotonic()))
    claim = Claim.objects.get(pk=rng.choice(ids))
    # The summary is not a material change: no correction note is needed, the slug stays.
    services.change_claim(claim, by=User.objects.get(pk=editor.pk),
                          summary=claim.summary.split(" [edit")[0][:180] + f" [edit {writes}]")
    writes += 1
print(json.dumps({"writes": writes, "seconds": time.monotonic() - started}))
"""


# A sentence in the words of the synthetic claims (claims.management.commands.generate_data).
MATCH_TEXT = "officials+said+the+detention+facility+budget+increase+was+in+the+report"


def settings_env(args):
    return {
        **os.environ,
        "DEBUG": "0",
        "BENCH": "1",
        "SECRET_KEY": "bench-only-secret-key-not-for-production",
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": f"{SERVER}/{args.database}",
        "REDIS_URL": args.redis,
        "API_THROTTLE_ANON": "100000000/minute",
        "API_THROTTLE_USER": "100000000/minute",
        "SEARCH_THROTTLE": "",  # the search rows send hundreds of searches a minute
        "STATIC_ROOT": "/tmp/counterclaim-bench-static",
        "LOG_LEVEL": "WARNING",
    }


def manage(env, *args, capture=False):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=capture,
    )
    return result.stdout


def prepare(args, env):
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        if not conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [args.database]
        ).fetchone():
            conn.execute(f'CREATE DATABASE "{args.database}"')
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    count = int(
        manage(
            env,
            "shell",
            "-c",
            "from claims.models import Claim; print(Claim.objects.count())",
            capture=True,
        ).split()[-1]
    )
    if count < args.claims:
        print(f"{count:,} claims in {args.database}; generating {args.claims - count:,} more")
        started = time.monotonic()
        manage(env, "generate_data", "--claims", str(args.claims - count), "--seed", str(count + 1))
        print(f"generate_data: {time.monotonic() - started:.1f}s")
    script = CLAIMANTS_SCRIPT % (PROLIFIC_CLAIMS, FEW_CLAIMS, PAGE_CLAIMS)
    claimants = json.loads(manage(env, "shell", "-c", script, capture=True).splitlines()[-1])
    # After the claimants' writes, as autovacuum would do in time: statistics for the planner
    # and claim matching, and a visibility map for index-only scans.
    manage(
        env,
        "shell",
        "-c",
        "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')",
    )
    script = TARGETS_SCRIPT % COLD_CLAIMS
    targets = json.loads(manage(env, "shell", "-c", script, capture=True).splitlines()[-1])
    return {**targets, **claimants}


def database_times(env, script):
    """Run ``bench/<script>`` (``search_times.py``, ``match_times.py``: each prints its own
    table); return its figures."""
    result = subprocess.run(
        [sys.executable, f"bench/{script}"],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=True,
    )
    lines = result.stdout.strip().splitlines()
    print("\n".join(lines[:-1]))
    return json.loads(lines[-1])


def start(args, env):
    import redis

    redis.Redis.from_url(args.redis).flushdb()  # our own cache database only
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"{HOST}:{args.port}",
            "--workers",
            str(args.workers),
            "--timeout",
            "600",  # as the Dockerfile: whole exports stream for longer than the default 30 s
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection(HOST, args.port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def drive(args, path, *, headers=None, unique=False, requests=None, seconds=None):
    """Send up to ``requests`` GETs (or for ``seconds``) from ``args.concurrency`` threads
    with keep-alive; return latencies (s), statuses and X-Queries values. ``path`` may be a
    list: each request asks for the next, and no more requests than it holds."""
    requests = requests or args.requests
    paths = path if isinstance(path, list) else None
    if paths:
        requests = min(requests, len(paths))
    deadline = time.monotonic() + (seconds or args.seconds)
    lock, sent = threading.Lock(), [0]
    latencies, statuses, queries = [], [], []

    def worker():
        conn = http.client.HTTPConnection(HOST, args.port, timeout=30)
        while True:
            with lock:
                if sent[0] >= requests or time.monotonic() > deadline:
                    return
                sent[0] += 1
                n = sent[0]
            url = paths[n - 1] if paths else path
            if unique:
                url += ("&" if "?" in url else "?") + f"_bench={time.time_ns()}-{n}"
            started = time.perf_counter()
            try:
                conn.request("GET", url, headers=headers or {})
                response = conn.getresponse()
                response.read()
                status = response.status
                count = response.getheader("X-Queries")
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(HOST, args.port, timeout=30)
                status, count = 0, None
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses.append(status)
                if count is not None:
                    queries.append(int(count))

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, statuses, queries, time.monotonic() - started


def etag(args, path):
    conn = http.client.HTTPConnection(HOST, args.port)
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    return response.getheader("ETag")


def scenarios(args, targets):
    claim, pk = targets["claim"], targets["id"]
    prolific = f"/claimants/{targets['prolific']}/"
    few = f"/claimants/{targets['few']}/"
    one_page = f"/claimants/{targets['page']}/"
    return [
        ("bare Django JSON view", "/bench/bare", {}, False),
        ("home (uncached)", "/", {}, True),
        ("claim list (uncached)", "/claims/", {}, True),
        ("claim page (uncached)", claim, {}, True),
        ("claim page (cold, new each time)", targets["cold"], {}, True),
        ("claim page (304, uncached)", claim, {"If-None-Match": etag(args, claim)}, True),
        ("claim page (cached)", claim, {}, False),
        ("claim page (304, cached)", claim, {"If-None-Match": etag(args, claim)}, False),
        ("search, common word", "/claims/?q=report", {}, True),
        ("search, rare word", f"/claims/?q={targets['rare']}", {}, True),
        ("search, phrase -exclude", "/claims/?q=%22officials+said%22+-budget", {}, True),
        ("API list (uncached)", "/api/v1/claims/", {}, True),
        ("API detail (uncached)", f"/api/v1/claims/{pk}/", {}, True),
        ("plain JsonResponse list", "/bench/plain-list", {}, True),
        ("API list (cached)", "/api/v1/claims/", {}, False),
        (f"claimant page, {FEW_CLAIMS} claims", few, {}, True),
        (f"claimant page, {PAGE_CLAIMS} claims", one_page, {}, True),
        (f"claimant page, {PROLIFIC_CLAIMS:,} claims", prolific, {}, True),
        ("  the same, page 2,000", f"{prolific}?page=2000", {}, True),
        ("sitemap index (uncached)", "/sitemap.xml", {}, True),
        ("sitemap, first claims section", "/sitemap-claims.xml", {}, True),
        ("  the same, cached", "/sitemap-claims.xml", {}, False),
        ("claims:match text (uncached)", f"/api/v1/claims:match?text={MATCH_TEXT}", {}, True),
    ]


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def bench(args, targets):
    rows = []
    for name, path, headers, unique in scenarios(args, targets):
        warm = path
        if isinstance(path, list):  # pages asked for once each: warm up on others
            warm, path = path[: args.concurrency * 3], path[args.concurrency * 3 :]
        drive(args, warm, headers=headers, unique=unique, requests=args.concurrency * 3)
        latencies, statuses, queries, elapsed = drive(args, path, headers=headers, unique=unique)
        errors = sum(1 for status in statuses if status not in (200, 304))
        rows.append(
            {
                "name": name,
                "path": path if isinstance(path, str) else f"{len(path):,} pages, each once",
                "requests": len(latencies),
                "errors": errors,
                "rps": len(latencies) / elapsed,
                "p50_ms": statistics.median(latencies) * 1000,
                "p99_ms": percentile(latencies, 99) * 1000,
                "queries": statistics.median(queries) if queries else None,
                "status": sorted(set(statuses)),
            }
        )
    bare = rows[0]["rps"]
    for row in rows:
        row["ratio"] = row["rps"] / bare
    return rows


def print_table(rows, args):
    print(
        f"\n{args.claims:,} claims, gunicorn --workers {args.workers}, "
        f"{args.concurrency} client threads, <= {args.requests} requests or {args.seconds}s per row"
    )
    columns = ["req/s", "p50 ms", "p99 ms", "queries", "vs bare", "errors"]
    print(f"{'':32}" + "".join(f"{column:>9}" for column in columns))
    for row in rows:
        queries = "-" if row["queries"] is None else f"{row['queries']:g}"
        print(
            f"{row['name']:32}{row['rps']:9.0f}{row['p50_ms']:9.1f}{row['p99_ms']:9.1f}"
            f"{queries:>9}{row['ratio']:9.0%}{row['errors']:9}"
        )
    for issue in ("7", "14"):
        print(f"\ntargets (issue {issue})")
        for what, shown, target, met in targets_met(rows, issue):
            print(f"  {what:54}{shown:>9}  target {target:12}{'met' if met else 'MISSED'}")


CLAIM_PAGE_ROWS = ("uncached", "304, uncached", "cached", "304, cached")
# Issue 14's targets for the sitemap (its own words: "served from the cache and cheap to
# generate"; the figures are ours): the index and a section page of 10,000 ids rendered within
# a crawler's patience, and a cached section served from the cache alone (no query), quickly.
# A section is about 1.5 MB of XML: its requests a second measure how fast bytes move, so the
# first target we set, 80 % of the bare view's (a few bytes of JSON), compared unlike things.
SITEMAP_INDEX_P99_MS = 1_000
SITEMAP_SECTION_P99_MS = 5_000
SITEMAP_CACHED_P99_MS = 100


def targets_met(rows, issue):
    """(what, value as shown, target as shown, met) for each of the issue's targets."""
    row = {row["name"]: row for row in rows}
    bare = row["bare Django JSON view"]["rps"]

    def ratio(what, name, target, of=None):
        value = row[name]["rps"] / (row[of]["rps"] if of else bare)
        return (what, f"{value:.0%}", f">= {target:.0%}", value >= target)

    def p99(what, name, target_ms):
        value = row[name]["p99_ms"]
        return (what, f"{value:,.0f} ms", f"< {target_ms:,} ms", value < target_ms)

    if issue == "7":
        return [
            ratio("claim page uncached / bare view", "claim page (uncached)", 0.40),
            ratio(
                "claim page 304 through the view / bare view", "claim page (304, uncached)", 0.80
            ),
            ratio("claim page 304 from the cache / bare view", "claim page (304, cached)", 0.80),
            ratio("claim page cached / bare view", "claim page (cached)", 0.80),
            ratio(
                "DRF list / plain JsonResponse of the same rows",
                "API list (uncached)",
                0.50,
                of="plain JsonResponse list",
            ),
        ]
    few, many = f"claimant page, {FEW_CLAIMS} claims", f"claimant page, {PROLIFIC_CLAIMS:,} claims"
    page = f"claimant page, {PAGE_CLAIMS} claims"
    cached = row["  the same, cached"]
    return [
        ratio("claim page uncached / bare view", "claim page (uncached)", 0.20),
        # "Costs the same": within the runs' noise (+-10 %) and a margin.
        ratio(f"claimant page, {PROLIFIC_CLAIMS:,} / {PAGE_CLAIMS} claims", many, 0.80, of=page),
        ratio("  the same, its page 2,000", "  the same, page 2,000", 0.80, of=page),
        (
            f"claimant page, queries for {PROLIFIC_CLAIMS:,} / {FEW_CLAIMS} claims",
            f"{row[many]['queries']:g} / {row[few]['queries']:g}",
            "equal",
            row[many]["queries"] == row[few]["queries"],
        ),
        p99("sitemap index, uncached", "sitemap index (uncached)", SITEMAP_INDEX_P99_MS),
        p99(
            "sitemap section (10,000 ids), uncached",
            "sitemap, first claims section",
            SITEMAP_SECTION_P99_MS,
        ),
        (
            "sitemap section, cached: queries, p99",
            f"{cached['queries']:g}, {cached['p99_ms']:,.0f} ms",
            f"0, < {SITEMAP_CACHED_P99_MS} ms",
            cached["queries"] == 0 and cached["p99_ms"] < SITEMAP_CACHED_P99_MS,
        ),
    ]


def mixed_paths(claims):
    """(kind, path, weight) for the mixed run's readers."""
    return [
        *(("claim page", url, 60 / len(claims)) for _, url in claims),
        *(("API detail", f"/api/v1/claims/{pk}/", 15 / len(claims)) for pk, _ in claims),
        ("claim list", "/claims/", 5),
        ("claim list", "/claims/?page=2", 3),
        ("home", "/", 5),
        ("API list", "/api/v1/claims/", 12),
    ]


def mixed(args, env):
    """Readers while a writer saves one claim a second: each kind's hit ratio (``X-Cache``)
    and latency. Every URL is read once first, so the run measures a warm cache under
    writes, not a cold start."""
    import random

    claims = json.loads(
        manage(env, "shell", "-c", MIXED_CLAIMS_SCRIPT % MIXED_CLAIMS, capture=True)
        .strip()
        .splitlines()[-1]
    )
    paths = mixed_paths(claims)
    for _, path, _ in paths:
        drive(args, path, requests=1)
    script = MIXED_WRITER_SCRIPT % (json.dumps([pk for pk, _ in claims]), args.mixed_seconds)
    writer = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
    )
    for line in writer.stdout:  # after the shell's own messages
        if line.strip() == "ready":
            break
    lock, seen = threading.Lock(), []
    deadline = time.monotonic() + args.mixed_seconds

    def reader(seed):
        rng = random.Random(seed)
        kinds = [(kind, path) for kind, path, _ in paths]
        weights = [weight for _, _, weight in paths]
        conn = http.client.HTTPConnection(HOST, args.port, timeout=30)
        while time.monotonic() < deadline:
            kind, path = rng.choices(kinds, weights)[0]
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                status, cache = response.status, response.getheader("X-Cache")
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(HOST, args.port, timeout=30)
                status, cache = 0, None
            with lock:
                seen.append((kind, time.perf_counter() - started, status, cache))

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(args.concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    written = json.loads(writer.communicate(timeout=120)[0].strip().splitlines()[-1])
    if written["writes"] < args.mixed_seconds * 0.9:
        print(f"warning: the writer fell behind ({written['writes']} writes)")
    rows = []
    for kind in dict.fromkeys(kind for kind, _, _ in paths):
        mine = [row for row in seen if row[0] == kind]
        latencies = [latency for _, latency, _, _ in mine]
        rows.append(
            {
                "name": kind,
                "requests": len(mine),
                "errors": sum(1 for row in mine if row[2] != 200),
                "hit_ratio": sum(1 for row in mine if row[3] == "hit") / max(len(mine), 1),
                "p50_ms": statistics.median(latencies) * 1000 if latencies else 0,
                "p95_ms": percentile(latencies, 95) * 1000 if latencies else 0,
            }
        )
    print(
        f"\nmixed: {args.concurrency} readers for {args.mixed_seconds:g}s on {len(claims)} claims "
        f"(and the lists, the API), while a writer saved {written['writes']} claims "
        f"({written['writes'] / written['seconds']:.2f} a second, claims.services)"
    )
    columns = ["requests", "hit ratio", "p50 ms", "p95 ms", "errors"]
    print(f"{'':32}" + "".join(f"{column:>10}" for column in columns))
    for row in rows:
        print(
            f"{row['name']:32}{row['requests']:10}{row['hit_ratio']:10.2f}"
            f"{row['p50_ms']:10.1f}{row['p95_ms']:10.1f}{row['errors']:10}"
        )
    claim_page = rows[0]["hit_ratio"]
    verdict = "met" if claim_page >= MIXED_TARGET else "MISSED"
    print("\ntargets (issue 14)")
    print(
        f"  {'claim pages hit ratio under one write a second':50}{claim_page:6.2f}"
        f"  target >= {MIXED_TARGET:g}  {verdict}"
    )
    return {"rows": rows, "writes": written}


def worker_pids(server):
    return [
        int(pid)
        for pid in Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    ]


def rss_mb(pid):
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:  # the worker was killed (gunicorn's timeout)
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def worker_memory_mb(server):
    return [rss_mb(pid) for pid in worker_pids(server)]


EXPORTS = [
    ("CSV export, every public claim", "/api/v1/claims/csv/"),
    ("ClaimReview export, every published claim", "/api/v1/claims/claimreview/"),
]
# Issue 14's targets for a whole export at 1,000,000 claims.
EXPORT_FIRST_BYTE_S = 1.0
EXPORT_RSS_GROWTH_MB = 50


def export(args, server, path):
    """One whole export, read as a client would: the time to its first byte and to its last,
    its size, and the memory of the worker that answered (``X-Worker-Pid``) before and after
    (after: the largest it reached while streaming, read with each megabyte). An export cut
    off before its end (gunicorn's timeout kills the worker) says so in its status."""
    before = {pid: rss_mb(pid) for pid in worker_pids(server)}
    conn = http.client.HTTPConnection(HOST, args.port, timeout=3600)
    started = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    pid = int(response.getheader("X-Worker-Pid"))
    size = len(response.read(1))
    first_byte = time.perf_counter() - started
    status, after = response.status, rss_mb(pid)
    try:
        while chunk := response.read(1 << 20):
            size += len(chunk)
            after = max(after, rss_mb(pid))
    except (http.client.IncompleteRead, OSError):
        status = "cut"
    total = time.perf_counter() - started
    return {
        "path": path,
        "status": status,
        "first_byte_s": first_byte,
        "total_s": total,
        "mb": size / 2**20,
        "rss_before_mb": before[pid],
        "rss_after_mb": after,
    }


def exports(args, server):
    rows = [{"name": name, **export(args, server, path)} for name, path in EXPORTS]
    print(f"\nwhole exports, {args.claims:,} claims, one request each")
    columns = ["status", "1st byte s", "total s", "MB", "RSS before", "RSS after"]
    print(f"{'':44}" + "".join(f"{column:>11}" for column in columns))
    for row in rows:
        print(
            f"{row['name']:44}{row['status']:11}{row['first_byte_s']:11.2f}{row['total_s']:11.1f}"
            f"{row['mb']:11.1f}{row['rss_before_mb']:11.0f}{row['rss_after_mb']:11.0f}"
        )
    print("\ntargets (issue 14, stated for 1,000,000 claims)")
    for row in rows:
        growth = row["rss_after_mb"] - row["rss_before_mb"]
        checks = [
            ("first byte", row["first_byte_s"], "s", EXPORT_FIRST_BYTE_S),
            ("worker RSS growth", growth, " MB", EXPORT_RSS_GROWTH_MB),
        ]
        for what, value, unit, target in checks:
            verdict = "met" if value < target and row["status"] == 200 else "MISSED"
            label = f"{row['name']}: {what}"
            print(f"  {label:60}{value:8.2f}{unit:3}  target < {target:g}{unit}  {verdict}")
    return rows


def soak(args, targets, server):
    paths = [path for _, path, _, _ in scenarios(args, targets)[1:]]
    started, errors, total, memory = time.monotonic(), 0, 0, []
    while time.monotonic() - started < args.soak:
        for path in paths:
            _, statuses, _, _ = drive(args, path, unique=True, requests=50, seconds=5)
            total += len(statuses)
            errors += sum(1 for status in statuses if status not in (200, 304))
        memory.append(max(worker_memory_mb(server)))
        print(
            f"{time.monotonic() - started:6.0f}s {total:7} requests {errors} errors, "
            f"largest worker {memory[-1]:.0f} MB",
            flush=True,
        )
    return {"seconds": args.soak, "requests": total, "errors": errors, "worker_mb": memory}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=100_000, help="1000000 for the big run")
    parser.add_argument("--database", default="counterclaim_bench")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=3, help="as the Dockerfile runs")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--requests", type=int, default=500, help="per row, at most")
    parser.add_argument("--seconds", type=float, default=8, help="per row, at most")
    parser.add_argument("--soak", type=float, default=0, help="soak for this many seconds")
    parser.add_argument(
        "--mixed", action="store_true", help="only the mixed read/write run (readers, one write/s)"
    )
    parser.add_argument("--mixed-seconds", type=float, default=30, help="the mixed run's length")
    parser.add_argument(
        "--table-only",
        action="store_true",
        help="only the table of pages and its targets (no mixed run, exports or timings)",
    )
    args = parser.parse_args()
    env = settings_env(args)
    targets = prepare(args, env)
    server = start(args, env)
    try:
        if args.soak:
            result = {"soak": soak(args, targets, server)}
        elif args.mixed:
            result = {"mixed": mixed(args, env)}
        else:
            rows = bench(args, targets)
            print_table(rows, args)
            result = (
                {"rows": rows}
                if args.table_only
                else {
                    "rows": rows,
                    "mixed": mixed(args, env),
                    "exports": exports(args, server),
                    "search": database_times(env, "search_times.py"),
                    "matching": database_times(env, "match_times.py"),
                }
            )
        result["worker_mb"] = worker_memory_mb(server)
    finally:
        server.terminate()
        server.wait(timeout=30)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = RESULTS / f"{'soak' if args.soak else 'bench'}-{stamp}.json"
    out.write_text(
        json.dumps({"claims": args.claims, "args": vars(args), **result}, indent=2, default=str)
    )
    print(
        f"\nworker memory: {', '.join(f'{mb:.0f} MB' for mb in result['worker_mb'])}\nwrote {out}"
    )


if __name__ == "__main__":
    main()
