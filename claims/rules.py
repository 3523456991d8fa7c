"""The editorial rules, as one table: who may change a claim in each status, what counts as a
material change, when a change needs a public correction, who may mark a change as minor or
publish a quote the checker did not find, and the workflow's steps.

This module holds the rules and nothing else (it imports no model): the models' workflow
methods read the transitions from it, and ``claims.services`` applies the rest on every write,
whatever door it comes through. ``docs/editorial-rules.md`` shows the same table; a test
(``tests/test_editorial_rules.py``) checks that the page says what this module says.
"""

from enum import StrEnum
from typing import NamedTuple

from django.db import models


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    RETRACTED = "retracted", "Retracted"


PUBLIC_STATUSES = (Status.PUBLISHED, Status.RETRACTED)


class Role(StrEnum):
    """Who is asking, as far as the rules care. Roles come from permissions (the groups made
    by migration ``claims.0004_roles`` hold them), so a superuser is an editor."""

    ANONYMOUS = "anonymous"  # not signed in, or signed in without any editorial permission
    FACT_CHECKER = "fact-checker"  # may change claims (claims.change_claim)
    EDITOR = "editor"  # may also publish, send back and retract (claims.publish_claim)
    SYSTEM = "system"  # no user: management commands, data migrations, the shell's own calls


def role_of(user):
    """The role of ``user``; None is the system itself (a management command)."""
    if user is None:
        return Role.SYSTEM
    if not user.is_authenticated or not user.is_active:
        return Role.ANONYMOUS
    if user.has_perm("claims.publish_claim"):
        return Role.EDITOR
    if user.has_perm("claims.change_claim"):
        return Role.FACT_CHECKER
    return Role.ANONYMOUS


EDITORS = frozenset({Role.EDITOR, Role.SYSTEM})
CURATORS = frozenset({Role.FACT_CHECKER, Role.EDITOR, Role.SYSTEM})

# What readers were told: changing any of these on a public claim changes the fact check.
# "evidence" is adding or removing a piece of evidence, or changing its stance; a stance
# link's note and position, like the summary, topics and slug, are not material.
MATERIAL = ("quote", "claimant", "source", "said_on", "verdict", "ruling", "evidence")


# Not material either: an appearance (the claim said again, elsewhere, in other words). It adds
# where the claim was said and changes nothing the fact check concludes. Recording, changing or
# removing one is changing the claim (``RULES``: who may), and its words are checked like the
# quote: a public claim shows it at once, so words not found in its source need an editor's
# reason (``MAY_OVERRIDE_QUOTE_CHECK``), as they would to publish the claim.


class StatusRule(NamedTuple):
    may_change: frozenset  # the roles that may change a claim in this status (and its links)
    correction: bool  # whether a material change needs a public correction note (or "minor")


RULES = {
    # Fact-checkers work on drafts, including claims an editor sent back to them.
    Status.DRAFT: StatusRule(may_change=CURATORS, correction=False),
    # Under review, the draft is the editor's: a fact-checker's edit would change what is
    # being reviewed. An editor who wants changes sends it back.
    Status.IN_REVIEW: StatusRule(may_change=EDITORS, correction=False),
    Status.PUBLISHED: StatusRule(may_change=EDITORS, correction=True),
    # A retracted fact check stays at its URL; what it says is still what readers were told.
    Status.RETRACTED: StatusRule(may_change=EDITORS, correction=True),
}

# A material change to a public claim without a correction note: only an editor may decide
# that it changes nothing readers rely on (a typo). It is still listed publicly as an update.
MAY_MARK_MINOR = EDITORS
# Publishing a quote that was not found in its source's text is an editor's decision.
MAY_OVERRIDE_QUOTE_CHECK = EDITORS


class Transition(NamedTuple):
    source: str
    target: str
    roles: frozenset  # who may take the step
    done: str  # what the step did, for messages: "published"


TRANSITIONS = {
    "submit_for_review": Transition(
        Status.DRAFT, Status.IN_REVIEW, CURATORS, "submitted for review"
    ),
    "send_back_to_draft": Transition(Status.IN_REVIEW, Status.DRAFT, EDITORS, "sent back to draft"),
    "publish": Transition(Status.IN_REVIEW, Status.PUBLISHED, EDITORS, "published"),
    "retract": Transition(Status.PUBLISHED, Status.RETRACTED, EDITORS, "retracted"),
}


def path_to(status):
    """The transitions that take a new draft to ``status``, in order (the shortest way).
    ``generate_data`` records them for the claims it writes in bulk."""
    paths = {Status.DRAFT: []}
    frontier = [Status.DRAFT]
    while frontier:
        current = frontier.pop(0)
        for transition in TRANSITIONS.values():
            if transition.source == current and transition.target not in paths:
                paths[transition.target] = [*paths[current], transition]
                frontier.append(transition.target)
    return paths[status]


def may_change(status, role):
    return role in RULES[status].may_change


def refusal(status, role):
    """Why ``role`` may not change a claim in ``status``: the message every door shows."""
    if role == Role.ANONYMOUS:
        return "Sign in as a fact-checker or an editor to change claims."
    if status == Status.IN_REVIEW:
        return (
            "This claim is in review: only editors may change it. Ask an editor to send it "
            "back to draft."
        )
    return (
        f"This fact check is {Status(status).label.lower()}: only editors may change it. "
        "Ask an editor to make the change with a public correction note."
    )


def rules_table():
    """The rules as a Markdown table, as ``docs/editorial-rules.md`` shows them."""
    roles = [Role.FACT_CHECKER, Role.EDITOR]
    lines = [
        "| status | who may change it | material change needs |",
        "| --- | --- | --- |",
    ]
    for status, rule in RULES.items():
        who = ", ".join(f"{role.value}s" for role in roles if role in rule.may_change)
        needs = (
            "a public correction note, or an editor's “minor” mark (listed as an update)"
            if rule.correction
            else "nothing (not public)"
        )
        lines.append(f"| {Status(status).label.lower()} | {who} | {needs} |")
    return "\n".join(lines)


def transitions_table():
    lines = ["| step | from | to | who |", "| --- | --- | --- | --- |"]
    for name, step in TRANSITIONS.items():
        who = ", ".join(
            f"{role.value}s" for role in (Role.FACT_CHECKER, Role.EDITOR) if role in step.roles
        )
        lines.append(
            f"| `{name}` | {Status(step.source).label.lower()} | "
            f"{Status(step.target).label.lower()} | {who} |"
        )
    return "\n".join(lines)
