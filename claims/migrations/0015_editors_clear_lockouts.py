"""Editors see failed logins and clear lockouts in the admin (django-axes' access attempts:
deleting one lifts its lockout), and see who logged in when. See docs/deploy.md."""

from django.db import migrations

from config.migrations import grant_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0014_fact_checkers_remove_links"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [
        grant_permissions(
            "Editors", "axes", ["view_accessattempt", "delete_accessattempt", "view_accesslog"]
        )
    ]
