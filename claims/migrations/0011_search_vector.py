"""A stored, indexed search vector for claims, kept current by the database.

Why a trigger and not a GeneratedField: the claimant's name lives in another table, and a
generated column can only read its own row. Why not Django signals: ``bulk_create``,
``QuerySet.update`` and raw imports skip them. A BEFORE trigger on the claim covers every
write path (admin, API, imports, ``generate_data``); a second trigger on the actor refreshes
the claims of a claimant who is renamed. On SQLite the column stays empty and search uses its
simple fallback (``ClaimQuerySet.search``).
"""

import django.contrib.postgres.search
from django.db import migrations, models

from config.migrations import postgresql_only

SQL = """
CREATE FUNCTION claims_claim_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english', coalesce(NEW.quote, '')), 'A')
        || setweight(to_tsvector('english', coalesce(
            (SELECT name FROM sources_actor WHERE id = NEW.claimant_id), '')), 'A')
        || setweight(to_tsvector('english', coalesce(NEW.summary, '')), 'B');
    RETURN NEW;
END
$$;
CREATE TRIGGER claims_claim_search_vector
    BEFORE INSERT OR UPDATE OF quote, summary, claimant_id, search_vector ON claims_claim
    FOR EACH ROW EXECUTE FUNCTION claims_claim_search_vector();

CREATE FUNCTION claims_claimant_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Writing the column fires the trigger above, which reads the new name.
    UPDATE claims_claim SET search_vector = NULL WHERE claimant_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER claims_claimant_renamed
    AFTER UPDATE OF name ON sources_actor
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION claims_claimant_renamed();

UPDATE claims_claim SET search_vector = NULL;
CREATE INDEX claim_search_vector_idx ON claims_claim USING gin (search_vector);
"""

REVERSE_SQL = """
DROP INDEX IF EXISTS claim_search_vector_idx;
DROP TRIGGER IF EXISTS claims_claimant_renamed ON sources_actor;
DROP FUNCTION IF EXISTS claims_claimant_renamed();
DROP TRIGGER IF EXISTS claims_claim_search_vector ON claims_claim;
DROP FUNCTION IF EXISTS claims_claim_search_vector();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0010_history_of_quote_and_link_checks"),
        ("sources", "0007_trigram_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        postgresql_only(SQL, REVERSE_SQL),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                fields=["-published_at", "-id"],
                name="claim_public_newest_idx",
                condition=models.Q(status__in=["published", "retracted"]),
            ),
        ),
    ]
