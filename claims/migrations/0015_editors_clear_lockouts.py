"""Editors see failed logins and clear lockouts in the admin (django-axes' access attempts:
deleting one lifts its lockout), and see who logged in when. See docs/deploy.md."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODES = ["view_accessattempt", "delete_accessattempt", "view_accesslog"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="axes", codename__in=CODES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Editors"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="axes", codename__in=CODES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0014_fact_checkers_remove_links"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
