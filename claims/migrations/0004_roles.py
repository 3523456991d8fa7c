"""The editorial roles. Fact-checkers curate and submit drafts; editors also publish, send back
and retract, and maintain the rating scale. Anonymous users get nothing: they read only what
the public pages and API show."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATED = [
    ("sources", "actor"),
    ("sources", "affiliation"),
    ("sources", "source"),
    ("claims", "claim"),
    ("claims", "evidence"),
    ("claims", "stancelink"),
    ("claims", "counterclaim"),
    ("claims", "topic"),
]

FACT_CHECKERS = [
    f"{app}.{action}_{model}" for app, model in CURATED for action in ("view", "add", "change")
] + [
    "claims.view_verdict",
    "claims.view_claimtransition",
]
EDITORS = (
    FACT_CHECKERS
    + [f"{app}.delete_{model}" for app, model in CURATED]
    + [
        "claims.publish_claim",
        "claims.add_verdict",
        "claims.change_verdict",
    ]
)

ROLES = {"Fact-checkers": FACT_CHECKERS, "Editors": EDITORS}


def add_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0003_workflow"),
        ("sources", "0002_untitled_sources"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(add_roles, remove_roles)]
