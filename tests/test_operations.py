"""What an operator relies on: the health check, settings that refuse an unsafe production
configuration, and static files that collect and compress."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.fixture
def database_down(monkeypatch):
    """The health check's database connection, pointed at a server that is not there: a
    closed port on PostgreSQL (with the settings' pool and its 10 s timeout), a file that
    cannot be opened on SQLite."""
    settings_dict = {**connection.settings_dict}
    if connection.vendor == "postgresql":
        with socket.socket() as unused:
            unused.bind(("127.0.0.1", 0))
            settings_dict.update(HOST="127.0.0.1", PORT=unused.getsockname()[1])
    else:
        settings_dict["NAME"] = "/nonexistent/directory/db.sqlite3"
    down = type(connections["default"])(settings_dict, alias="healthz-down")
    monkeypatch.setattr("config.health.connection", down)
    yield
    if getattr(down, "pool", None) is not None:
        down.close_pool()
    down.close()


@pytest.mark.django_db
def test_healthz_answers_503_quickly_when_the_database_does_not(client, database_down):
    started = time.monotonic()
    response = client.get("/healthz")
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
    # Within the Dockerfile's 4 s health-check timeout, not after the pool's 10 s.
    assert elapsed < 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="psycopg's pool is PostgreSQL's")
# Serialized rollback, as every transactional test here: the flush after a test without it
# makes content types again, which the next test with it then fails to restore (found by
# pytest-randomly running this test before the browser tests).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_first_request_after_a_database_restart_succeeds(client, make):
    """A restart leaves the pool holding connections the server has closed; the pool must
    check each before handing it out (CONN_HEALTH_CHECKS) rather than fail a request."""
    import psycopg

    make.claim()
    connection.close()  # the test's own connection goes back to the pool
    pool = connection.pool
    with psycopg.connect(pool.conninfo, **pool.kwargs) as admin:
        killed = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()[0]
    assert killed >= 1  # every pooled connection, as a restart would
    assert client.get("/api/v1/sources/").status_code == 200


def load_settings(**env):
    """Import the settings in a fresh interpreter with exactly ``env`` set."""
    unset = ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "REDIS_URL", "LOCAL_MEMORY_CACHE")
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    code = "import config.settings as s; print(s.DEBUG, s.ALLOWED_HOSTS, s.CACHES['default'])"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


PRODUCTION = {
    "SECRET_KEY": "s3cret-s3cret-s3cret",
    "ALLOWED_HOSTS": "example.org",
    "REDIS_URL": "redis://cache.example:6379/0",
}


def test_production_refuses_to_start_without_secret_key():
    result = load_settings(ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = load_settings(SECRET_KEY="s3cret-s3cret-s3cret")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_debug_is_off_unless_asked_for():
    result = load_settings(**PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("False ['example.org'] ")
    result = load_settings(DEBUG="1")
    assert result.stdout.startswith("True ['127.0.0.1', 'localhost'] ")


def test_production_refuses_to_start_without_a_shared_cache():
    """Three workers with a memory cache each: after a write, most readers got the old page."""
    result = load_settings(**{**PRODUCTION, "REDIS_URL": ""})
    assert result.returncode != 0
    assert "REDIS_URL must be set when DEBUG is off" in result.stderr


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        (PRODUCTION, "config.redis_cache.RedisCache"),
        ({"DEBUG": "1"}, "django.core.cache.backends.locmem.LocMemCache"),
        (
            {**PRODUCTION, "REDIS_URL": "", "LOCAL_MEMORY_CACHE": "true"},
            "django.core.cache.backends.locmem.LocMemCache",
        ),
    ],
)
def test_the_cache_is_redis_in_production_and_memory_for_one_process(env, backend):
    result = load_settings(**env)
    assert result.returncode == 0, result.stderr
    assert backend in result.stdout


def test_the_redis_cache_makes_one_client_per_connection_pool():
    """Django's backend builds a ``redis.Redis`` (some 200 callbacks) for every operation."""
    from config.redis_cache import RedisCache

    client = RedisCache("redis://127.0.0.1:6379/0", {})._cache
    first = client.get_client("a")
    assert client.get_client("b") is first
    assert client.get_client("c", write=True) is first
    assert first.connection_pool is client._get_connection_pool(write=False)


def test_database_url_switches_to_postgresql_with_a_pool():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import config.settings as s; d = s.DATABASES['default'];"
            "print(d['ENGINE'], d['NAME'], bool(d['OPTIONS']['pool']), d['CONN_MAX_AGE'],"
            " d['CONN_HEALTH_CHECKS'])",
        ],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "1", "DATABASE_URL": "postgres://u@db.example:5432/cc"},
        capture_output=True,
        text=True,
    )
    # CONN_HEALTH_CHECKS: the pool checks a connection before handing it out.
    assert result.stdout.split() == ["django.db.backends.postgresql", "cc", "True", "0", "True"]


def test_static_files_collect_fingerprinted_and_compressed(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    css = list((tmp_path / "css").glob("site.*.css"))
    assert css, "site.css was not fingerprinted"
    assert (tmp_path / "css" / f"{css[0].name}.gz").exists()


def test_templates_are_compiled_once_per_process_with_debug_off():
    """Django's cached loader: a page's templates are parsed on first use, not per request."""
    code = (
        "import django; django.setup(); from django.template import engines;"
        "print(engines['django'].engine.debug,"
        " [type(loader).__module__ for loader in engines['django'].engine.template_loaders])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, **PRODUCTION, "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False ['django.template.loaders.cached']"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="psycopg's pool is PostgreSQL's")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_first_request_after_a_restart_succeeds_when_the_pool_had_grown(client, make):
    """A burst of requests grows the pool; a restart kills every connection it holds. The
    first request must not wait for each dead one in turn (the pool's backoff grows each time:
    five took it past its 10 s timeout)."""
    import threading

    import psycopg

    from claims.models import Claim

    make.claim()
    connection.close()
    burst = threading.Barrier(5)

    def request():
        burst.wait()
        Claim.objects.count()
        time.sleep(0.2)  # all five at once: the pool grows to five
        connections.close_all()

    threads = [threading.Thread(target=request) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    pool = connection.pool
    assert pool.get_stats()["pool_size"] >= 5
    with psycopg.connect(pool.conninfo, **pool.kwargs) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    started = time.monotonic()
    assert client.get("/api/v1/sources/").status_code == 200
    assert time.monotonic() - started < 5


def prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements")
@pytest.mark.django_db
def test_a_claim_page_is_read_with_prepared_statements_and_a_claimant_page_is_not(client, make):
    """The claim page's queries look rows up by the claim's key: prepared, PostgreSQL plans
    them once per connection. A claimant's page is not: one plan for every claimant cannot
    serve both one with 5 claims and one with 50,000 (config/prepared_statements.py)."""
    claim = make.claim()  # published
    assert client.get(claim.get_absolute_url()).status_code == 200
    page_query = [s for s in prepared_statements() if 'FROM "claims_claim"' in s and "EXISTS" in s]
    assert len(page_query) == 1
    assert connection.connection.prepare_threshold is None  # only inside the page
    before = set(prepared_statements())
    assert client.get(f"/claimants/{claim.claimant.slug}/").status_code == 200
    assert set(prepared_statements()) == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements")
@pytest.mark.django_db
def test_prepared_statements_can_be_turned_off_for_a_pooler_that_cannot_keep_them(
    client, make, settings
):
    settings.DATABASE_PREPARED_STATEMENTS = False
    claim = make.claim()
    assert client.get(claim.get_absolute_url()).status_code == 200
    assert prepared_statements() == []
