import itertools

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient

from claims.models import Claim, Evidence, StanceLink, Topic, Verdict
from sources.models import Actor, Source
from tokens.models import ApiToken

_counter = itertools.count(1)

# Property-based tests (tests/test_api_fuzz.py): a quick profile for every run, a thorough one
# for `make fuzz` (pytest --hypothesis-profile=fuzz). No example database is kept.
_fuzz = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
hypothesis_settings.register_profile("quick", max_examples=5, **_fuzz)
hypothesis_settings.register_profile("fuzz", max_examples=150, **_fuzz)
hypothesis_settings.load_profile("quick")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, the test database is a file, not memory. Django shares an in-memory
    database's one connection between the test and every request thread of the live server
    (LiveServerTestCase's documented caveat), so two requests at once (an htmx suggestion while
    a form posts) used it together: "database table is locked", "bad parameter or other API
    misuse", a 500 (tests/test_live_server.py). With a file, each thread has its own connection
    and SQLite's locks put them in turn, as on a real server."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        name = tmp_path_factory.mktemp("database") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(name)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The manifest storage needs collectstatic; tests/test_settings.py covers it on its own.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Creating users is most of some tests' time with the production hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The API's throttles count requests in the cache; every test starts with none.
    cache.clear()
    yield
    cache.clear()


class Make:
    """Small builders for test data: each call makes valid rows with unique values."""

    def actor(self, **kwargs):
        n = next(_counter)
        kwargs.setdefault("name", f"Actor {n}")
        kwargs.setdefault("kind", Actor.Kind.ORGANIZATION)
        return Actor.objects.create(**kwargs)

    def source(self, **kwargs):
        n = next(_counter)
        kwargs.setdefault("title", f"Source {n}")
        kwargs.setdefault("kind", Source.Kind.NEWS_ARTICLE)
        return Source.objects.create(**kwargs)

    def topic(self, **kwargs):
        kwargs.setdefault("name", f"Topic {next(_counter)}")
        return Topic.objects.create(**kwargs)

    def evidence(self, **kwargs):
        kwargs.setdefault("excerpt", f"Finding number {next(_counter)}.")
        if "source" not in kwargs:
            kwargs["source"] = self.source()
        return Evidence.objects.create(**kwargs)

    def claim(self, *, status=Claim.Status.PUBLISHED, evidence=1, topics=(), **kwargs):
        """A claim; a published one gets a verdict, a ruling and ``evidence`` refuting items."""
        n = next(_counter)
        kwargs.setdefault("quote", f"Quoted words number {n}.")
        kwargs.setdefault("summary", f"Claim number {n}")
        kwargs.setdefault("language", "en")  # as claims.services would detect
        if "claimant" not in kwargs:
            kwargs["claimant"] = self.actor()
        if "source" not in kwargs:
            kwargs["source"] = self.source()
        kwargs.setdefault("verdict", Verdict.objects.get(slug="false"))
        kwargs.setdefault("ruling", "The evidence contradicts it.")
        claim = Claim.objects.create(**kwargs)
        claim.topics.set(topics)
        for position in range(evidence):
            StanceLink.objects.create(
                claim=claim,
                evidence=self.evidence(),
                stance=StanceLink.Stance.REFUTES,
                position=position,
            )
        if status != Claim.Status.DRAFT:
            claim.submit_for_review()
        if status in Claim.PUBLIC_STATUSES:
            claim.publish()
        if status == Claim.Status.RETRACTED:
            claim.retract("We could not verify the quote.")
        return claim


@pytest.fixture
def make(db):
    return Make()


def staff_in(django_user_model, username, group):
    user = django_user_model.objects.create_user(
        username, f"{username}@example.com", "a-long-test-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(django_user_model):
    """A member of the Editors group (made by a migration): curates, publishes, retracts."""
    return staff_in(django_user_model, "editor", "Editors")


@pytest.fixture
def fact_checker(django_user_model):
    """A member of the Fact-checkers group: curates and submits, never publishes."""
    return staff_in(django_user_model, "checker", "Fact-checkers")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def token_client(user):
    """An API client that authenticates with ``user``'s token, as a script would."""
    client = APIClient()
    _, key = ApiToken.objects.issue(user, "tests")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def api_client(db):
    """An anonymous API client."""
    return APIClient()


@pytest.fixture
def editor_api(editor):
    return token_client(editor)


@pytest.fixture
def reader_api(django_user_model):
    """A client with a valid token whose user has no permissions at all."""
    return token_client(django_user_model.objects.create_user("reader"))


@pytest.fixture
def worker(settings):
    """The background jobs on the database backend (django-tasks-db), as in production, and a
    function that runs its worker loop here, on the test database, until no job is waiting.
    Tests that use it need ``django_db(transaction=True, serialized_rollback=True)``: the
    worker commits as it goes."""
    from django_tasks_db.management.commands.db_worker import Worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def run():
        Worker(
            queue_names=["*"],
            excluded_queue_names=[],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
        ).run()

    return run
