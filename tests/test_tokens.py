"""API tokens (tokens/): hashed at rest, named, expiring, revocable by their owner and by
editors (API and admin), made by the API or ``create_token``; DRF's old plain-text tokens
carried over with their keys."""

import datetime
import importlib
import io
import secrets
import types

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tokens.models import ApiToken

pytestmark = pytest.mark.django_db

ACTOR = {"name": "A union", "kind": "organization"}
MINUTE = datetime.timedelta(minutes=1)
# What RunPython hands the migration's function, as far as it uses it (SQLite's real schema
# editor cannot be opened inside a test's transaction).
SCHEMA_EDITOR = types.SimpleNamespace(connection=connection)


def historical_apps():
    """The models as the migration sees them (no custom managers)."""
    state = MigrationLoader(connection).project_state(("tokens", "0002_editors_revoke_tokens"))
    return state.apps


def client_with(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def signed_in(user):
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice")


def test_a_database_dump_holds_no_usable_key(editor):
    token, key = ApiToken.objects.issue(editor, "nightly import")
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    assert key not in dump.getvalue()
    assert token.digest in dump.getvalue()  # what is stored: a digest, and ...
    assert key[:15] in dump.getvalue()  # ... the first characters, to find the row
    assert client_with(key).post("/api/v1/actors/", ACTOR).status_code == 201


def test_an_expired_token_is_refused(editor):
    token, key = ApiToken.objects.issue(editor, "old script", days=1)
    ApiToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - datetime.timedelta(1))
    refused = client_with(key).post("/api/v1/actors/", ACTOR)
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"] == "Token"
    assert not ApiToken.objects.filter(pk=token.pk).exists()  # knox deletes it on sight


def test_a_wrong_key_with_a_real_prefix_is_refused(editor):
    _, key = ApiToken.objects.issue(editor, "script")
    forged = key[:15] + secrets.token_hex(32)[15:]
    assert client_with(forged).post("/api/v1/actors/", ACTOR).status_code == 401


def test_tokens_live_api_token_ttl_days_by_default_and_at_most(editor, settings):
    settings.API_TOKEN_TTL_DAYS = 30
    token, _ = ApiToken.objects.issue(editor, "script")
    assert token.expiry - timezone.now() == pytest.approx(datetime.timedelta(30), abs=MINUTE)
    short, _ = ApiToken.objects.issue(editor, "one-off", days=2)
    assert short.expiry - timezone.now() == pytest.approx(datetime.timedelta(2), abs=MINUTE)
    answer = signed_in(editor).post("/api/v1/tokens/", {"name": "long", "days": 31})
    assert answer.status_code == 400
    assert set(answer.json()) == {"days"}
    assert "1 to 30 days" in answer.json()["days"][0]


def test_a_user_makes_several_named_tokens_and_sees_each_key_once(editor):
    session = signed_in(editor)
    made = [session.post("/api/v1/tokens/", {"name": name}) for name in ("laptop", "cron")]
    assert [m.status_code for m in made] == [201, 201]
    keys = [m.json()["key"] for m in made]
    assert made[0].json()["name"] == "laptop"
    assert made[0].json()["user"] == "editor"
    assert made[0].json()["prefix"] == keys[0][:8]

    listed = client_with(keys[1]).get("/api/v1/tokens/")
    assert listed.status_code == 200
    assert [t["name"] for t in listed.json()["results"]] == ["cron", "laptop"]
    assert set(listed.json()["results"][0]) == {
        "id",
        "name",
        "user",
        "prefix",
        "created",
        "expires",
    }
    body = listed.content.decode()
    assert not any(key in body for key in keys)
    one = client_with(keys[1]).get(f"/api/v1/tokens/{made[0].json()['id']}/")
    assert "key" not in one.json()
    for key in keys:
        assert client_with(key).post("/api/v1/actors/", ACTOR).status_code == 201


@pytest.mark.parametrize(
    ("body", "errors"),
    [({"name": "  "}, {"name"}), ({}, {"name"}), ({"name": "x" * 101}, {"name"})]
    + [({"name": "n", "days": days}, {"days"}) for days in (0, -1, "soon")],
)
def test_a_bad_token_request_is_refused_field_by_field(alice, body, errors):
    answer = signed_in(alice).post("/api/v1/tokens/", body)
    assert answer.status_code == 400
    assert set(answer.json()) == errors
    assert not ApiToken.objects.exists()


