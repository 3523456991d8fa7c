"""Which cached public responses a write retires (``claims.cache`` keeps them by tag).

A receiver on every save, delete and many-to-many change of the claims and sources apps' models
asks ``claims_showing(row)``: the claims whose own page shows that row. Those claims' tags are
retired; the lists' tag too when one of those claims is public (so a draft's edits retire only
the draft's own key) or when the row is a source, a person or an organization, which lists,
feeds and the source and claimant pages show by themselves. The claims are looked up as the row
was stored before the write and as it is after, so a stance link moved to another claim, or a
claim leaving the public, retires both sides; the claims in an exchange with those are
retired too (a claim's page shows the other claims of its exchange). A staff member's name
change retires the claims whose byline names them. Topics and verdicts, which most pages show
(cards, filters, the rating scale in every ClaimReview), and any model not listed here, retire
everything: they are rarely written, and retiring too much is slow but never wrong.

``QuerySet.update()`` and bulk inserts send no signals: the code that uses them calls
``Claim.touch`` (a claim's row changed) or ``claims.cache.bump`` (imports, generated data,
recounts).
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from archives.models import Snapshot
from claims.cache import ALL, LISTS, claim_tag, retire
from claims.models import (
    Appearance,
    Claim,
    ClaimTransition,
    Correction,
    Counterclaim,
    Evidence,
    StanceLink,
)
from sources.models import Actor, Affiliation, Source

# Past this many claims, retire everything: cheaper than thousands of tags, and as correct.
MOST_CLAIMS = 1000
EVERYTHING = None  # claims_showing's answer for "too many to name"


def _claim_ids(*conditions):
    """Ids of the claims matching any of ``conditions`` (one query each, each bounded), or
    EVERYTHING past MOST_CLAIMS."""
    ids = set()
    for condition in conditions:
        ids.update(
            Claim.objects.filter(condition)
            .order_by()
            .values_list("pk", flat=True)
            .distinct()[: MOST_CLAIMS + 1]
        )
        if len(ids) > MOST_CLAIMS:
            return EVERYTHING
    return ids


def _with_counterparts(ids):
    """``ids`` and the claims in an exchange with them: a claim's page shows the other
    claims of its exchange (their claimant, summary and verdict)."""
    links = Counterclaim.objects.filter(Q(original__in=ids) | Q(response__in=ids))
    return {*ids, *(pk for pair in links.values_list("original", "response") for pk in pair)}


def _claims_citing(sources):
    """What a claim's page shows of a source: the claim's own, the evidence's, and the
    document each is known through (separate conditions: one query with all four joins
    ORed together reads whole tables)."""
    return (
        Q(source__in=sources),
        Q(source__via__in=sources),
        Q(appearances__source__in=sources),
        Q(stance_links__evidence__source__in=sources),
        Q(stance_links__evidence__source__via__in=sources),
    )


def claims_showing(row):
    """The ids of the claims whose own responses show ``row`` (before their exchanges are
    added), EVERYTHING, or none for rows that no public response shows (history records)."""
    match row:
        case Claim():
            return {row.pk}
        case StanceLink() | Correction() | ClaimTransition() | Appearance():
            return {row.claim_id}
        case Counterclaim():
            return {row.original_id, row.response_id}
        case Evidence():
            return _claim_ids(Q(stance_links__evidence=row.pk))
        case Source():
            return _claim_ids(*_claims_citing([row.pk]))
        case Affiliation():
            return _claim_ids(Q(claimant=row.person_id))
        case Actor():
            return _claim_ids(
                Q(claimant=row.pk),
                Q(claimant__affiliations__organization=row.pk),
                *_claims_citing(
                    Source.objects.filter(Q(publisher=row.pk) | Q(authors=row.pk)).values("pk")
                ),
                Q(stance_links__evidence__author=row.pk),
                Q(appearances__claimant=row.pk),
            )
        case Snapshot():
            return set()  # shown on its source's page and its own: the lists' tag
    if hasattr(type(row), "instance_type"):
        return set()  # simple-history's records: the admin's, never a public page's
    return EVERYTHING


def _tags(row):
    """The tags a write to ``row`` retires (as it is now: called before and after)."""
    claim_ids = claims_showing(row)
    if claim_ids:
        claim_ids = _with_counterparts(claim_ids)
    if claim_ids is EVERYTHING or len(claim_ids) > MOST_CLAIMS:
        return {ALL}
    tags = {claim_tag(pk) for pk in claim_ids}
    # Sources, people and snapshots are in pages of their own; the rest only through a public
    # claim.
    if isinstance(row, Source | Actor | Affiliation | Snapshot) or (
        claim_ids
        and Claim.objects.filter(pk__in=claim_ids, status__in=Claim.PUBLIC_STATUSES).exists()
    ):
        tags.add(LISTS)
    return tags


def _ties_shown(before, after):
    """The tags of the claim pages that show a tie to the claimant of a claim entering or
    leaving the public (``before`` and ``after``: the claim as stored and as written, None
    for none). Whether an actor is public follows from the public claims that cite it, and a
    person's claim page names an organization they are affiliated with only while it is
    public (``Affiliation.objects.published``); the claims' own tags say nothing of that."""
    if not isinstance(before or after, Claim):
        return set()
    claims = [claim for claim in (before, after) if claim is not None]
    claimants = {claim.claimant_id for claim in claims}

    def public(claim):
        return claim is not None and claim.status in Claim.PUBLIC_STATUSES

    if public(before) == public(after) and len(claimants) == 1:
        return set()
    ids = _claim_ids(Q(claimant__affiliations__organization__in=claimants))
    return {ALL} if ids is EVERYTHING else {claim_tag(pk) for pk in ids}


