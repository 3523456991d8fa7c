"""Full-text search of claims on SQLite, with its built-in FTS5: the same web-search syntax as
PostgreSQL's ``websearch_to_tsquery`` ("a phrase", ``-exclude``, ``or``), stemmed, and
blind to accents (``détention`` finds ``detention`` and the reverse).

The index is an FTS5 table, ``claims_claim_fts``, whose rowid is the claim's id; triggers keep
it in step with every write to claims (bulk ones and raw SQL too) and with claimants'
renames, as PostgreSQL's triggers keep ``search_vector`` (migration ``0011_search_vector``).
Migration ``0016_search_phrases_and_accents`` makes the table; the triggers are dropped before
every ``migrate`` and made again after it, with the table filled afresh (``claims.apps``).
SQLite alters a table by copying it to a new one, dropping the old one and renaming the copy:
the copy has none of the old table's triggers, and the rename fails while a trigger on
another table names the dropped one.
"""

import re

TABLE = "claims_claim_fts"
TRIGGERS = {
    "claims_claim_fts_insert": f"""
        CREATE TRIGGER IF NOT EXISTS claims_claim_fts_insert AFTER INSERT ON claims_claim BEGIN
            INSERT INTO {TABLE} (rowid, quote, claimant, summary) VALUES (
                NEW.id, NEW.quote,
                (SELECT name FROM sources_actor WHERE id = NEW.claimant_id), NEW.summary);
        END""",
    "claims_claim_fts_update": f"""
        CREATE TRIGGER IF NOT EXISTS claims_claim_fts_update
        AFTER UPDATE OF quote, summary, claimant_id ON claims_claim BEGIN
            DELETE FROM {TABLE} WHERE rowid = OLD.id;
            INSERT INTO {TABLE} (rowid, quote, claimant, summary) VALUES (
                NEW.id, NEW.quote,
                (SELECT name FROM sources_actor WHERE id = NEW.claimant_id), NEW.summary);
        END""",
    "claims_claim_fts_delete": f"""
        CREATE TRIGGER IF NOT EXISTS claims_claim_fts_delete AFTER DELETE ON claims_claim BEGIN
            DELETE FROM {TABLE} WHERE rowid = OLD.id;
        END""",
    "claims_claimant_fts_renamed": f"""
        CREATE TRIGGER IF NOT EXISTS claims_claimant_fts_renamed
        AFTER UPDATE OF name ON sources_actor WHEN OLD.name IS NOT NEW.name BEGIN
            UPDATE {TABLE} SET claimant = NEW.name
            WHERE rowid IN (SELECT id FROM claims_claim WHERE claimant_id = NEW.id);
        END""",
}
# Porter stemming over unicode61 matches English word forms, as PostgreSQL's english
# configuration does; remove_diacritics 2 folds accents on every letter.
CREATE_TABLE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(quote, claimant, summary, "
    "tokenize = 'porter unicode61 remove_diacritics 2')"
)
REFILL = f"""
    DELETE FROM {TABLE};
    INSERT INTO {TABLE} (rowid, quote, claimant, summary)
        SELECT claim.id, claim.quote, actor.name, claim.summary
        FROM claims_claim claim JOIN sources_actor actor ON actor.id = claim.claimant_id;
"""
# Relevance as PostgreSQL weighs it: the quote and the claimant's name (weight A) above the
# summary (B). bm25() is lower for better matches.
RANK = f"bm25({TABLE}, 1.0, 1.0, 0.4)"


def create_index(connection):
    with connection.cursor() as cursor:
        cursor.execute(CREATE_TABLE)


def drop_index(connection):
    drop_triggers(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def drop_triggers(connection):
    with connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def install_triggers(connection):
    """Where the index exists and any of its triggers is missing, make them and fill the
    index afresh (writes made without them are not in it). Does nothing when all are there,
    or where there is no index (a database migrated back before it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE name IN "
            f"({', '.join(['%s'] * (len(TRIGGERS) + 1))})",
            [TABLE, *TRIGGERS],
        )
        found = {name for (name,) in cursor.fetchall()}
        if TABLE not in found or found >= set(TRIGGERS):
            return
        for sql in TRIGGERS.values():
            cursor.execute(sql)
        for statement in REFILL.split(";"):
            if statement.strip():
                cursor.execute(statement)


# A term of web-search syntax: an optional minus, then a quoted phrase (the closing quote may
# be missing) or a word.
TERM = re.compile(r'(-?)(?:"([^"]*)"?|(\S+))')
WORD = re.compile(r"\w")


def _fts_string(text):
    """``text`` as an FTS5 string: the tokenizer reads it as a phrase of its words, and no
    character in it is syntax."""
    return '"{}"'.format(text.replace('"', '""'))


def parse(query):
    """(what must match, what must not) as FTS5 query expressions, each None when empty.

    As ``websearch_to_tsquery``: words and phrases must all match, ``or`` between two of them
    lets either, and a minus before one excludes it. Terms with no letter or digit are dropped
    rather than matching nothing, as PostgreSQL drops them."""
    groups, excluded, either = [], [], False
    for minus, phrase, word in TERM.findall(query):
        text = phrase if phrase or not word else word
        if not minus and not phrase and word.lower() == "or":
            either = bool(groups)
            continue
        if word and not phrase and word.startswith("-"):  # "--x": a word after the minus
            text = word.lstrip("-")
        if not WORD.search(text):
            continue
        if minus:
            excluded.append(_fts_string(text))
        elif either:
            groups[-1].append(_fts_string(text))
        else:
            groups.append([_fts_string(text)])
        either = False
    wanted = " AND ".join(f"({' OR '.join(group)})" for group in groups)
    return wanted or None, " OR ".join(excluded) or None


def matching(expression):
    """SQL for the ids of the claims matching an FTS5 ``expression`` (from ``parse``), and
    its parameters, for ``RawSQL`` in ``pk__in``: read once, not per claim."""
    return f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", (expression,)


def best_first(connection, expression, ids):
    """``ids`` (claims matching ``expression``) sorted best match first; ties keep their
    order."""
    if not ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, {RANK} FROM {TABLE} WHERE {TABLE} MATCH %s "
            f"AND rowid IN ({', '.join(['%s'] * len(ids))})",
            [expression, *ids],
        )
        ranks = dict(cursor.fetchall())
    return sorted(ids, key=lambda pk: ranks.get(pk, 0.0))


def snippets(connection, expression, ids, *, start, stop, words):
    """{claim id: a passage of its quote of at most ``words`` words (FTS5 allows 64), the
    words matching ``expression`` between ``start`` and ``stop``}."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, snippet({TABLE}, 0, %s, %s, ' … ', %s) FROM {TABLE} "
            f"WHERE {TABLE} MATCH %s AND rowid IN ({', '.join(['%s'] * len(ids))})",
            [start, stop, words, expression, *ids],
        )
        return dict(cursor.fetchall())
