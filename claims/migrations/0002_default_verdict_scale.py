"""Seed a sensible default rating scale. Editors can relabel or extend it in the admin."""

from django.db import migrations

DEFAULT_SCALE = [
    (1, "false", "False", "The claim is wrong: the evidence contradicts it."),
    (2, "mostly-false", "Mostly false",
     "The claim has an element of truth but ignores or contradicts facts that would give a "
     "different impression."),
    (3, "mixed", "Mixed",
     "The evidence both supports and contradicts the claim, or it is accurate but leaves out "
     "important context."),
    (4, "mostly-true", "Mostly true",
     "The claim is accurate but needs clarification or additional information."),
    (5, "true", "True", "The claim is accurate and nothing significant is missing."),
]


def add_scale(apps, schema_editor):
    Verdict = apps.get_model("claims", "Verdict")
    for rating, slug, label, description in DEFAULT_SCALE:
        Verdict.objects.get_or_create(
            slug=slug, defaults={"rating": rating, "label": label, "description": description}
        )


def remove_scale(apps, schema_editor):
    Verdict = apps.get_model("claims", "Verdict")
    Verdict.objects.filter(
        slug__in=[slug for _, slug, _, _ in DEFAULT_SCALE], claims__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]

    operations = [migrations.RunPython(add_scale, remove_scale)]
