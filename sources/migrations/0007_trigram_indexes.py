"""Trigram indexes (pg_trgm) for fast claimant and source autocomplete in the admin, which
matches parts of names and tolerates typos (``sources.admin.TrigramSearchMixin``).
PostgreSQL only; a no-op on SQLite."""

from django.db import migrations

from config.migrations import postgresql_only

SQL = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX actor_name_trgm_idx ON sources_actor USING gin (name gin_trgm_ops);
CREATE INDEX source_title_trgm_idx ON sources_source USING gin (title gin_trgm_ops);
"""

REVERSE_SQL = """
DROP INDEX IF EXISTS actor_name_trgm_idx;
DROP INDEX IF EXISTS source_title_trgm_idx;
"""


class Migration(migrations.Migration):
    dependencies = [("sources", "0006_history_of_quote_and_link_checks")]

    operations = [postgresql_only(SQL, REVERSE_SQL)]
