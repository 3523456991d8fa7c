"""Inserting many rows at once: PostgreSQL's COPY where it is there, ``bulk_create`` elsewhere.

``bulk_create`` builds one INSERT statement with a placeholder per value; at tens of thousands
of rows, building it and splitting it into parameters cost as much as the database's own work.
COPY streams the rows instead. Imports and the synthetic data generator write through here.
"""

from django.db import connections


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
