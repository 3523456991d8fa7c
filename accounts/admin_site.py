"""The admin site: Django's, with a login form that asks for the authenticator app's code of
staff who enrolled one, and, with ``ADMIN_REQUIRE_2FA``, admitting only staff signed in with
it. Staff without an app are sent to enrol one (accounts/views.py)."""

from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django_otp import user_has_device

from accounts.forms import LoginForm


class AdminSite(admin.AdminSite):
    site_header = "Counterclaim curation"
    site_title = "Counterclaim"
    index_title = "Sources, claims and evidence"
    login_form = LoginForm
    login_template = "accounts/login.html"

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        return not settings.ADMIN_REQUIRE_2FA or request.user.is_verified()

    def login(self, request, extra_context=None):
        # The admin sends a signed-in user it refuses here; one refused only for want of an
        # authenticator app is better off setting one up than signing in again.
        user = request.user
        if (
            request.method == "GET"
            and settings.ADMIN_REQUIRE_2FA
            and user.is_active
            and user.is_staff
            and not user_has_device(user)
        ):
            return redirect("accounts:two-factor")
        return super().login(request, extra_context)
