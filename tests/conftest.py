import itertools

import pytest
from django.contrib.auth.models import Group

from claims.models import Claim, Evidence, StanceLink, Topic, Verdict
from sources.models import Actor, Source

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The manifest storage needs collectstatic; tests/test_settings.py covers it on its own.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


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
