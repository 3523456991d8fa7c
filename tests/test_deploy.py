"""Growing past one machine and getting data back: the read-replica router, and a backup
round trip (dumpdata, an empty database, loaddata) that loses nothing."""

import contextlib
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import RequestFactory

from claims.models import Claim
from config.db_routers import ReplicaReadsMiddleware, ReplicaRouter

ROOT = Path(__file__).resolve().parent.parent
# What docs/deploy.md's portable backup dumps: the content, and the users it names (history,
# workflow steps, corrections), their groups and tokens, by natural key (username, group
# name), so they need not keep their ids in the database restored into.
BACKUP = [
    "auth.group",
    "auth.user",
    "tokens",
    "sources",
    "claims",
    "archives",
    "trust",
    "reader_requests",
    "webhooks",
]
NATURAL_KEYS = ["--natural-foreign", "--natural-primary"]


def test_replica_url_adds_a_replica_and_the_router():
    code = (
        "import config.settings as s; r = s.DATABASES['replica'];"
        "print(r['NAME'], r['TEST']['MIRROR'], bool(r['OPTIONS']['pool']), s.DATABASE_ROUTERS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": "postgres://u@primary.example:5432/cc",
            "DATABASE_REPLICA_URL": "postgres://u@replica.example:5432/cc",
        },
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["cc", "default", "True", "['config.db_routers.ReplicaRouter']"]


def _read_db_during(request, monkeypatch):
    monkeypatch.setattr("config.db_routers.replica_configured", lambda: True)
    seen = {}

    def view(request):
        seen["read"] = ReplicaRouter().db_for_read(Claim)
        seen["write"] = ReplicaRouter().db_for_write(Claim)
        return None

    ReplicaReadsMiddleware(view)(request)
    return seen


@pytest.mark.parametrize(
    ("method", "cookies", "read"),
    [("get", {}, "replica"), ("post", {}, "default"), ("get", {"sessionid": "x"}, "default")],
)
def test_only_anonymous_reads_go_to_the_replica(monkeypatch, method, cookies, read):
    request = getattr(RequestFactory(), method)("/claims/")
    request.COOKIES.update(cookies)
    assert _read_db_during(request, monkeypatch) == {"read": read, "write": "default"}
    assert ReplicaRouter().db_for_read(Claim) == "default"  # outside a request: the primary


def _dump():
    """The apps' rows as dumpdata writes them, with timestamps parsed: JSON keeps them to the
    millisecond, so ``12:00:00.000`` may come back as ``12:00:00``, the same instant."""
    out = io.StringIO()
    call_command("dumpdata", *BACKUP, *NATURAL_KEYS, indent=1, stdout=out)
    rows = json.loads(out.getvalue())
    for row in rows:
        for name, value in row["fields"].items():
            if isinstance(value, str) and "T" in value and value[:4].isdigit():
                with contextlib.suppress(ValueError):
                    row["fields"][name] = dt.datetime.fromisoformat(value)
    return rows


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_round_trip_loses_nothing(tmp_path, make, editor):
    call_command("load_demo")
    claim = make.claim(topics=[make.topic()])
    claim.retract("We could not verify the quote.", editor)
    claim.record_correction("Fixed.", ["ruling"], by=editor)
    source = claim.source
    source._history_user = editor  # simple-history's way to name who changed it
    source.title += " (updated)"
    source.save()
    before = _dump()
    assert any(r["fields"].get("history_user") == ["editor"] for r in before)
    backup = tmp_path / "backup.json"
    call_command("dumpdata", *BACKUP, *NATURAL_KEYS, output=str(backup))
    call_command("flush", "--noinput")
    assert not Claim.objects.exists()
    call_command("loaddata", str(backup))
    after = _dump()
    changed = [
        (old["model"], old.get("pk"), name)
        for old, new in zip(before, after, strict=True)
        for name in old["fields"]
        if old["fields"][name] != new["fields"][name]
    ]
    assert changed == []
    assert after == before
    assert Claim.objects.search("detention").exists()  # the search works on restored data


# The production settings docs/deploy.md documents ("HTTPS and HSTS").
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k7Qx2vR9-production-like-secret-Zp4mW8nT1yB6cL3hJ0sD5fG9aE2uI7oY",
    "ALLOWED_HOSTS": "factcheck.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://factcheck.example.org",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "SECURE_COOKIES": "true",
}


def _check_deploy(**overrides):
    """`manage.py check --deploy` in a process of its own: settings are read from the
    environment when they are imported."""
    env = {**os.environ, **PRODUCTION_ENV, **overrides}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_check_deploy_passes_with_the_documented_production_settings():
    result = _check_deploy()
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_warns_without_hsts_subdomains_and_preload():
    result = _check_deploy(SECURE_HSTS_INCLUDE_SUBDOMAINS="false", SECURE_HSTS_PRELOAD="false")
    assert result.returncode == 1
    assert "security.W005" in result.stderr and "security.W021" in result.stderr
