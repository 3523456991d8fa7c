"""Search that understands phrases and exclusions on both databases, blind to accents.

PostgreSQL: a text search configuration, ``counterclaim``, that is the english one with
``unaccent`` before stemming, so ``détention`` and ``detention`` are one word; the stored
vectors are computed again with it (``claims.models.SEARCH_CONFIG`` queries with it).
``unaccent`` is a trusted extension: the database's owner may create it.

SQLite: an FTS5 index of claims (``claims.sqlite_search``). Its triggers are made, and the
index filled, after every ``migrate`` (``claims.apps``), not here: a later migration of this
run that rebuilds the claims or actors table would fail with them in place.
"""

from django.db import migrations

from claims import sqlite_search
from config.migrations import postgresql_only


def vector_function(config):
    return f"""
CREATE OR REPLACE FUNCTION claims_claim_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('{config}', coalesce(NEW.quote, '')), 'A')
        || setweight(to_tsvector('{config}', coalesce(
            (SELECT name FROM sources_actor WHERE id = NEW.claimant_id), '')), 'A')
        || setweight(to_tsvector('{config}', coalesce(NEW.summary, '')), 'B');
    RETURN NEW;
END
$$;
UPDATE claims_claim SET search_vector = NULL;
"""


SQL = (
    """
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION counterclaim (COPY = english);
ALTER TEXT SEARCH CONFIGURATION counterclaim
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
"""
    + vector_function("counterclaim")
)
# The extension stays: other databases objects may have come to use it.
REVERSE_SQL = vector_function("english") + "DROP TEXT SEARCH CONFIGURATION counterclaim;"


def sqlite_index(install):
    def step(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            install(schema_editor.connection)

    return step


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0015_editors_clear_lockouts"),
        ("sources", "0009_web_addresses_only"),
    ]

    operations = [
        postgresql_only(SQL, REVERSE_SQL),
        migrations.RunPython(
            sqlite_index(sqlite_search.create_index),
            sqlite_index(sqlite_search.drop_index),
            elidable=False,
        ),
    ]
