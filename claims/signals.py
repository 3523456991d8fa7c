"""Keeping stored quote checks true when a source changes.

A claim or a piece of evidence is rechecked when it is saved; but its result also depends on
its source's text, which can change on the source's own admin page, through the API or in a
shell. ``sources`` may not know about claims, so the claims app listens for every saved
source instead of hooking one of those paths (an admin-only hook would miss the API)."""

from django.db.models.signals import post_save

from claims.models import Claim, Evidence, StanceLink
from sources.models import Source


def recheck_quotes(sender, instance, raw=False, **kwargs):
    """Recheck what quotes ``instance`` (or a document known through it); mark the claims
    whose page shows a changed result as changed."""
    if raw:  # loaddata: rows arrive as they were stored
        return
    claims = Claim.recheck_quotes_from(instance)
    evidence = Evidence.recheck_quotes_from(instance)
    Claim.touch(
        [
            *(claim.pk for claim in claims),
            *StanceLink.objects.filter(evidence__in=evidence).values_list("claim", flat=True),
        ]
    )


def connect():
    post_save.connect(recheck_quotes, sender=Source, dispatch_uid="claims.recheck_quotes")
