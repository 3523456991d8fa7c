"""Each topic's count of public claims, stored (see ``Topic.public_claims``), counted once
here for the claims already there."""

from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

PUBLIC_STATUSES = ["published", "retracted"]


def count_public_claims(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    Topic = apps.get_model("claims", "Topic")
    public = (
        Claim.objects.filter(status__in=PUBLIC_STATUSES, topics=OuterRef("pk"))
        .order_by()
        .values("topics")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Topic.objects.update(public_claims=Coalesce(Subquery(public), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0011_search_vector"),
    ]

    operations = [
        migrations.AddField(
            model_name="topic",
            name="public_claims",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                serialize=False,
                help_text="How many published or retracted claims it has.",
            ),
        ),
        migrations.RunPython(count_public_claims, migrations.RunPython.noop),
    ]
