"""Staff sign-in pages: setting up two-factor sign-in (an authenticator app, TOTP) and the page
a locked-out login gets."""

import math
from base64 import b32encode

import qrcode
import qrcode.image.svg
from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.forms import CodeForm


def _admin_context(request, title):
    return {**admin.site.each_context(request), "title": title}


@never_cache
@staff_member_required
def two_factor(request):
    """Whether the user signs in with an authenticator app; if not, set one up: scan the QR
    code (or type the key), then enter a code from the app to prove it works. The device
    counts only once confirmed; until then it waits, unconfirmed, for the next visit."""
    device = next(devices_for_user(request.user), None)
    if device is not None:
        return render(
            request,
            "accounts/two_factor.html",
            {**_admin_context(request, "Two-factor sign-in"), "device": device},
        )
    pending = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if pending is None:
        pending = TOTPDevice.objects.create(
            user=request.user, name="Authenticator app", confirmed=False
        )
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if pending.verify_token(form.cleaned_data["otp_token"]):
            pending.confirmed = True
            pending.save(update_fields=["confirmed"])
            otp_login(request, pending)  # this session has just proved the second factor
            messages.success(request, "Two-factor sign-in is on: logins now ask for a code.")
            return redirect("admin:index")
        form.add_error("otp_token", "That code does not match. Try the newest one in the app.")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            **_admin_context(request, "Set up two-factor sign-in"),
            "form": form,
            "qr_code": _qr_svg(pending.config_url),
            "secret": b32encode(pending.bin_key).decode(),
            "admin_requires_2fa": settings.ADMIN_REQUIRE_2FA,
        },
    )


@never_cache
@staff_member_required
@require_POST
def remove_two_factor(request):
    """Turn two-factor sign-in off; only from a session that signed in with it, so a stolen
    password alone cannot remove it."""
    if not request.user.is_verified():
        messages.error(request, "Log in with your authentication code to turn it off.")
        return redirect("accounts:two-factor")
    TOTPDevice.objects.filter(user=request.user).delete()
    messages.success(request, "Two-factor sign-in is off.")
    return redirect("accounts:two-factor")


def _qr_svg(text):
    """``text`` as a QR code, inline SVG: no image request, no data: URL, no inline style, so
    a strict Content-Security-Policy allows it."""
    svg = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage).to_string(
        encoding="unicode"
    )
    label = 'role="img" aria-label="QR code for your authenticator app" class="qr-code" '
    return mark_safe(svg.replace("<svg ", f"<svg {label}", 1))


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a login from a locked-out client (AXES_LOCKOUT_CALLABLE):
    429, with how long to wait. Every refused attempt restarts the wait."""
    cool_off = get_cool_off(request)  # none: locked until an editor clears it
    seconds = math.ceil(cool_off.total_seconds()) if cool_off else None
    response = render(
        request,
        "accounts/locked_out.html",
        {
            **_admin_context(request, "Too many failed logins"),
            "minutes": math.ceil(seconds / 60) if seconds else None,
            "failure_limit": get_failure_limit(request, credentials),
        },
        status=429,
    )
    if seconds:
        response["Retry-After"] = str(seconds)
    return response
