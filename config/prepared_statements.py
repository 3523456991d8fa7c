"""Prepared statements for the queries whose plan does not depend on their parameters.

PostgreSQL plans every query it is sent. For the claim page's query (seven tables, four
subqueries) planning takes 0.9 ms, ten times the query's run. A prepared statement is planned
once per connection: psycopg prepares a query it is asked to, and then sends only its name
and parameters (server-side binding, ``DATABASES[...]["OPTIONS"]["server_side_binding"]``).

Not for every query: after five runs PostgreSQL may switch a prepared statement to one
*generic* plan, made without the parameters' values. That plan cannot use a partial index
whose condition is a parameter (the public claims', ``status IN ($1, $2)``), nor tell a
claimant of 50,000 claims from one of 5: prepared everywhere, a claimant's page 2,000 ran at
half its speed (docs/performance.md). So only the queries inside ``prepared()`` are, and it is
used where every query looks rows up by a key, such as one claim's page.
"""

from contextlib import contextmanager

from django.conf import settings
from django.db import connections


@contextmanager
def prepared(alias):
    """Prepare the queries run inside on the connection ``alias`` (PostgreSQL only, unless
    ``DATABASE_PREPARED_STATEMENTS`` is off)."""
    connection = connections[alias]
    if connection.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    before = raw.prepare_threshold
    raw.prepare_threshold = 0  # prepare on the first run; the statement is kept, by its text
    try:
        yield
    finally:
        raw.prepare_threshold = before
