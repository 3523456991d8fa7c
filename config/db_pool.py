"""The health check of psycopg's connection pool (settings: ``DATABASES[...]["OPTIONS"]["pool"]
["check"]``, used with ``CONN_HEALTH_CHECKS``)."""

from django.db import connections
from psycopg_pool import ConnectionPool


def check_connection(connection):
    """psycopg_pool's own check (one round trip) of the connection a request is about to get;
    and when it finds that one dead, a check of every idle connection at once.

    A database restart or failover kills them all. Checked one per request, each dead one
    makes the pool wait longer before it tries the next (its backoff: about 1, 2, 4, 8 s):
    after a burst had grown the pool to five connections, the first request after a restart
    waited past the pool's 10 s timeout and failed (tests/test_operations.py)."""
    try:
        ConnectionPool.check_connection(connection)
    except Exception:
        for alias in connections:
            wrapper = connections[alias]
            if wrapper.vendor == "postgresql" and wrapper.settings_dict["OPTIONS"].get("pool"):
                wrapper.pool.check()  # drops the dead, opens new ones in the background
        raise
