"""The one write path for fact checks: every door that changes a claim, its evidence links or
its counterclaim links calls these functions, so the editorial rules (``claims.rules``) hold on
all of them: the admin's forms, inlines and actions, the API's serializers and endpoints,
``import_claims``, ``load_demo`` and the shell.

Each write is reviewed before it is saved (``review``: may this user change this claim in its
status; does a material change to a public claim carry a correction note or an editor's
"minor" mark; may this user override a quote check) and recorded after (``Change.record``:
the public correction or update). Keyword-only arguments: ``by`` is the user, None for the
system itself (a management command).

From a shell::

    from claims import services
    services.change_claim(claim, by=editor, verdict=mixed, correction_note="A second report...")
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from archives.services import archive_unarchived
from claims import rules
from claims.models import Claim, Counterclaim, StanceLink, Verdict
from sources.models import Source

# The model attribute behind each material field that lives on the claim's own row.
_FIELD_ATTNAMES = {
    "quote": "quote",
    "claimant": "claimant_id",
    "source": "source_id",
    "said_on": "said_on",
    "verdict": "verdict_id",
    "ruling": "ruling",
}


def may_change(claim, user):
    """Whether ``user`` may change ``claim`` (and its evidence and counterclaim links) now."""
    return rules.may_change(claim.status, rules.role_of(user))


def check_may_change(claim, *, by):
    if not may_change(claim, by):
        raise PermissionDenied(rules.refusal(claim.status, rules.role_of(by)))


def describe(changed):
    """'the verdict and ruling': what changed, for messages and generated notes."""
    names = [name for name in rules.MATERIAL if name in changed]
    names = [{"said_on": "date said"}.get(name, name) for name in names]
    if len(names) > 1:
        return "the " + ", ".join(names[:-1]) + " and " + names[-1]
    return "the " + "".join(names)


@dataclass
class Change:
    """A reviewed change to one claim: what changed, and the note or mark it was made with."""

    claim: Claim
    by: object
    changed: list = field(default_factory=list)
    correction_note: str = ""
    minor: bool = False
    verdict_before_id: int | None = None

    @property
    def needs_record(self):
        return bool(self.changed) and rules.RULES[self.claim.status].correction

    @property
    def note(self):
        """The public text: the editor's note, or for an unexplained minor change a line
        that says what it touched."""
        return self.correction_note or f"Minor change to {describe(self.changed)}."

    def record(self):
        """Record the public correction (or update) this change needs, if any; return it."""
        if not self.needs_record:
            return None
        return self.claim.record_correction(
            self.note,
            self.changed,
            verdict_before=Verdict.objects.filter(pk=self.verdict_before_id).first(),
            by=self.by,
            minor=self.minor,
        )


def review(
    claim,
    *,
    by,
    changed=(),
    correction_note="",
    minor=False,
    verdict_before_id=None,
    quote_override_changed=False,
):
    """Refuse a change the rules do not allow; return it as a ``Change`` to record once saved.

    ``changed`` names the material changes (``rules.MATERIAL``) the write makes to ``claim``,
    which is in the status it was stored with. Raises ``PermissionDenied`` when ``by`` may not
    change the claim, ``ValidationError`` (keyed by the field to fix) when a note or a right
    is missing. A change that will be recorded also becomes the reason on the claim's history
    record (simple-history's ``_change_reason``), so the admin's History says why.
    """
    check_may_change(claim, by=by)
    role = rules.role_of(by)
    correction_note = (correction_note or "").strip()
    if quote_override_changed and role not in rules.MAY_OVERRIDE_QUOTE_CHECK:
        raise ValidationError(
            {
                "quote_override_reason": "Only editors who publish claims may give a reason "
                "to publish an unmatched quote."
            }
        )
    if minor and role not in rules.MAY_MARK_MINOR:
        raise ValidationError({"minor": "Only editors may mark a change as minor."})
    change = Change(
        claim,
        by,
        [name for name in rules.MATERIAL if name in changed],
        correction_note,
        bool(minor),
        verdict_before_id,
    )
    if change.needs_record:
        if not correction_note and not minor:
            raise ValidationError(
                {
                    "correction_note": f"You changed {describe(change.changed)} of a "
                    f"{claim.get_status_display().lower()} fact check: write a public "
                    "correction note, or (editors only) mark the change as minor."
                }
            )
        claim._change_reason = change.note
    return change


def _stored(claim):
    """The claim's row as stored: its material fields and its quote-check override."""
    return (
        Claim.objects.filter(pk=claim.pk)
        .values(*_FIELD_ATTNAMES.values(), "quote_override_reason")
        .first()
    )


def review_claim(claim, *, by, correction_note="", minor=False):
    """``review`` a claim whose new values are set on the instance, against its stored row."""
    stored = _stored(claim) if claim.pk else None
    if stored is None:
        stored = dict.fromkeys(_FIELD_ATTNAMES.values()) | {"quote_override_reason": ""}
        changed = []  # a new claim is a draft: nothing public changes
    else:
        changed = [
            name
            for name, attname in _FIELD_ATTNAMES.items()
            if getattr(claim, attname) != stored[attname]
        ]
    override_changed = claim.quote_override_reason.strip() != (
        stored["quote_override_reason"].strip()
    )
    return review(
        claim,
        by=by,
        changed=changed,
        correction_note=correction_note,
        minor=minor,
        verdict_before_id=stored["verdict_id"],
        quote_override_changed=override_changed,
    )


@transaction.atomic
def create_claim(*, by, topics=None, **fields):
    """A new claim, always a draft (it becomes public only through the workflow)."""
    claim = Claim(**fields)
    review_claim(claim, by=by)
    claim.full_clean()
    claim.save()
    if topics is not None:
        claim.topics.set(topics)
    return claim


@transaction.atomic
def change_claim(claim, *, by, correction_note="", minor=False, topics=None, **fields):
    """Change ``claim``'s fields (and topics): refused, or saved with the public correction
    or update it needs. Returns the correction, or None when none was needed."""
    for name, value in fields.items():
        setattr(claim, name, value)
    change = review_claim(claim, by=by, correction_note=correction_note, minor=minor)
    claim.full_clean()
    claim.save()
    if topics is not None:
        claim.topics.set(topics)
    return change.record()


@transaction.atomic
def publish(claim, *, by=None):
    """Publish ``claim`` (``Claim.publish`` checks the rules) and ask for a snapshot of each
    source it and its evidence cite that has none yet (``ARCHIVE_ON_PUBLISH``): a page quoted
    in public should not be able to vanish. The snapshots are taken by the task worker after
    the commit; the request only records that they are waiting."""
    claim.publish(by)
    if settings.ARCHIVE_ON_PUBLISH:
        cited = Source.objects.filter(Q(claims=claim) | Q(evidence__stance_links__claim=claim))
        archive_unarchived(Source.objects.filter(pk__in=cited.values("pk")), by=by)


# Evidence links: adding or removing a piece of evidence, or changing its stance, changes
# the fact check ("evidence"); its note and position do not.


def _link_changes(link):
    """{claim: [material changes]} for the claims a save of ``link`` changes."""
    stored = (
        StanceLink.objects.filter(pk=link.pk).values("claim", "evidence", "stance").first()
        if link.pk
        else None
    )
    if stored is None:
        return {link.claim: ["evidence"]}
    if stored["claim"] != link.claim_id:  # moved: taken from one claim, given to another
        return {Claim.objects.get(pk=stored["claim"]): ["evidence"], link.claim: ["evidence"]}
    moved = (stored["evidence"], stored["stance"]) != (link.evidence_id, link.stance)
    return {link.claim: ["evidence"] if moved else []}


def review_stance_link(link, *, by, correction_note="", minor=False):
    """``review`` a new or changed ``link`` for each claim it changes; the ``Change`` list."""
    return [
        review(claim, by=by, changed=changed, correction_note=correction_note, minor=minor)
        for claim, changed in _link_changes(link).items()
    ]


@transaction.atomic
def save_stance_link(link, *, by, correction_note="", minor=False):
    """Create or change a link between a claim and a piece of evidence."""
    changes = review_stance_link(link, by=by, correction_note=correction_note, minor=minor)
    link._change_reason = correction_note.strip() or None
    link.full_clean()
    link.save()
    for change in changes:
        change.record()
    return link


@transaction.atomic
def delete_stance_link(link, *, by, correction_note="", minor=False):
    """Take a piece of evidence off a claim."""
    change = review(
        link.claim, by=by, changed=["evidence"], correction_note=correction_note, minor=minor
    )
    link._change_reason = correction_note.strip() or None
    link.delete()
    change.record()


# Counterclaim links. Both claims' pages show the link once both are public; until then it
# is part of the unpublished one(s). Changing it needs the right to change each claim whose
# page it is on (or will be on when published).


def check_may_link(original, response, *, by):
    both_public = original.is_public and response.is_public
    for claim in (original, response):
        if both_public or not claim.is_public:
            check_may_change(claim, by=by)


@transaction.atomic
def save_counterclaim(link, *, by):
    if link.pk:
        stored = Counterclaim.objects.select_related("original", "response").get(pk=link.pk)
        check_may_link(stored.original, stored.response, by=by)
    check_may_link(link.original, link.response, by=by)
    link.full_clean()
    link.save()
    return link


@transaction.atomic
def delete_counterclaim(link, *, by):
    check_may_link(link.original, link.response, by=by)
    link.delete()
