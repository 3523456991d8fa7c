"""Readers' requests: claims they ask us to check (``CheckRequest``) and errors they report in a
fact check (``ReportedError``), with the rules of their triage as methods, so the admin, the API
and the shell apply the same ones.

Personal data (the reader's email and address) lives in ``PERSONAL_FIELDS`` only. No public
path reads it: pages and the API's public serializer name their fields one by one, and
``purge_personal_data`` empties it after the retention period (``manage.py
purge_request_personal_data``).
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.text import Truncator

from claims import services
from claims.cache import bump as bump_public_cache
from claims.models import Claim, Correction

CLAIM_TEXT_MAX = 1000
WHERE_MAX = 500
DETAILS_MAX = 2000
REASON_MAX = 1000


class PersonalData(models.Model):
    """What a reader's submission may say about the reader, and when it goes."""

    PERSONAL_FIELDS = ("email", "client_ip")

    email = models.EmailField(blank=True, help_text="Only to reply; never shown publicly.")
    client_ip = models.GenericIPAddressField(
        "client address", null=True, blank=True, help_text="For abuse only; never shown."
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    personal_data_removed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @classmethod
    def purge_personal_data(cls, now=None):
        """Empty the email and address of every row sent more than
        ``READER_REQUEST_RETENTION_DAYS`` ago; return how many rows had any."""
        now = now or timezone.now()
        cutoff = now - timedelta(days=settings.READER_REQUEST_RETENTION_DAYS)
        return (
            cls.objects.filter(created_at__lt=cutoff)
            .filter(~Q(email="") | Q(client_ip__isnull=False))
            .update(email="", client_ip=None, personal_data_removed_at=now)
        )


class CheckRequestQuerySet(models.QuerySet):
    def published(self):
        """What readers see: requests an editor decided on (being checked, answered or
        declined), one per group of duplicates."""
        return self.filter(
            duplicate_of__isnull=True,
            status__in=[
                CheckRequest.Status.ACCEPTED,
                CheckRequest.Status.ANSWERED,
                CheckRequest.Status.DECLINED,
            ],
        )

    def with_askers(self):
        """Annotated with ``askers``: the readers who asked, this one and its duplicates."""
        return self.annotate(askers=Count("duplicates") + 1)

    def with_public_claim(self):
        """Annotated with ``claim_is_public``: whether the linked claim is a public fact check
        (``Claim.objects.published()``), so a page links only to those."""
        return self.annotate(
            claim_is_public=Exists(Claim.objects.published().filter(pk=OuterRef("claim")))
        )


class CheckRequest(PersonalData):
    """A reader's request to check a claim. Duplicates point at the request they repeat
    (``duplicate_of``): the group counts as one request with as many askers."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        ACCEPTED = "accepted", "Being checked"
        ANSWERED = "answered", "Answered"
        DECLINED = "declined", "Declined"

    claim_text = models.TextField(
        "the claim", max_length=CLAIM_TEXT_MAX, help_text="The claim as the reader heard it."
    )
    heard_where = models.CharField(
        "where", max_length=WHERE_MAX, blank=True, help_text="A URL or a description."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        help_text="The request this one repeats; its decision answers this one too.",
    )
    claim = models.ForeignKey(
        Claim,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="check_requests",
        help_text="The claim accepted for checking, or the fact check that answers it.",
    )
    public_reason = models.TextField(
        blank=True, max_length=REASON_MAX, help_text="Why it was declined, shown publicly."
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = CheckRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(public_reason=""),
                name="check_request_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["accepted", "answered"]) | Q(claim__isnull=False),
                name="check_request_decision_has_claim",
            ),
        ]

    def __str__(self):
        return Truncator(self.claim_text).chars(80)

    def _decide(self, status, by, **fields):
        if self.duplicate_of_id:
            raise ValidationError("This request is a duplicate: decide on the request it repeats.")
        for name, value in fields.items():
            setattr(self, name, value)
        self.status = status
        self.decided_at = timezone.now()
        self.decided_by = by
        self.full_clean()
        self.save()
        bump_public_cache()

    @transaction.atomic
    def accept(self, *, by, claimant, source, summary="", quote=""):
        """Accept for checking: a draft claim (through ``claims.services``, the one write
        path, so the editorial rules apply to ``by``), linked to this request."""
        if self.status != self.Status.NEW:
            raise ValidationError("Only a new request can be accepted.")
        claim = services.create_claim(
            by=by,
            quote=(quote or self.claim_text).strip(),
            summary=(summary or Truncator(self.claim_text).chars(200)).strip(),
            claimant=claimant,
            source=source,
        )
        self._decide(self.Status.ACCEPTED, by, claim=claim)
        return claim

    def answer(self, claim, *, by):
        """Answer with an existing, public fact check."""
        if not Claim.objects.published().filter(pk=claim.pk).exists():
            raise ValidationError({"claim": "Answer with a published fact check."})
        self._decide(self.Status.ANSWERED, by, claim=claim, public_reason="")

    def decline(self, reason, *, by):
        """Decline, with a reason readers see."""
        if not (reason or "").strip():
            raise ValidationError({"public_reason": "Give readers the reason."})
        self._decide(self.Status.DECLINED, by, public_reason=reason.strip(), claim=None)

    @classmethod
    @transaction.atomic
    def group(cls, requests):
        """Group ``requests`` (and the groups they belong to) as one request: the one an
        editor already decided on, otherwise the first one sent. Refused when two of them
        were decided (each has its own public answer). Returns the request that stands for
        the group."""
        roots = {}
        for request in requests:
            while request.duplicate_of_id:
                request = request.duplicate_of
            roots[request.pk] = request
        if len(roots) < 2:
            raise ValidationError("Choose at least two requests that are not grouped already.")
        decided = [root for root in roots.values() if root.status != cls.Status.NEW]
        if len(decided) > 1:
            raise ValidationError(
                "More than one of these requests was decided on already; group only "
                "undecided requests with a decided one."
            )
        primary = decided[0] if decided else min(roots.values(), key=lambda r: (r.created_at, r.pk))
        others = [pk for pk in roots if pk != primary.pk]
        cls.objects.filter(Q(pk__in=others) | Q(duplicate_of__in=others)).update(
            duplicate_of=primary
        )
        bump_public_cache()
        return primary

    @property
    def public_status(self):
        """What readers are told: an accepted request whose claim is published is answered."""
        if self.status == self.Status.ACCEPTED and getattr(self, "claim_is_public", False):
            return self.Status.ANSWERED
        return self.Status(self.status)


class ReportedErrorQuerySet(models.QuerySet):
    def of_public_claims(self):
        return self.filter(claim__in=Claim.objects.published())

    def counts(self):
        """{"received": n, "resolved": n} for the reports on public fact checks."""
        return self.of_public_claims().aggregate(
            received=Count("pk"), resolved=Count("pk", filter=~Q(status="open"))
        )


class ReportedError(PersonalData):
    """A reader's report of an error in a published fact check, with a source."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CORRECTED = "corrected", "Corrected"
        NO_CHANGE = "no_change", "No change"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="reported_errors")
    what_is_wrong = models.TextField("what is wrong", max_length=DETAILS_MAX)
    source = models.CharField(
        max_length=WHERE_MAX, help_text="A URL or a reference that shows the error."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    correction = models.ForeignKey(
        Correction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_errors",
        help_text="The public correction made because of this report.",
    )
    reason = models.TextField(
        blank=True, max_length=REASON_MAX, help_text="Why nothing changed (for the record)."
    )
    resolved_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = ReportedErrorQuerySet.as_manager()

    class Meta:
        verbose_name = "reported error"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="corrected") | Q(correction__isnull=False),
                name="reported_error_corrected_has_correction",
            ),
            models.CheckConstraint(
                condition=~Q(status="no_change") | ~Q(reason=""),
                name="reported_error_no_change_has_reason",
            ),
        ]

    def __str__(self):
        return Truncator(self.what_is_wrong).chars(80)

    def _resolve(self, status, by, **fields):
        for name, value in fields.items():
            setattr(self, name, value)
        self.status = status
        self.resolved_at = timezone.now()
        self.resolved_by = by
        self.full_clean()
        self.save()
        bump_public_cache()

    def resolve_corrected(self, correction, *, by):
        """Resolved by ``correction``, a public correction of the same claim."""
        if correction is None or correction.claim_id != self.claim_id:
            raise ValidationError({"correction": "Choose a correction of this claim."})
        self._resolve(self.Status.CORRECTED, by, correction=correction, reason="")

    def resolve_no_change(self, reason, *, by):
        if not (reason or "").strip():
            raise ValidationError({"reason": "Say why nothing changes."})
        self._resolve(self.Status.NO_CHANGE, by, reason=reason.strip(), correction=None)
