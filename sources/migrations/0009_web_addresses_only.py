"""Every stored link is a web address (http or https): validators on the fields, and check
constraints so that bulk writes and raw updates cannot store another scheme either (see
``sources.models.web_address`` and ``SAME_AS_PATTERN``).

Links already stored that are not web addresses stop the migration with a list of them, to be
corrected or cleared first: they were never meant to be there, but which value is right is an
editor's call, and clearing a source's only link could leave it unidentifiable."""

import sources.validators
from django.db import migrations, models

URL_IS_WEB = models.Q(
    ("url", ""),
    models.Q(("url__istartswith", "http://")),
    models.Q(("url__istartswith", "https://")),
    _connector="OR",
)
ARCHIVE_URL_IS_WEB = models.Q(
    ("archive_url", ""),
    models.Q(("archive_url__istartswith", "http://")),
    models.Q(("archive_url__istartswith", "https://")),
    _connector="OR",
)
SAME_AS_IS_WEB = models.Q(
    (
        "same_as__iregex",
        '^\\[\\s*(?:"(?:http|https)://(?:[^"\\\\]|\\\\.)*"(?:\\s*,\\s*"(?:http|https)://(?:[^"\\\\]|\\\\.)*")*)?\\s*\\]$',
    )
)


def refuse_links_that_are_not_web_addresses(apps, schema_editor):
    Source = apps.get_model("sources", "Source")
    Actor = apps.get_model("sources", "Actor")
    found = [
        f"source {pk} {field}: {value!r}"
        for field, valid in (("url", URL_IS_WEB), ("archive_url", ARCHIVE_URL_IS_WEB))
        for pk, value in Source.objects.exclude(valid).values_list("pk", field)
    ]
    found += [
        f"actor {pk} same_as: {value!r}"
        for pk, value in Actor.objects.exclude(SAME_AS_IS_WEB).values_list("pk", "same_as")
    ]
    if found:
        raise RuntimeError(
            "These stored links are not web addresses (http or https); correct or clear them "
            "(the admin or manage.py shell), then migrate again:\n  " + "\n  ".join(found)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0008_list_order_indexes"),
    ]

    operations = [
        migrations.RunPython(
            refuse_links_that_are_not_web_addresses, migrations.RunPython.noop, elidable=True
        ),
        migrations.AlterField(
            model_name="historicalsource",
            name="archive_url",
            field=models.URLField(
                blank=True,
                max_length=500,
                validators=[sources.validators.validate_web_url],
                verbose_name="archive URL",
            ),
        ),
        migrations.AlterField(
            model_name="historicalsource",
            name="url",
            field=models.URLField(
                blank=True,
                max_length=500,
                validators=[sources.validators.validate_web_url],
                verbose_name="URL",
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="archive_url",
            field=models.URLField(
                blank=True,
                max_length=500,
                validators=[sources.validators.validate_web_url],
                verbose_name="archive URL",
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="url",
            field=models.URLField(
                blank=True,
                max_length=500,
                validators=[sources.validators.validate_web_url],
                verbose_name="URL",
            ),
        ),
        migrations.AddConstraint(
            model_name="actor",
            constraint=models.CheckConstraint(
                condition=SAME_AS_IS_WEB,
                name="actor_same_as_web_addresses",
                violation_error_message="Each sameAs link must be a web address (http or https).",
            ),
        ),
        migrations.AddConstraint(
            model_name="source",
            constraint=models.CheckConstraint(
                condition=URL_IS_WEB,
                name="source_url_web_address",
                violation_error_message="The URL must be a web address (http or https).",
            ),
        ),
        migrations.AddConstraint(
            model_name="source",
            constraint=models.CheckConstraint(
                condition=ARCHIVE_URL_IS_WEB,
                name="source_archive_url_web_address",
                violation_error_message="The archive URL must be a web address (http or https).",
            ),
        ),
    ]
