"""Property-based tests of every GET operation against the published OpenAPI schema.

schemathesis generates requests from ``/api/schema/`` (including hostile strings) and sends
them through the WSGI app: no response may be a server error, and each response must match
the documented schema and content type. ``make test`` runs the ``quick`` Hypothesis profile
(a few examples per operation); ``make fuzz`` runs ``fuzz`` (at least 100). Profiles are
registered in tests/conftest.py.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from schemathesis import checks

from claims.models import Counterclaim
from config.wsgi import application
from sources.models import Actor


@pytest.fixture
def wsgi_keeps_test_connection():
    """schemathesis calls the WSGI app itself, whose request signals would close the database
    connection (and with it the test's transaction) after each request; Django's test client
    disconnects them the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def published(make, wsgi_keeps_test_connection):
    """A little of everything, so generated ids and slugs sometimes hit real rows."""
    topic = make.topic(name="Detention")
    agency = make.actor(name="An agency", same_as=["https://example.org/agency"])
    source = make.source(url="https://example.org/a", publisher=agency)
    first = make.claim(claimant=agency, source=source, topics=[topic], evidence=2)
    second = make.claim(claimant=make.actor(kind=Actor.Kind.PERSON), topics=[topic])
    Counterclaim.objects.create(original=first, response=second)
    make.claim(status="draft")


# Loaded when the module is collected: serving the schema touches no database.
# (schemathesis.pytest.from_fixture would load it lazily but does not work with pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application).include(
    method="GET"
)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@schema.parametrize()
def test_get_operations_conform_to_the_schema(case, published):
    case.call_and_validate(
        checks=[
            checks.not_a_server_error,
            checks.response_schema_conformance,
            checks.content_type_conformance,
        ]
    )
