"""Login lockouts (django-axes, settings "Login lockouts"): a few failures from one address
lock it out for a cool-down, before any password is hashed; editors clear lockouts in the
admin, operators with ``axes_reset``; a spoofed X-Forwarded-For changes nothing."""

from datetime import timedelta
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "a-long-test-password"  # tests/conftest.py's staff_in


def log_in(client, username, password, **headers):
    return client.post(LOGIN, {"username": username, "password": password}, **headers)


def signed_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


def fail(client, times, username="editor", **headers):
    return [log_in(client, username, f"wrong-{n}", **headers).status_code for n in range(times)]


def test_the_fifth_failure_locks_out_even_the_right_password(client, editor, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert fail(client, 4) == [200] * 4  # the login form, with its error
    locked = log_in(client, "editor", "wrong-again")
    assert locked.status_code == 429
    refused = log_in(client, "editor", PASSWORD)
    assert refused.status_code == 429
    assert "accounts/locked_out.html" in [template.name for template in refused.templates]
    assert "Too many failed logins" in refused.text
    assert "wait 15 minutes" in refused.text
    assert refused["Retry-After"] == str(15 * 60)
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still not signed in


def test_a_locked_out_attempt_computes_no_password_hash(client, editor):
    fail(client, 5)
    with mock.patch.object(MD5PasswordHasher, "encode", autospec=True) as encode:
        assert log_in(client, "editor", PASSWORD).status_code == 429
        assert log_in(client, "someone-else", "guess").status_code == 429
    assert encode.call_count == 0


def test_the_lockout_ends_after_the_cool_down(client, editor, settings):
    fail(client, 5)
    assert log_in(client, "editor", PASSWORD).status_code == 429
    # The cool-down runs from the last failure, refused attempts included.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert signed_in(log_in(client, "editor", PASSWORD))


def test_one_address_is_locked_out_whatever_username_it_tries(client, editor):
    for n in range(5):
        log_in(client, f"guess-{n}", "password")
    assert log_in(client, "editor", PASSWORD).status_code == 429
    # The same editor from another address is not affected.
    assert signed_in(log_in(Client(), "editor", PASSWORD, REMOTE_ADDR="198.51.100.20"))


def test_a_spoofed_forwarded_for_does_not_escape_the_lockout(client, editor):
    fail(client, 5)
    for n in range(3):
        spoofed = {"HTTP_X_FORWARDED_FOR": f"203.0.113.{n}"}
        assert log_in(client, "editor", PASSWORD, **spoofed).status_code == 429


def test_behind_a_proxy_the_client_address_is_locked_out(client, editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    fail(client, 5, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    assert AccessAttempt.objects.get().ip_address == "198.51.100.7"
    assert log_in(client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    other = log_in(Client(), "editor", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy)
    assert signed_in(other)


def test_an_editor_sees_and_clears_a_lockout_in_the_admin(client, editor, django_user_model):
    from tests.conftest import staff_in

    colleague = staff_in(django_user_model, "colleague", "Editors")
    fail(client, 5, username="colleague")
    assert log_in(client, "colleague", PASSWORD).status_code == 429
    admin = Client()
    admin.force_login(editor)
    listing = admin.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "colleague" in listing.text
    attempt = AccessAttempt.objects.get()
    response = admin.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert signed_in(log_in(client, colleague.username, PASSWORD))


def test_fact_checkers_cannot_clear_lockouts(client, fact_checker, editor):
    fail(client, 5)
    client.force_login(fact_checker)
    assert client.get("/admin/axes/accessattempt/").status_code == 403


def test_axes_reset_clears_every_lockout(client, editor):
    fail(client, 5)
    call_command("axes_reset", verbosity=0)
    assert signed_in(log_in(client, "editor", PASSWORD))


@pytest.mark.parametrize("how", ["token", "session"])
def test_api_authentication_is_untouched_by_lockouts(client, editor, how):
    """DRF's token and session authentication call no authentication backend, so a locked-out
    address keeps its API access with a valid token or an existing session."""
    from tests.conftest import token_client

    fail(client, 5)
    if how == "token":
        api = token_client(editor)
    else:
        api = Client()
        api.force_login(editor)
    response = api.post(
        "/api/v1/actors/",
        {"name": "Lockouts", "kind": "organization"},
        content_type="application/json",
    )
    assert response.status_code == 201
