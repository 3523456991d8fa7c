"""``/healthz``: whether this process can serve, for load balancers and compose health checks."""

import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# How long the probe waits for a database connection. The pool's own timeout
# (DATABASE_POOL_TIMEOUT, 10 s) suits a request that may wait out a busy moment; a health
# check must answer well within its caller's timeout (the Dockerfile's and compose's 4 s), or
# a database outage looks like a hung web process instead of a 503.
PROBE_TIMEOUT = 1.5


def probe_database():
    """Run ``SELECT 1``; raise ``DatabaseError`` if the database does not answer in time."""
    pool = getattr(connection, "pool", None)  # PostgreSQL's psycopg pool; None on SQLite
    with connection.wrap_database_errors:  # psycopg's errors (PoolTimeout too) as Django's
        if pool is None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            return
        pool.open()  # as Django does before its first getconn(); a no-op once open
        with pool.connection(timeout=PROBE_TIMEOUT) as pooled:
            pooled.execute("SELECT 1")


@require_safe
@never_cache
def healthz(request):
    try:
        probe_database()
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
