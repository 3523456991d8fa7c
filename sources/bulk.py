"""Inserting many rows at once: PostgreSQL's COPY where it is there, ``bulk_create`` elsewhere.

``bulk_create`` builds one INSERT statement with a placeholder per value; at tens of thousands
of rows, building it and splitting it into parameters cost as much as the database's own work.
COPY streams the rows instead. Imports and the synthetic data generator write through here.
"""

from django.db import connections, transaction
from django.dispatch import Signal
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from sources.models import Source

# Sent with ``source_ids`` when sources' stored text changed in bulk (``set_texts``), where no
# source's own save ran (and so no quote recheck): the jobs app rechecks the quotes against
# them in one background job (``jobs.tasks.recheck_quotes``). ``sources`` knows nothing of
# quotes; whoever checks them listens.
texts_changed = Signal()


def bulk_insert(model, objs, *, using="default"):
    """Insert ``objs``, unsaved instances of ``model``, and set their primary keys, as
    ``bulk_create`` does: no ``save()``, no signals, database triggers do fire. Returns the
    inserted objects. On PostgreSQL the keys are drawn from the table's sequence first, then
    the rows are copied in; field values are prepared as a save would (``auto_now``, JSON).
    A row the database refuses raises Django's ``IntegrityError``, as from ``bulk_create``
    (COPY goes through psycopg's own cursor, whose errors Django does not translate)."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not objs:
        return model._base_manager.using(using).bulk_create(objs)
    meta = model._meta
    fields = [field for field in meta.concrete_fields if not field.generated]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor, connection.wrap_database_errors:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(objs)],
        )
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            setattr(obj, meta.pk.attname, pk)
        columns = ", ".join(quote(field.column) for field in fields)
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row(
                    [
                        field.get_db_prep_save(field.pre_save(obj, add=True), connection)
                        for field in fields
                    ]
                )
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using
    return objs


def set_texts(texts, *, by=None, reason=""):
    """Store several sources' text at once, ``texts`` being ``{source pk: text}``: one bulk
    update with a history record each (by ``by``, for ``reason``), each source's version
    moved on (a form opened on it before then reports the change), and ``texts_changed``
    sent once for all of them. Returns the sources whose text changed."""
    with transaction.atomic():
        sources = list(Source.objects.select_for_update().filter(pk__in=texts))
        changed = [source for source in sources if source.text != texts[source.pk]]
        now = timezone.now()
        for source in changed:
            source.text, source.version, source.updated_at = (
                texts[source.pk],
                source.version + 1,
                now,
            )
        bulk_update_with_history(
            changed,
            Source,
            ["text", "version", "updated_at"],
            default_user=by,
            default_change_reason=reason or None,
        )
        if changed:
            texts_changed.send(sender=Source, source_ids=[source.pk for source in changed])
    return changed
