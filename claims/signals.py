"""Keeping stored results true when what they depend on changes elsewhere.

Quote checks: a claim, an appearance or a piece of evidence is rechecked when it is saved; but
its result also depends on its source's text, which can change on the source's own admin page,
through the API or in a shell. ``sources`` may not know about claims, so the claims app listens for
every saved source instead of hooking one of those paths (an admin-only hook would miss the
API).

Topic counts (``Topic.public_claims``): the workflow counts a claim in when it is published;
here, a public claim's topics changing (admin, API or shell) and a public claim's deletion
(its topic links go without a signal of their own).

Rows that ``loaddata`` restores arrive as they were stored, with their history: no history
is recorded for them (``mark_loaded_rows``). Topic counts are not in a dump
(``serialize=False``): the claims loaded count in as their topics are set."""

from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save

from claims.models import Appearance, Claim, Evidence, StanceLink, Topic
from sources.models import Source


def recheck_quotes(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: rows arrive as they were stored
        return
    recheck_quotes_against(instance)


def recheck_quotes_against(source):
    """Recheck what quotes ``source`` (or a document known through it); mark the claims
    whose page shows a changed result as changed. After a bulk change of sources' text
    (``sources.bulk.set_texts``), the background job ``jobs.tasks.recheck_quotes`` calls
    this for each source."""
    claims = Claim.recheck_quotes_from(source)
    evidence = Evidence.recheck_quotes_from(source)
    appearances = Appearance.recheck_quotes_from(source)
    Claim.touch(
        [
            *(claim.pk for claim in claims),
            *(appearance.claim_id for appearance in appearances),
            *StanceLink.objects.filter(evidence__in=evidence).values_list("claim", flat=True),
        ]
    )


def mark_loaded_rows(sender, instance, raw=False, **kwargs):
    """``loaddata`` saves a row raw, then sets its many-to-many fields (a claim's topics, a
    source's authors) through the ORM, whose ``m2m_changed`` says nothing of raw. The backup
    already holds the row's history, so mark the row for simple-history to record nothing
    (its documented ``skip_history_when_saving``): without it, restoring wrote history rows
    whose ids the backup's own history rows then collided with on PostgreSQL."""
    if raw:
        instance.skip_history_when_saving = True


def count_topic_changes(sender, instance, action, reverse, pk_set, **kwargs):
    """Count a public claim in or out of the topics added to or taken from it. (Changes
    from the topic's side, ``topic.claims.add()``, are refused by the history of claims'
    topics, which records them on the claim.)"""
    if reverse:
        return
    links = Claim.topics.through.objects.filter(claim=instance, claim__in=Claim.objects.published())
    if action == "pre_remove":  # before: those of the topics linked now go
        topics, delta = links.filter(topic__in=pk_set), -1
    elif action == "pre_clear":
        topics, delta = links, -1
    elif action == "post_add":  # after: the new links are there
        topics, delta = links.filter(topic__in=pk_set), 1
    else:
        return
    Topic.objects.filter(pk__in=topics.values("topic")).count_public_claims(delta)


def uncount_deleted_claim(sender, instance, **kwargs):
    if instance.is_public:
        instance.topics.all().count_public_claims(-1)


def connect():
    pre_save.connect(mark_loaded_rows, dispatch_uid="claims.mark_loaded_rows")
    post_save.connect(recheck_quotes, sender=Source, dispatch_uid="claims.recheck_quotes")
    m2m_changed.connect(
        count_topic_changes, sender=Claim.topics.through, dispatch_uid="claims.topic_counts"
    )
    pre_delete.connect(uncount_deleted_claim, sender=Claim, dispatch_uid="claims.topic_uncount")
