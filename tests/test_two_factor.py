"""Two-factor sign-in for staff (accounts/, django-otp): enrol an authenticator app, log in
with its code, and with ADMIN_REQUIRE_2FA the admin admits only staff who did."""

import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

LOGIN = "/admin/login/?next=/admin/"
SETUP = "/account/two-factor/"
PASSWORD = "a-long-test-password"  # tests/conftest.py's staff_in


def code(device, steps_ahead=0):
    """The app's code for ``device``, ``steps_ahead`` 30-second steps from now (a code is
    accepted once: the next login needs the next step's, which is within tolerance)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def log_in(client, password=PASSWORD, otp_token=""):
    data = {"username": "editor", "password": password, "otp_token": otp_token}
    return client.post(LOGIN, data)


def signed_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


def enrol(client):
    page = client.get(SETUP)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(confirmed=False)
    return page, device, client.post(SETUP, {"otp_token": code(device)})


def test_enrol_then_every_login_needs_the_code(client, editor, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no pause after the wrong code below
    assert signed_in(log_in(client))  # no device yet: the password is enough
    page, device, confirmed = enrol(client)
    assert '<svg role="img" aria-label="QR code' in page.text
    assert "<script" not in page.text.split('id="content-main"')[1]
    assert "style=" not in page.text.split('id="content-main"')[1]  # a strict CSP allows it
    assert confirmed.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(SETUP).text.count("Two-factor sign-in is <strong>on</strong>") == 1

    client.post("/admin/logout/")
    without_code = log_in(client)
    assert without_code.status_code == 200
    assert "Enter the 6-digit code from your authenticator app" in without_code.text
    assert "_auth_user_id" not in client.session
    valid = {code(device, steps) for steps in (-1, 0, 1)}
    wrong = log_in(client, otp_token=next(c for c in ("000000", "111111") if c not in valid))
    assert wrong.status_code == 200
    assert "That code is not right" in wrong.text
    assert "_auth_user_id" not in client.session
    assert signed_in(log_in(client, otp_token=code(device, 1)))
    settings.ADMIN_REQUIRE_2FA = True
    assert client.get("/admin/").status_code == 200  # signed in with the second factor


def test_a_wrong_code_does_not_confirm_the_app(client, editor):
    client.force_login(editor)
    client.get(SETUP)
    device = TOTPDevice.objects.get()
    wrong = client.post(SETUP, {"otp_token": "12345"})
    assert wrong.status_code == 200
    assert "That code does not match" in wrong.text
    device.refresh_from_db()
    assert not device.confirmed
    # Coming back shows the same key: the app scanned already stays valid.
    client.get(SETUP)
    assert TOTPDevice.objects.get() == device


def test_the_setup_page_is_for_staff(client, django_user_model):
    assert client.get(SETUP)["Location"].startswith("/admin/login/")
    client.force_login(django_user_model.objects.create_user("reader"))
    assert client.get(SETUP)["Location"].startswith("/admin/login/")


@pytest.fixture
def two_factor_required(settings):
    settings.ADMIN_REQUIRE_2FA = True


def test_staff_without_an_app_are_sent_to_set_one_up(client, editor, two_factor_required):
    client.force_login(editor)
    to_login = client.get("/admin/claims/claim/")
    assert to_login.status_code == 302
    to_setup = client.get(to_login["Location"])
    assert to_setup["Location"] == SETUP
    page = client.get(SETUP)
    assert "The admin needs two-factor sign-in" in page.text
    device = TOTPDevice.objects.get()
    assert client.post(SETUP, {"otp_token": code(device)})["Location"] == "/admin/"
    assert client.get("/admin/claims/claim/").status_code == 200


def test_a_session_without_the_second_factor_is_refused(client, editor, two_factor_required):
    TOTPDevice.objects.create(user=editor, name="app", confirmed=True)
    client.force_login(editor)  # a password-only session
    assert client.get("/admin/").status_code == 302
    login_page = client.get(LOGIN)
    assert login_page.status_code == 200  # log in again, with the code
    assert "may not see this page" in login_page.text


def test_turning_it_off_needs_a_session_signed_in_with_it(client, editor):
    device = TOTPDevice.objects.create(user=editor, name="app", confirmed=True)
    client.force_login(editor)
    client.post("/account/two-factor/remove/")
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    client.post("/admin/logout/")
    assert signed_in(log_in(client, otp_token=code(device)))
    client.post("/account/two-factor/remove/")
    assert not TOTPDevice.objects.exists()
