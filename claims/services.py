"""The one write path for fact checks: every door that changes a claim, its evidence links or
its counterclaim links calls these functions, so the editorial rules (``claims.rules``) hold on
all of them: the admin's forms, inlines and actions, the API's serializers and endpoints,
``import_claims``, ``load_demo`` and the shell.

Each write is reviewed before it is saved (``review``: may this user change this claim in its
status; does a material change to a public claim carry a correction note or an editor's
"minor" mark; may this user override a quote check) and recorded after (``Change.record``:
the public correction or update). Keyword-only arguments: ``by`` is the user, None for the
system itself (a management command).

Workflow steps go through ``take_step`` here too. What readers are told anew about a fact
check (its publication, a correction, a new verdict, a retraction) is announced with the
``fact_check_event`` signal, in the write's transaction: the webhooks app delivers it to
partners. Drafts and reviews are never announced.

From a shell::

    from claims import services
    services.change_claim(claim, by=editor, verdict=mixed, correction_note="A second report...")
    services.take_step(claim, "publish", by=editor)
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal

from archives.services import archive_unarchived
from claims import languages, rules
from claims.models import Appearance, Claim, Counterclaim, StanceLink, Verdict
from sources.models import Source

# Events announced to partners (webhooks): the names they subscribe to.
PUBLISHED = "claim.published"
CORRECTED = "claim.corrected"
VERDICT_CHANGED = "claim.verdict_changed"
RETRACTED = "claim.retracted"
EVENTS = {
    PUBLISHED: "A claim was published",
    CORRECTED: "A published claim was corrected (or updated)",
    VERDICT_CHANGED: "A published claim's verdict changed",
    RETRACTED: "A published claim was retracted",
}

# Sent with ``claim``, ``event`` (one of ``EVENTS``) and ``correction`` (the public note of a
# correction, update or retraction; None for a publication) when readers are told something
# new about a public fact check. Sent inside the write's transaction: a receiver's rows (a
# webhook delivery and its job) are stored with the change, or not at all.
fact_check_event = Signal()


def announce(claim, event, correction=None):
    fact_check_event.send(sender=Claim, claim=claim, event=event, correction=correction)


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
        correction = self.claim.record_correction(
            self.note,
            self.changed,
            verdict_before=Verdict.objects.filter(pk=self.verdict_before_id).first(),
            by=self.by,
            minor=self.minor,
        )
        announce(self.claim, CORRECTED, correction)
        if correction.verdict_changed:
            announce(self.claim, VERDICT_CHANGED, correction)
        return correction


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


def fill_languages(claims):
    """Give each of ``claims`` that has no language tag one: the language its quote is
    written in (``claims.languages.detect``), or when that cannot be told (a quote of two
    words) its source's, or the site's. A tag the editor gave is kept. For every door,
    bulk ones included (``import_claims``, ``generate_data``): one query for the sources."""
    missing = [claim for claim in claims if not (claim.language or "").strip()]
    if not missing:
        return
    source_languages = dict(
        Source.objects.filter(pk__in={claim.source_id for claim in missing}).values_list(
            "pk", "language"
        )
    )
    for claim in missing:
        claim.language = languages.normalize(
            languages.detect(claim.quote)
            or source_languages.get(claim.source_id)
            or languages.primary(settings.LANGUAGE_CODE)
        )


@transaction.atomic
def create_claim(*, by, topics=None, **fields):
    """A new claim, always a draft (it becomes public only through the workflow)."""
    claim = Claim(**fields)
    review_claim(claim, by=by)
    fill_languages([claim])
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
    fill_languages([claim])
    claim.full_clean()
    claim.save()
    if topics is not None:
        claim.topics.set(topics)
    return change.record()


@transaction.atomic
def take_step(claim, name, *, by, note="", archive=True):
    """Take the workflow step ``name`` (``rules.TRANSITIONS``) on ``claim`` as ``by``:
    refused by the claim's own method (``ValidationError``, ``PermissionDenied``), or taken
    and, for a publication or a retraction, announced (a publication also archives the
    sources it cites, ``archive_cited_sources``, unless ``archive`` is false: loading data
    fetches nothing). ``note`` is a retraction's public note, or the note sent back with a
    draft."""
    if name == "retract":
        claim.retract(note, by)
        announce(claim, RETRACTED, claim.corrections.order_by("-created_at", "-pk").first())
    elif name == "send_back_to_draft":
        claim.send_back_to_draft(by, note)
    elif name in ("publish", "submit_for_review"):
        getattr(claim, name)(by)
        if name == "publish":
            if archive:
                archive_cited_sources(claim, by=by)
            announce(claim, PUBLISHED)
    else:
        raise ValueError(f"No workflow step {name!r}.")


def archive_cited_sources(claim, *, by=None):
    """Ask for a snapshot of each source ``claim`` and its evidence cite that has none yet
    (``ARCHIVE_ON_PUBLISH``): a page quoted in public should not be able to vanish. The
    snapshots are taken by the task worker after the commit; the request only records that
    they are waiting."""
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


# Appearances: the claim said again, by its claimant or someone else, somewhere else, in other
# words. Recording one changes the claim (the same right, ``may_change``) but not what the fact
# check concludes, so it is not material (``rules.MATERIAL``) and needs no correction. On a
# public claim it shows at once: its words must be found in its source's text, or carry an
# editor's reason, the rule a claim's own quote meets to be published (``claims.rules``).


def review_appearance(appearance, *, by):
    """Refuse a new or changed ``appearance`` the rules do not allow: ``PermissionDenied``
    when ``by`` may not change its claim (or, when it moves, the claim it leaves),
    ``ValidationError`` keyed by the field to fix. Checks its words against its source."""
    stored = (
        Appearance.objects.filter(pk=appearance.pk).values("claim", "quote_override_reason").first()
        if appearance.pk
        else None
    )
    if stored is not None and stored["claim"] != appearance.claim_id:
        check_may_change(Claim.objects.get(pk=stored["claim"]), by=by)
    check_may_change(appearance.claim, by=by)
    reason_before = stored["quote_override_reason"].strip() if stored else ""
    if (
        appearance.quote_override_reason.strip() != reason_before
        and rules.role_of(by) not in rules.MAY_OVERRIDE_QUOTE_CHECK
    ):
        raise ValidationError(
            {
                "quote_override_reason": "Only editors who publish claims may give a reason "
                "to show words that were not found in the source."
            }
        )
    if appearance.source_id:
        appearance.check_quote()
    if appearance.claim.is_public and appearance.needs_override:
        raise ValidationError(
            {
                "quote": "These words were not found in the source's text and this fact check "
                "is public: correct the words or the source, or (editors) give the reason to "
                "show them anyway."
            }
        )


@transaction.atomic
def save_appearance(appearance, *, by):
    """Create or change an appearance of a claim."""
    appearance.quote_override_reason = appearance.quote_override_reason.strip()
    appearance.full_clean()
    review_appearance(appearance, by=by)
    appearance.save()
    return appearance


def create_appearance(*, by, **fields):
    """A new appearance: ``claim``, ``claimant``, ``source``, ``quote``, ``said_on``."""
    return save_appearance(Appearance(**fields), by=by)


@transaction.atomic
def delete_appearance(appearance, *, by):
    check_may_change(appearance.claim, by=by)
    appearance.delete()
