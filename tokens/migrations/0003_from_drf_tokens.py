"""Each token of DRF's ``rest_framework.authtoken`` (stored in plain text, never expiring)
becomes a hashed, expiring API token with the same key, so the scripts that use it keep
working; then the plain-text rows are deleted.

The key is hashed exactly as knox hashes what a client sends (``knox.crypto.hash_token``) and
found by its first ``CONSTANTS.TOKEN_KEY_LENGTH`` characters; knox does not care how long a
key is, and DRF's 40 hexadecimal characters are longer than that prefix. The old token's
creation date is kept; it expires ``API_TOKEN_TTL_DAYS`` after this migration.

``rest_framework.authtoken`` is no longer installed, so its table is read with SQL, when it
exists. The emptied table is left behind (an app that is not installed cannot be migrated
away): drop it with ``DROP TABLE authtoken_token`` (docs/deploy.md, "API tokens").
"""

import datetime

from django.conf import settings
from django.db import migrations
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from knox.crypto import hash_token
from knox.settings import CONSTANTS

DRF_TABLE = "authtoken_token"
NAME = "Token from before names"


def _aware(value):
    # SQLite may give the column back as text, and stores UTC without a zone.
    if isinstance(value, str):
        value = parse_datetime(value)
    return timezone.make_aware(value, datetime.UTC) if timezone.is_naive(value) else value


def from_drf_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if DRF_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("tokens", "ApiToken")
    table, key = connection.ops.quote_name(DRF_TABLE), connection.ops.quote_name("key")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {key}, user_id, created FROM {table}")
        rows = cursor.fetchall()
    expiry = timezone.now() + datetime.timedelta(days=settings.API_TOKEN_TTL_DAYS)
    for drf_key, user_id, created in rows:
        token = ApiToken(
            digest=hash_token(drf_key),
            token_key=drf_key[: CONSTANTS.TOKEN_KEY_LENGTH],
            user_id=user_id,
            expiry=expiry,
            name=NAME,
        )
        token.save()
        # ``created`` is set on insert (auto_now_add); keep the old token's date.
        ApiToken.objects.filter(pk=token.pk).update(created=_aware(created))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")


class Migration(migrations.Migration):
    dependencies = [("tokens", "0002_editors_revoke_tokens")]

    # Backwards there is nothing to restore: the plain-text keys are gone on purpose.
    operations = [migrations.RunPython(from_drf_tokens, migrations.RunPython.noop)]
