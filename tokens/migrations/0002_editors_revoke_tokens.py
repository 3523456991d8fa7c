"""Editors see every API token in the admin and the API, and may revoke any (a leaked key, a
colleague who left). Nobody makes tokens in the admin: a key is shown once, to its owner, by
the API or ``create_token``."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODES = ["view_apitoken", "delete_apitoken"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="tokens", codename__in=CODES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Editors"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="tokens", codename__in=CODES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("tokens", "0001_initial"),
        ("claims", "0014_fact_checkers_remove_links"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