def test_a_token_cannot_make_another(alice):
    _, key = ApiToken.objects.issue(alice, "script")
    refused = client_with(key).post("/api/v1/tokens/", {"name": "more"})
    assert refused.status_code == 403
    assert "create_token" in refused.json()["detail"]
    assert ApiToken.objects.count() == 1
    assert APIClient().post("/api/v1/tokens/", {"name": "x"}).status_code == 401
    assert APIClient().get("/api/v1/tokens/").status_code == 401


def test_a_user_revokes_their_own_token_but_not_anothers(alice, editor):
    mine, my_key = ApiToken.objects.issue(alice, "laptop")
    spare, spare_key = ApiToken.objects.issue(alice, "spare")
    theirs, their_key = ApiToken.objects.issue(editor, "cron")
    client = client_with(my_key)

    assert client.get(f"/api/v1/tokens/{theirs.pk}/").status_code == 404
    assert client.delete(f"/api/v1/tokens/{theirs.pk}/").status_code == 404
    assert client.get("/api/v1/tokens/", {"user": "editor"}).status_code == 403
    assert client_with(their_key).post("/api/v1/actors/", ACTOR).status_code == 201

    assert client.delete(f"/api/v1/tokens/{spare.pk}/").status_code == 204
    assert client_with(spare_key).get("/api/v1/tokens/").status_code == 401
    assert [t["name"] for t in client.get("/api/v1/tokens/").json()["results"]] == ["laptop"]
    # Revoking the token in use works too, and is the last thing it does.
    assert client.delete(f"/api/v1/tokens/{mine.pk}/").status_code == 204
    assert client.get("/api/v1/tokens/").status_code == 401


def test_revoke_all_revokes_every_token_of_the_caller_only(alice, editor):
    keys = [ApiToken.objects.issue(alice, name)[1] for name in ("a", "b", "c")]
    _, their_key = ApiToken.objects.issue(editor, "cron")
    answer = client_with(keys[0]).post("/api/v1/tokens/revoke-all/")
    assert answer.status_code == 200
    assert answer.json() == {"revoked": 3}
    for key in keys:
        assert client_with(key).get("/api/v1/tokens/").status_code == 401
    assert client_with(their_key).get("/api/v1/tokens/").status_code == 200


def test_an_editor_lists_and_revokes_anyones_token_through_the_api(alice, editor_api):
    token, key = ApiToken.objects.issue(alice, "leaked")
    listed = editor_api.get("/api/v1/tokens/", {"user": "alice"}).json()["results"]
    assert [(t["name"], t["user"]) for t in listed] == [("leaked", "alice")]
    assert [t["user"] for t in editor_api.get("/api/v1/tokens/").json()["results"]] == ["editor"]
    assert editor_api.delete(f"/api/v1/tokens/{token.pk}/").status_code == 204
    assert client_with(key).get("/api/v1/tokens/").status_code == 401


def test_a_fact_checker_cannot_revoke_anothers_token(alice, fact_checker):
    token, _ = ApiToken.objects.issue(alice, "script")
    checker = signed_in(fact_checker)
    assert checker.delete(f"/api/v1/tokens/{token.pk}/").status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_an_editor_sees_and_revokes_tokens_in_the_admin(alice, editor_client):
    token, key = ApiToken.objects.issue(alice, "leaked")
    url = reverse("admin:tokens_apitoken_changelist")
    page = editor_client.get(url).content.decode()
    assert "leaked" in page and "alice" in page and key[:8] in page
    assert key not in page and token.digest not in page
    assert editor_client.get(reverse("admin:tokens_apitoken_add")).status_code == 403

    answer = editor_client.post(
        url, {"action": "delete_selected", "_selected_action": [token.pk], "post": "yes"}
    )
    assert answer.status_code == 302
    assert not ApiToken.objects.exists()
    assert client_with(key).get("/api/v1/tokens/").status_code == 401


def test_fact_checkers_do_not_see_tokens_in_the_admin(client, fact_checker):
    client.force_login(fact_checker)
    assert client.get(reverse("admin:tokens_apitoken_changelist")).status_code == 403


