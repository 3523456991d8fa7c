"""Read replicas: anonymous readers' requests read from ``DATABASE_REPLICA_URL``; everything
else (writes, editors, the admin, the API with a token, management commands, tests) uses the
primary.

Why only anonymous reads: a replica lags the primary by a moment, and an editor who just
saved must see the save. Readers are most of the traffic and are cached anyway, so they can
take a page that is a second old. ``ReplicaReadsMiddleware`` decides per request; the router
only follows that decision, so code outside a request always gets the primary.
"""

from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_reads_from_replica = ContextVar("reads_from_replica", default=False)


def replica_configured():
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _reads_from_replica.get() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # the replica follows the primary's schema


class ReplicaReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        anonymous_read = (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
        )
        token = _reads_from_replica.set(anonymous_read and replica_configured())
        try:
            return self.get_response(request)
        finally:
            _reads_from_replica.reset(token)
