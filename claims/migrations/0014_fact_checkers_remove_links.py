"""Fact-checkers may take evidence and counterclaim links off the claims they may change.
Which claims those are (drafts) is decided by the editorial rules (claims/rules.py), which
every door applies; the permission only lets them ask."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODES = ["delete_stancelink", "delete_counterclaim"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Fact-checkers")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="claims", codename__in=CODES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Fact-checkers"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="claims", codename__in=CODES)
        )


class Migration(migrations.Migration):
    dependencies = [("claims", "0013_correction_updates")]

    operations = [migrations.RunPython(grant, revoke)]