def _stored(row):
    """The row as stored before this write, or None for a new one."""
    if row._state.adding or row.pk is None:
        return None
    return type(row)._base_manager.filter(pk=row.pk).first()


CACHED_APPS = ("claims", "sources", "trust", "archives")


def _cached(sender):
    return sender._meta.app_label in CACHED_APPS


def note_before_save(sender, instance, raw=False, **kwargs):
    if not raw and (stored := _stored(instance)) is not None:
        instance._public_cache_before = _tags(stored) | _ties_shown(stored, instance)


def retire_after_save(sender, instance, raw=False, created=False, **kwargs):
    before = instance.__dict__.pop("_public_cache_before", set())
    if created and not raw:
        before |= _ties_shown(None, instance)
    retire(({ALL} if raw else _tags(instance)) | before)


def retire_before_delete(sender, instance, **kwargs):
    # Before: a deleted row's links (its claim's stance links, its counterclaims) go with it.
    instance._public_cache_before = _tags(instance) | _ties_shown(instance, None)


def retire_after_delete(sender, instance, **kwargs):
    retire(instance.__dict__.pop("_public_cache_before", {ALL}))


def retire_m2m(sender, instance, action, reverse, model, pk_set, **kwargs):
    """A claim's topics, a source's authors: a change to the row that holds the field."""
    if not action.startswith("post_") or not _cached(type(instance)):
        return
    if not reverse:
        retire(_tags(instance))
    elif pk_set:
        retire(set().union(*(_tags(row) for row in model._base_manager.filter(pk__in=pk_set))))
    else:  # cleared from the other side: which rows held it is gone
        retire({ALL})


def retire_bylines(sender, instance, raw=False, update_fields=None, **kwargs):
    """A claim's byline names the staff who checked and published it (their full name, from
    the user model, outside these apps). A login saves only ``last_login``: nothing shown."""
    if update_fields is not None and not {"first_name", "last_name"} & set(update_fields):
        return
    ids = EVERYTHING if raw else _claim_ids(Q(transitions__by=instance.pk))
    retire({ALL} if ids is EVERYTHING else {claim_tag(pk) for pk in ids})


def connect():
    # Per model, not for every sender: a delete receiver for a model makes Django load and
    # signal each row its QuerySet.delete() removes instead of one DELETE.
    for model in apps.get_models():
        if _cached(model):
            uid = f"cache-{model._meta.label_lower}"
            pre_save.connect(note_before_save, sender=model, dispatch_uid=f"{uid}-before-save")
            post_save.connect(retire_after_save, sender=model, dispatch_uid=f"{uid}-save")
            pre_delete.connect(retire_before_delete, sender=model, dispatch_uid=f"{uid}-before-del")
            post_delete.connect(retire_after_delete, sender=model, dispatch_uid=f"{uid}-del")
    m2m_changed.connect(retire_m2m, dispatch_uid="cache-m2m")
    user = get_user_model()
    post_save.connect(retire_bylines, sender=user, dispatch_uid="cache-bylines-save")
    pre_delete.connect(retire_bylines, sender=user, dispatch_uid="cache-bylines-delete")
