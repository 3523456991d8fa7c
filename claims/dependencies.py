"""Which cached public responses a write retires (``claims.cache`` keeps them by tag).

A receiver on every save, delete and many-to-many change of the claims and sources apps' models
asks ``claims_showing(row)``: the claims whose own page shows that row. Those claims' tags are
retired; the lists' tag too when one of those claims is public (so a draft's edits retire only
the draft's own key) or when the row is a source, a person or an organization, which lists,
feeds and the source and claimant pages show by themselves. The claims are looked up as the row
was stored before the write and as it is after, so a stance link moved to another claim, or a
claim leaving the public, retires both sides; the claims in an exchange with those are
retired too (a claim's page shows the other claims of its exchange). A write that makes an
organization public or private (a claim it said, a document it published, evidence it
found) retires the claims of the people tied to it, whose pages name it only while it is
public. A staff member's name change retires the claims whose byline names them. Topics and
verdicts, which most pages show (cards, filters, the rating scale in every ClaimReview), and
any model not listed here, retire everything: they are rarely written, and retiring too much
is slow but never wrong.

``QuerySet.update()`` and bulk inserts send no signals: the code that uses them calls
``Claim.touch`` (a claim's row changed) or ``claims.cache.bump`` (imports, generated data,
recounts), or sends a signal of its own that is received here (``sources.bulk.texts_changed``).
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_delete,
    pre_save,
)

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
from sources.bulk import texts_changed
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
    """What a claim's page shows of a source: the claim's own, its appearances', the
    evidence's, and the document each is known through (separate conditions: one query with
    all their joins ORed together reads whole tables)."""
    return (
        Q(source__in=sources),
        Q(source__via__in=sources),
        Q(appearances__source__in=sources),
        Q(appearances__source__via__in=sources),
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


# The fields by which a row cites who said, found, published or wrote something: a write that
# changes none of them makes no actor public or private (a claim's edited summary).
CITING_FIELDS = {
    Claim: ("status", "claimant_id", "source_id"),
    StanceLink: ("claim_id", "evidence_id"),
    Evidence: ("author_id", "source_id"),
    Appearance: ("claim_id", "claimant_id", "source_id"),
    Source: ("publisher_id", "via_id"),
}


def _tied_organizations_cited(*versions):
    """The organizations with ties (``Affiliation``) whose being public may follow from a
    row, given as ``versions`` of it (as stored and as written): who said or found what it
    holds, who published or wrote the documents it cites and the documents those were
    reported in (``Actor.objects.published``), by each version's own fields and by what is
    stored as citing the row. Empty for rows that make no actor public. Small queries by key,
    one per relation: joined together they read whole tables."""
    said, documents = set(), set()  # who and where, of the row and of what it holds

    def add(pairs):
        for who, where in pairs:
            said.add(who)
            documents.add(where)

    row, pk = versions[-1], next((v.pk for v in versions if v.pk is not None), None)
    match row:
        case Claim():
            add((v.claimant_id, v.source_id) for v in versions)
            if pk is not None:
                add(Appearance.objects.filter(claim=pk).values_list("claimant", "source"))
                evidence = Evidence.objects.filter(stance_links__claim=pk)
                add(evidence.values_list("author", "source"))
        case StanceLink():
            evidence = Evidence.objects.filter(pk__in={v.evidence_id for v in versions})
            add(evidence.values_list("author", "source"))
        case Evidence():
            add((v.author_id, v.source_id) for v in versions)
        case Appearance():
            add((v.claimant_id, v.source_id) for v in versions)
        case Source():
            said.update(v.publisher_id for v in versions)
            documents.update((pk, *(v.via_id for v in versions)))
        case _:
            return set()
    documents.discard(None)
    if documents:
        vias = Source.objects.filter(pk__in=documents, via__isnull=False)
        documents.update(vias.values_list("via", flat=True))
        said.update(Source.objects.filter(pk__in=documents).values_list("publisher", flat=True))
        authors = Source.authors.through.objects.filter(source__in=documents)
        said.update(authors.values_list("actor", flat=True))
    said.discard(None)
    if not said:
        return set()
    tied = Affiliation.objects.filter(organization__in=said).values_list("organization", flat=True)
    return set(tied.order_by().distinct())


def _public(organizations):
    if not organizations:
        return set()
    public = Actor.objects.published().filter(pk__in=organizations)
    return set(public.values_list("pk", flat=True))


def _public_ties_of(*versions):
    """(the organizations with ties that ``versions`` of a row cite, those of them that are
    public now)."""
    organizations = _tied_organizations_cited(*versions)
    return organizations, _public(organizations)


def _ties_changed(row):
    """The tags of the claim pages that show a tie to an organization that the write to
    ``row`` made public or private (noted before it by ``_public_ties_of``). A person's
    claim page names an organization they are affiliated with only while it is public
    (``Affiliation.objects.published``), which writes anywhere decide: a claim it said, a
    document it published, evidence it found. The claims' own tags say nothing of that."""
    organizations, public_before = row.__dict__.pop("_public_cache_ties", (set(), set()))
    return _claims_tied_to(public_before ^ _public(organizations))


