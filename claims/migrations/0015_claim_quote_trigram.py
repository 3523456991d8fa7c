"""A trigram index on claims' quotes, for claim matching (``claims.matching``): pg_trgm's
word similarity finds a quote from part of it, or from words spelt differently, which the
full-text index cannot. PostgreSQL only; a no-op on SQLite."""

from django.db import migrations

from config.migrations import postgresql_only

SQL = "CREATE INDEX claim_quote_trgm_idx ON claims_claim USING gin (quote gin_trgm_ops);"
REVERSE_SQL = "DROP INDEX IF EXISTS claim_quote_trgm_idx;"


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0014_fact_checkers_remove_links"),
        ("sources", "0007_trigram_indexes"),
    ]

    operations = [postgresql_only(SQL, REVERSE_SQL)]
