"""Migration helpers shared by the apps."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def postgresql_only(sql, reverse_sql):
    """A migration step of raw SQL that runs on PostgreSQL and is a no-op elsewhere (SQLite,
    for development and tests): triggers, GIN and trigram indexes, extensions."""

    def run(statements):
        def step(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(statements)

        return step

    return migrations.RunPython(run(sql), run(reverse_sql), elidable=False)


def grant_permissions(group_name, app_label, codenames):
    """A migration step that gives the group ``group_name`` (made if missing) these
    permissions of ``app_label``, and takes them back when unapplied."""

    def permissions(apps):
        Permission = apps.get_model("auth", "Permission")
        return Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)

    def grant(apps, schema_editor):
        # Permissions are normally created after all migrations; make sure they exist now.
        for app_config in apps.get_app_configs():
            app_config.models_module = True
            create_permissions(app_config, apps=apps, verbosity=0)
            app_config.models_module = None
        Group = apps.get_model("auth", "Group")
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(*permissions(apps))

    def revoke(apps, schema_editor):
        Group = apps.get_model("auth", "Group")
        for group in Group.objects.filter(name=group_name):
            group.permissions.remove(*permissions(apps))

    return migrations.RunPython(grant, revoke)