def _claims_tied_to(organizations):
    if not organizations:
        return set()
    ids = _claim_ids(Q(claimant__affiliations__organization__in=organizations))
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
    if raw:
        return
    stored = _stored(instance)
    if stored is not None:
        instance._public_cache_before = _tags(stored)
    fields = CITING_FIELDS.get(type(instance), ())
    if stored is None or any(getattr(stored, f) != getattr(instance, f) for f in fields):
        # As stored and as written: a claim's claimant or source may be changing.
        instance._public_cache_ties = _public_ties_of(*(v for v in (stored, instance) if v))


def retire_after_save(sender, instance, raw=False, created=False, **kwargs):
    before = instance.__dict__.pop("_public_cache_before", set())
    retire(({ALL} if raw else _tags(instance) | _ties_changed(instance)) | before)


def retire_before_delete(sender, instance, **kwargs):
    # Before: a deleted row's links (its claim's stance links, its counterclaims) go with it.
    instance._public_cache_before = _tags(instance)
    instance._public_cache_ties = _public_ties_of(instance)


def retire_after_delete(sender, instance, **kwargs):
    retire(instance.__dict__.pop("_public_cache_before", {ALL}) | _ties_changed(instance))


def retire_m2m(sender, instance, action, reverse, model, pk_set, **kwargs):
    """A claim's topics, a source's authors: a change to the row that holds the field."""
    if not action.startswith("post_") or not _cached(type(instance)):
        return
    if not reverse:
        tags = _tags(instance)
    elif pk_set:
        tags = set().union(*(_tags(row) for row in model._base_manager.filter(pk__in=pk_set)))
    else:  # cleared from the other side: which rows held it is gone
        tags = {ALL}
    if sender is Source.authors.through:
        # Who wrote a public document is public: the ties to them show (``_ties_changed``).
        authors = {instance.pk} if reverse else pk_set
        tags |= {ALL} if authors is None else _claims_tied_to(authors)
    retire(tags)


def retire_bylines(sender, instance, raw=False, update_fields=None, **kwargs):
    """A claim's byline names the staff who checked and published it (their full name, from
    the user model, outside these apps). A login saves only ``last_login``: nothing shown."""
    if update_fields is not None and not {"first_name", "last_name"} & set(update_fields):
        return
    ids = EVERYTHING if raw else _claim_ids(Q(transitions__by=instance.pk))
    retire({ALL} if ids is EVERYTHING else {claim_tag(pk) for pk in ids})


def retire_texts(sender, source_ids, **kwargs):
    """``sources.bulk.set_texts`` stores texts in one update, which sends no save signal. The
    sources' pages show their text, and a claim page links each quote to the passage in the
    text it was found in, which may now be another document's even when the check's result
    is the same (``recheck_quotes`` then saves only the rows whose result changed)."""
    ids = _claim_ids(*_claims_citing(source_ids))
    retire({ALL} if ids is EVERYTHING else {LISTS, *(claim_tag(pk) for pk in ids)})


def retire_after_migrate(sender, **kwargs):
    """A release runs ``migrate`` (docs/deploy.md): what the code before it kept in the cache
    (whole pages, a claim page's rows, kept for a day) goes, whatever the new code changed
    of their shape."""
    retire({ALL})


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
    texts_changed.connect(retire_texts, sender=Source, dispatch_uid="cache-texts")
    claims = apps.get_app_config("claims")
    post_migrate.connect(retire_after_migrate, sender=claims, dispatch_uid="cache-migrate")
    user = get_user_model()
    post_save.connect(retire_bylines, sender=user, dispatch_uid="cache-bylines-save")
    pre_delete.connect(retire_bylines, sender=user, dispatch_uid="cache-bylines-delete")