def run_create_token(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_create_token_prints_the_key_once(editor):
    key, said = run_create_token("--user", "editor", "--name", "import script", "--days", "7")
    assert "import script" in said and key not in said
    token = ApiToken.objects.get()
    assert (token.name, token.user, token.prefix) == ("import script", editor, key[:8])
    assert token.expiry - timezone.now() == pytest.approx(datetime.timedelta(7), abs=MINUTE)
    assert client_with(key).post("/api/v1/actors/", ACTOR).status_code == 201


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--user", "nobody", "--name", "x"], "No user 'nobody'"),
        (["--user", "alice", "--name", "x", "--days", "0"], "from 1 to 90 days"),
        (["--user", "alice", "--name", "x", "--days", "91"], "from 1 to 90 days"),
        (["--user", "alice", "--name", "x", "--days", "soon"], "invalid int value"),
        (["--user", "alice", "--name", " "], "cannot be blank"),
        (["--user", "alice"], "--name"),
    ],
)
def test_create_token_refuses_bad_arguments(alice, settings, args, message):
    settings.API_TOKEN_TTL_DAYS = 90
    with pytest.raises(CommandError, match=message):
        run_create_token(*args)
    assert not ApiToken.objects.exists()


def test_create_token_refuses_an_inactive_user(alice):
    alice.is_active = False
    alice.save()
    with pytest.raises(CommandError, match="inactive"):
        run_create_token("--user", "alice", "--name", "x")


def test_drf_tokens_become_hashed_tokens_with_the_same_key(editor, settings):
    """What the migration does on a site that used ``rest_framework.authtoken``: its table
    (which is no longer installed) is read with SQL and emptied."""
    migration = importlib.import_module("tokens.migrations.0003_from_drf_tokens")
    drf_key = secrets.token_hex(20)  # DRF's keys: 40 hexadecimal characters
    created = datetime.datetime(2025, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)
    timestamp = "timestamp with time zone" if connection.vendor == "postgresql" else "datetime"
    with connection.cursor() as cursor:
        cursor.execute(
            f'CREATE TABLE authtoken_token ("key" varchar(40) PRIMARY KEY, '
            f"created {timestamp} NOT NULL, user_id integer NOT NULL)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, %s, %s)",
            [drf_key, connection.ops.adapt_datetimefield_value(created), editor.pk],
        )
    migration.from_drf_tokens(historical_apps(), SCHEMA_EDITOR)

    token = ApiToken.objects.get()
    assert (token.user, token.name, token.created) == (editor, migration.NAME, created)
    expected = timezone.now() + datetime.timedelta(settings.API_TOKEN_TTL_DAYS)
    assert token.expiry == pytest.approx(expected, abs=MINUTE)
    assert token.token_key == drf_key[:15]
    assert client_with(drf_key).post("/api/v1/actors/", ACTOR).status_code == 201
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone() == (0,)
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    assert drf_key not in dump.getvalue()


def test_the_migration_does_nothing_without_drf_tokens(db):
    migration = importlib.import_module("tokens.migrations.0003_from_drf_tokens")
    migration.from_drf_tokens(historical_apps(), SCHEMA_EDITOR)
    assert not ApiToken.objects.exists()


def test_editors_may_view_and_delete_tokens_but_not_make_them(editor, fact_checker):
    assert editor.has_perm("tokens.view_apitoken") and editor.has_perm("tokens.delete_apitoken")
    assert not editor.has_perm("tokens.add_apitoken")
    assert not fact_checker.has_perm("tokens.view_apitoken")


def test_the_schema_documents_the_token_endpoints(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/tokens/"])
    assert set(paths["/api/v1/tokens/{id}/"]) >= {"get", "delete"}
    assert "post" in paths["/api/v1/tokens/revoke-all/"]
    assert paths["/api/v1/tokens/"]["post"]["security"] == [{"cookieAuth": []}]
    shapes = schema["components"]["schemas"]
    assert "key" in shapes["IssuedApiToken"]["properties"]
    assert "key" not in shapes["ApiToken"]["properties"]
    header = schema["components"]["securitySchemes"]["knoxApiToken"]
    assert (header["in"], header["name"]) == ("header", "Authorization")
