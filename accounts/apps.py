from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    """Staff sign-in: two-factor enrolment and the login-lockout page."""

    name = "accounts"


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin, with ``admin.site`` our site, so every ``admin.register`` lands on it."""

    default = False  # "accounts" alone means AccountsConfig
    default_site = "accounts.admin_site.AdminSite"
