"""Claims, the evidence that rebuts or supports them, and the rules that decide what is public.

One gate for visibility: ``Claim.objects.published()``. Every row a public path (pages, API,
feeds, sitemap, search, exports) names comes from a ``published()`` queryset method derived
from it: ``StanceLink``, ``Evidence``, ``Appearance``, ``Counterclaim``, ``Correction`` and
``Topic`` here; ``Source``, ``Actor`` and ``Affiliation`` in ``sources``, which start from what
public claims, their appearances and their evidence cite (``cites_source``, ``cites_actor``,
installed by ``claims.apps``). So a draft cannot leak through any of them.
"""

from operator import attrgetter, itemgetter

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, models, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator, slugify
from simple_history.models import HistoricalRecords

from claims import languages, rules, sqlite_search
from claims.cache import retire_claims
from claims.quotes import find_quote
from sources.concurrency import Versioned
from sources.models import Actor, Source, unique_slug

# A copy of PostgreSQL's english configuration that also drops accents (unaccent), made by
# migration 0016_search_phrases_and_accents.
SEARCH_CONFIG = "counterclaim"
# Search ranks at most this many matches: the newest ones (a cheap order an index gives).
# Ranking every row that contains a common word would read them all.
SEARCH_CANDIDATES = 1000


class ArrayPosition(models.Func):
    """The 1-based position of a value in an array (PostgreSQL's ``array_position``)."""

    function = "array_position"
    output_field = models.IntegerField()


class TopicQuerySet(models.QuerySet):
    def published(self):
        """Topics of at least one public claim (``Claim.objects.published()``), by their
        count of them (``Topic.public_claims``)."""
        return self.filter(public_claims__gt=0)

    def count_public_claims(self, delta):
        """Add ``delta`` to these topics' counts of public claims (in the database: two
        writers cannot lose each other's change). Never below 0: a count that drifted must
        not stop a claim from being deleted; ``recount()`` repairs it."""
        return self.update(public_claims=Greatest(F("public_claims") + delta, 0))

    def recount(self):
        """Count every topic's public claims afresh: after bulk writes that bypass the
        workflow (``generate_data``), or to repair a count changed by hand."""
        public = (
            Claim.objects.published()
            .filter(topics=OuterRef("pk"))
            .order_by()
            .values("topics")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.update(public_claims=Coalesce(Subquery(public), 0))


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=80, unique=True, blank=True)
    description = models.CharField(max_length=300, blank=True)
    # Lists show how many public claims each topic has; counting them on every page read
    # every claim's topics (seconds at a million claims). Kept by the workflow (publishing
    # counts a claim in), by topic changes of public claims and their deletion
    # (claims.signals), and by ``Topic.objects.recount()`` after bulk writes. Left out of
    # dumps: loaddata sets each claim's topics, which counts the claim in where it lands.
    public_claims = models.PositiveIntegerField(
        default=0,
        editable=False,
        serialize=False,
        help_text="How many published or retracted claims it has.",
    )

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        super().save(*args, **kwargs)


class Verdict(models.Model):
    """One step of the rating scale. ``rating`` orders the scale and is ClaimReview's
    ratingValue: 1 is the worst rating (false), the highest value the best (true)."""

    label = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    rating = models.PositiveSmallIntegerField(unique=True, help_text="1 = worst (false).")
    description = models.TextField(help_text="Shown on the methodology page.")

    class Meta:
        ordering = ["rating"]
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1), name="verdict_rating_positive")
        ]

    def __str__(self):
        return self.label


class ClaimQuerySet(models.QuerySet):
    def published(self):
        """Claims the public may see: published ones, and retracted ones, which stay at
        their permanent URL with their correction notice. Drafts and claims in review never."""
        return self.filter(status__in=Claim.PUBLIC_STATUSES)

    def in_language(self, tag):
        """Claims in the language of ``tag``: "en" gives claims tagged en, en-GB, en-US...;
        "en-GB" only those tagged en-GB (tags are stored in their usual case)."""
        tag = languages.normalize(tag)
        if "-" in tag:
            return self.filter(language=tag)
        return self.filter(Q(language=tag) | Q(language__startswith=f"{tag}-"))

    def for_cards(self):
        """What a claim card shows (``claims/includes/claim_card.html``): the claim, its
        claimant and its verdict, in one query."""
        return self.select_related("claimant", "verdict")

    def with_related(self):
        """What a claim's full description needs (pages, feeds, the API), in a constant
        number of queries."""
        return self.select_related(
            "claimant", "source__publisher", "source__via__publisher", "verdict"
        ).prefetch_related("topics")

    def with_appearances(self, *, public=True):
        """Each claim's appearances (the other times it was said) in ``shown_appearances``,
        oldest first, with who said them and where (``AppearanceQuerySet.shown``): one query
        for all the claims."""
        rows = Appearance.objects.shown(public=public)
        return self.prefetch_related(
            models.Prefetch("appearances", queryset=rows, to_attr="shown_appearances")
        )

    def search(self, query):
        """Claims matching ``query``, in web-search syntax ("a phrase", -exclude, or), on
        their quote, claimant's name and summary, stemmed and blind to accents; annotated
        with ``search_rank`` (higher is better).

        On PostgreSQL: the stored ``search_vector`` (quote and claimant's name weighted above
        the summary; a trigger keeps it current, see migrations ``0011_search_vector`` and
        ``0016_search_phrases_and_accents``). Only the ``SEARCH_CANDIDATES`` newest matches are
        ranked, so a common word costs no more than a rare one; call ``search()`` after the
        other filters, so that they narrow the candidates rather than the ranked set. The
        candidates are found when this is called (one query; see ``ranked_ids``). On SQLite:
        its FTS5 index (``claims.sqlite_search``); every match, ranked equal here, by
        relevance in ``ranked_ids``.
        """
        query = query.strip()
        if not query:
            return self.annotate(search_rank=Value(0.0))
        if connections[self.db].vendor != "postgresql":
            wanted, excluded = sqlite_search.parse(query)
            claims = self
            if wanted:
                claims = claims.filter(pk__in=RawSQL(*sqlite_search.matching(wanted)))
            if excluded:
                claims = claims.exclude(pk__in=RawSQL(*sqlite_search.matching(excluded)))
            return claims.annotate(search_rank=Value(0.0))
        best_first = self.ranked_ids(query)
        position = ArrayPosition(
            Value(best_first, output_field=ArrayField(models.BigIntegerField())), F("pk")
        )
        return self.filter(pk__in=best_first).annotate(search_rank=-position)

    def ranked_ids(self, query, *, within=None):
        """The ids of the claims matching ``query``, best match first: the
        ``SEARCH_CANDIDATES`` newest matches, ranked; ties stay newest first. On PostgreSQL
        one pass over them, ranking each row as it is read; on SQLite the candidates, then
        their ranks from the index.

        A results page in order of relevance needs nothing more than this list: its count
        and its page of ids come from it, so only the page's rows are read again.

        ``within`` (PostgreSQL only; ``to_tsquery`` syntax): the candidates are the claims
        matching it instead, still ranked by ``query``. Claim matching narrows a sentence's
        many words to its rarest this way (``claims.matching.bounded_query``)."""
        connection = connections[self.db]
        if connection.vendor != "postgresql":
            if within is not None:
                raise NotImplementedError("within= needs PostgreSQL's full-text search")
            newest = self.search(query).order_by("-published_at", "-id")
            candidates = list(newest.values_list("pk", flat=True)[:SEARCH_CANDIDATES])
            wanted, _ = sqlite_search.parse(query)
            return (
                sqlite_search.best_first(connection, wanted, candidates) if wanted else candidates
            )
        terms = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        if within is not None:
            within = SearchQuery(within, search_type="raw", config=SEARCH_CONFIG)
        candidates = (
            self.filter(search_vector=terms if within is None else within)
            .order_by("-published_at", "-id")
            .values_list("pk", SearchRank(F("search_vector"), terms))[:SEARCH_CANDIDATES]
        )
        return [pk for pk, _ in sorted(candidates, key=itemgetter(1), reverse=True)]


class QuoteCheck(models.TextChoices):
    MATCH = "match", "match"
    NO_MATCH = "no_match", "no match"
    NO_TEXT = "no_text", "no text"


class QuoteChecked(models.Model):
    """A row that quotes its source (a claim's quote, an evidence excerpt), with the result
    of checking the words against the source's stored text (see ``claims.quotes``). The
    result is stored, not computed on each page: the admin filters on it, publication
    depends on it, and the public pages link to the passage it found."""

    QUOTED_FIELD = None  # the name of the field that holds the quoted words

    quote_check = models.CharField(
        max_length=10,
        choices=QuoteCheck.choices,
        default=QuoteCheck.NO_TEXT,
        editable=False,
        db_index=True,
        help_text="Whether the words were found in the source's stored text.",
    )
    quote_selector = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="Where the words were found: a W3C TextQuoteSelector (exact, prefix, suffix).",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Recheck on every save that may change the words or the source; workflow steps
        # save only their own fields and leave the check as it is.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {self.QUOTED_FIELD, "source", "source_id"} & set(update_fields):
            self.check_quote()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "quote_check", "quote_selector"}
        super().save(*args, **kwargs)

    def check_quote(self):
        """Check the quoted words against the source's text; return whether the result
        changed. Does not save."""
        before = (self.quote_check, self.quote_selector)
        text = self.source.quote_text if self.source_id else ""
        self.quote_selector = find_quote(getattr(self, self.QUOTED_FIELD), text) if text else None
        if not text:
            self.quote_check = QuoteCheck.NO_TEXT
        elif self.quote_selector is None:
            self.quote_check = QuoteCheck.NO_MATCH
        else:
            self.quote_check = QuoteCheck.MATCH
        return (self.quote_check, self.quote_selector) != before

    @property
    def passage_anchor(self):
        """The id of this row's passage on its source's page (see ``quotes.mark_passages``)."""
        return f"{self._meta.model_name}-{self.pk}-quote"

    @cached_property
    def passage_url(self):
        """``get_passage_url()``, once per instance: what templates ask. A claim page computes
        it before it keeps its rows without their sources' texts
        (``claims.views._shown_on_claim_page``)."""
        return self.get_passage_url()

    def get_passage_url(self):
        """The page of the document whose text the words were found in, at the passage;
        None when they were not found."""
        if self.quote_check != QuoteCheck.MATCH:
            return None
        checked = self.source.quote_text_source
        if checked is None:
            return None
        url = reverse("claims:source", kwargs={"pk": checked.pk, "slug": checked.slug})
        return f"{url}#{self.passage_anchor}"

    @classmethod
    def quoting(cls, source):
        """The rows whose words are checked against ``source``'s text: those quoting it, and
        those quoting a document we know only through it and hold no text of."""
        return cls.objects.filter(Q(source=source) | Q(source__via=source, source__text=""))

    @classmethod
    def recheck_quotes_from(cls, source):
        """Recheck the rows whose words are checked against ``source``'s text (those quoting
        it, and those quoting a document known through it), after that text changed. Saves
        only the rows whose result changed, and returns them."""
        rows = cls.objects.filter(Q(source=source) | Q(source__via=source)).select_related(
            "source__via"
        )  # wider than quoting(): a document's own text may have just been emptied
        changed = [row for row in rows if row.check_quote()]
        cls.objects.bulk_update(changed, ["quote_check", "quote_selector"])
        return changed


class Claim(QuoteChecked, Versioned):
    Status = rules.Status
    PUBLIC_STATUSES = rules.PUBLIC_STATUSES

    quote = models.TextField(help_text="The exact words, as the source gives them.")
    summary = models.CharField(max_length=200, help_text="A neutral one-line summary.")
    slug = models.SlugField(max_length=80, blank=True)
    claimant = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="claims")
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="claims",
        help_text="The document the claim was made in.",
    )
    said_on = models.DateField(
        "date said", null=True, blank=True, help_text="Leave empty when unknown."
    )
    language = models.CharField(
        max_length=languages.MAX_LENGTH,
        blank=True,
        validators=[languages.validate_language_tag],
        help_text="The quote's language as a BCP 47 tag, e.g. en, es, pt-BR. Leave it blank "
        "to have it detected from the quote.",
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="claims")
    verdict = models.ForeignKey(
        Verdict, on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    ruling = models.TextField(blank=True, help_text="What the evidence shows, in a few sentences.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Set by the first publication."
    )
    retraction_note = models.TextField(
        blank=True, help_text="The public correction note shown when a claim is retracted."
    )
    quote_override_reason = models.TextField(
        blank=True,
        help_text="Why this claim may be published although its quote was not found in the "
        "source's text (an editor's decision, kept in the history).",
    )
    evidence = models.ManyToManyField(
        "Evidence", through="StanceLink", related_name="claims", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Written by the database, never by Django: on PostgreSQL a trigger fills it from the
    # quote, the summary and the claimant's name on every insert and update, bulk ones too
    # (migration 0011_search_vector). Empty on SQLite, which has its own index
    # (claims.sqlite_search).
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[topics], excluded_fields=["updated_at", "search_vector"]
    )

    QUOTED_FIELD = "quote"

    class Meta:
        ordering = ["-published_at", "-id"]
        permissions = [("publish_claim", "Can publish, send back and retract claims")]
        constraints = [
            models.CheckConstraint(condition=~Q(quote=""), name="claim_quote_not_empty"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "in_review", "published", "retracted"]),
                name="claim_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "in_review"])
                | (Q(verdict__isnull=False) & ~Q(ruling="") & Q(published_at__isnull=False)),
                name="claim_public_has_verdict_and_ruling",
            ),
            models.CheckConstraint(
                condition=~Q(status="retracted") | ~Q(retraction_note=""),
                name="claim_retraction_has_note",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="claim_status_published_idx"),
            models.Index(fields=["status", "said_on"], name="claim_status_said_on_idx"),
            models.Index(fields=["updated_at"], name="claim_updated_at_idx"),
            # Public claims newest first, as lists and search candidates are read: a scan in
            # this order stops after a page, or after SEARCH_CANDIDATES matches of a word.
            models.Index(
                fields=["-published_at", "-id"],
                name="claim_public_newest_idx",
                condition=Q(status__in=["published", "retracted"]),
            ),
            # A claimant's page, newest first: a page of a claimant with 50,000 claims reads
            # its page's entries, not every claim of the claimant sorted.
            models.Index(
                fields=["claimant", "-published_at", "-id"],
                name="claim_public_claimant_idx",
                condition=Q(status__in=["published", "retracted"]),
            ),
            # The sitemap index's lastmod of each page of claims (claims.sitemaps), read from
            # the index alone: at a million claims 0.16 s where reading the table took 1.6 s.
            models.Index(
                fields=["id", "updated_at"],
                name="claim_public_changed_idx",
                condition=Q(status__in=["published", "retracted"]),
            ),
        ]

    def __str__(self):
        return self.summary or Truncator(self.quote).chars(80)

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.summary or self.quote)[:80].strip("-") or "claim"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("claims:detail", kwargs={"pk": self.pk, "slug": self.slug})

    def get_preview_url(self):
        return reverse("claims:preview", kwargs={"pk": self.pk})

    def clean(self):
        errors = {}
        self.language = languages.normalize(self.language.strip())
        if not self.quote.strip():
            errors["quote"] = "Enter the exact quote."
        if self.said_on and self.said_on > timezone.localdate():
            errors["said_on"] = "A claim cannot have been said in the future."
        if self.status in self.PUBLIC_STATUSES:
            errors.update(self._missing_for_publication(check_evidence=False))
        if self.status == self.Status.RETRACTED and not self.retraction_note.strip():
            errors["retraction_note"] = "A retracted claim keeps its public retraction note."
        if errors:
            raise ValidationError(errors)

    @classmethod
    def touch(cls, claim_ids):
        """Mark claims as changed. A claim's page shows its evidence and its counterclaims,
        so a change to those is a change to the claim: ``updated_at`` drives the page's
        "last updated"; the claims' cached responses and ETags are retired (``claims.cache``),
        since ``update()`` sends no signal."""
        claim_ids = list(claim_ids)
        cls.objects.filter(pk__in=claim_ids).update(updated_at=timezone.now())
        retire_claims(claim_ids)

    def _touch_counterparts(self):
        Claim.touch(
            [
                *self.response_links.values_list("response", flat=True),
                *self.original_links.values_list("original", flat=True),
            ]
        )

    # Workflow. Views, admin actions and the API call these; none sets ``status`` itself.

    @property
    def is_public(self):
        return self.status in self.PUBLIC_STATUSES

    def _missing_for_publication(self, *, check_evidence=True):
        missing = {}
        if self.verdict_id is None:
            missing["verdict"] = "A published claim needs a verdict."
        if not self.ruling.strip():
            missing["ruling"] = "A published claim needs a ruling."
        if check_evidence and self.pk and not self.stance_links.exists():
            missing["evidence"] = "A published claim needs at least one piece of evidence."
        self.check_quote()
        if self.quote_check == QuoteCheck.NO_MATCH and not self.quote_override_reason.strip():
            missing["quote_override_reason"] = (
                "The quote was not found in the source's text. Correct the quote or the "
                "source, or give the reason to publish it anyway."
            )
        if (
            self.pk
            and self.appearances.filter(quote_check=QuoteCheck.NO_MATCH)
            .filter(quote_override_reason="")
            .exists()
        ):
            missing["appearances"] = (
                "The words of an appearance were not found in its source's text. Correct "
                "them or the source, or give the reason to show them anyway."
            )
        return missing

    # The steps and who may take them: ``claims.rules.TRANSITIONS``.
    TRANSITIONS = rules.TRANSITIONS

    def can(self, name, user):
        """Whether ``user`` may take the transition ``name`` now (status and role)."""
        transition = self.TRANSITIONS[name]
        return self.status == transition.source and rules.role_of(user) in transition.roles

    def _check(self, name, by):
        """Refuse a transition the claim's status or the user's role does not allow. ``by``
        is the user who asked; None only for the system itself (management commands)."""
        transition = self.TRANSITIONS[name]
        if rules.role_of(by) not in transition.roles:
            raise PermissionDenied(f"You may not have claims {transition.done}.")
        if self.status != transition.source:
            raise ValidationError(
                f"Only a claim that is {self.Status(transition.source).label.lower()} can be "
                f"{transition.done}; this one is {self.get_status_display().lower()}."
            )
        return transition

    def _record(self, transition, by, *, note="", fields=()):
        with transaction.atomic():
            self.status = transition.target
            self.save(update_fields=["status", "updated_at", *fields])
            ClaimTransition.objects.create(
                claim=self, source=transition.source, target=transition.target, by=by, note=note
            )
            became_public = transition.target in self.PUBLIC_STATUSES
            if became_public != (transition.source in self.PUBLIC_STATUSES):
                self.topics.all().count_public_claims(1 if became_public else -1)

    def submit_for_review(self, by=None):
        self._record(self._check("submit_for_review", by), by)

    def send_back_to_draft(self, by=None, note=""):
        self._record(self._check("send_back_to_draft", by), by, note=note)

    def publish(self, by=None):
        """Publish a reviewed claim: it needs a verdict, a ruling and evidence. The first
        publication sets ``published_at``; it never changes after."""
        transition = self._check("publish", by)
        missing = self._missing_for_publication()
        if missing:
            raise ValidationError(missing)
        if self.published_at is None:
            self.published_at = timezone.now()
        self._record(transition, by, fields=["published_at"])
        self._touch_counterparts()

    def retract(self, note, by=None):
        """Withdraw a published claim. It stays at its URL with ``note`` as a public notice."""
        transition = self._check("retract", by)
        if not note.strip():
            # Named after this method's parameter, which is the API's (retract/ takes ``note``).
            raise ValidationError({"note": "A retraction needs a public note."})
        self.retraction_note = note.strip()
        with transaction.atomic():
            self._record(transition, by, note=self.retraction_note, fields=["retraction_note"])
            self.corrections.create(
                kind=Correction.Kind.RETRACTION, note=self.retraction_note, by=by
            )
        self._touch_counterparts()

    def record_correction(self, note, changed, *, verdict_before=None, by=None, minor=False):
        """Record a public correction of this published claim (or, ``minor``, a public
        update: an editor's minor change). ``changed`` names what changed (some of
        ``rules.MATERIAL``); ``verdict_before`` is the verdict readers saw before, when the
        verdict changed. ``claims.services`` decides when one is needed and calls this."""
        if not note.strip():
            raise ValidationError({"correction_note": "A correction needs a public note."})
        return self.corrections.create(
            kind=Correction.Kind.UPDATE if minor else Correction.Kind.CORRECTION,
            note=note.strip(),
            changed=sorted(changed),
            verdict_before=verdict_before if "verdict" in changed else self.verdict,
            verdict_after=self.verdict,
            by=by,
        )

    def byline(self):
        """(the step that sent this claim for review, the step that published it), from the
        workflow's record (``ClaimTransition``): who checked it and who reviewed it, and when.
        The submission is the last one before the first publication (a claim sent back is
        submitted again); either is None where it has not happened. One query."""
        steps = (
            self.transitions.filter(target__in=[self.Status.IN_REVIEW, self.Status.PUBLISHED])
            # with the staff profile that names the person in bylines (trust.StaffProfile)
            .select_related("by__staff_profile")
            # and nothing else of the user: a claim page keeps its byline in the cache
            # (claims.views._claim_page), which is no place for a password hash or an email
            .only(*BYLINE_FIELDS)
        )
        submitted = published = None
        for step in steps:  # oldest first
            if step.target == self.Status.PUBLISHED:
                published = step
                break
            submitted = step
        return submitted, published

    def public_exchange(self):
        """(the public claims this one answers, the public claims that answer it), with
        their claimants and verdicts, in one query: what the claim page shows, its links of
        ``Counterclaim.objects.published()``. An editor's preview of a claim that is not public
        yet shows the links readers will see once it is: those to public claims."""
        if self.is_public:
            links = Counterclaim.objects.published()
        else:
            public = Claim.objects.published()
            links = Counterclaim.objects.filter(Q(original__in=public) | Q(response__in=public))
        links = links.filter(Q(response=self) | Q(original=self)).select_related(
            "original__claimant", "original__verdict", "response__claimant", "response__verdict"
        )
        answers, answered_by = [], []
        for link in links:
            if link.response_id == self.pk:
                answers.append(link.original)
            else:
                answered_by.append(link.response)
        newest_first = attrgetter("published_at", "pk")
        return (
            sorted(answers, key=newest_first, reverse=True),
            sorted(answered_by, key=newest_first, reverse=True),
        )


# What a byline shows of a workflow step (``Claim.byline``, ``trust.people.byline_name``).
BYLINE_FIELDS = (
    "claim_id",
    "target",
    "at",
    "by__first_name",
    "by__last_name",
    "by__staff_profile__name",
    "by__staff_profile__slug",
    "by__staff_profile__public_profile",
)


class ClaimTransition(models.Model):
    """One step of a claim's workflow: who moved it from which status to which, and when."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="transitions")
    source = models.CharField("from", max_length=20, choices=Claim.Status.choices)
    target = models.CharField("to", max_length=20, choices=Claim.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="claim_transitions",
        help_text="Empty for steps taken by the system (demo data, imports).",
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_source_display()} → {self.get_target_display()}"

    @property
    def public_name(self):
        """Who took the step, as readers see it: the user's full name, never the username
        (half of a login); "" for a step the system took (``by`` empty)."""
        if self.by is None:
            return ""
        return self.by.get_full_name() or "a member of staff"


class CorrectionQuerySet(models.QuerySet):
    def published(self):
        """Corrections readers see: those of public claims."""
        return self.filter(claim__in=Claim.objects.published())


class Correction(models.Model):
    """A public note that a published fact check changed materially, or was retracted."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        # A material change an editor marked as minor (a typo): listed publicly, never silent.
        UPDATE = "update", "Update"
        RETRACTION = "retraction", "Retraction"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    note = models.TextField(help_text="What changed and why, for readers.")
    changed = models.JSONField(
        default=list,
        blank=True,
        help_text="Names of what changed: quote, verdict, ruling, evidence.",
    )
    verdict_before = models.ForeignKey(
        Verdict, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verdict_after = models.ForeignKey(
        Verdict, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = CorrectionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(note=""), name="correction_has_note"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of “{self.claim}”"

    @property
    def verdict_changed(self):
        return self.verdict_before_id != self.verdict_after_id


class EvidenceQuerySet(models.QuerySet):
    def published(self):
        """Evidence the public may see: what serves at least one public claim (through a
        public stance link)."""
        return self.filter(Exists(StanceLink.objects.published().filter(evidence=OuterRef("pk"))))


class Evidence(QuoteChecked, Versioned):
    """An excerpt or finding from a source. One piece of evidence can serve many claims."""

    QUOTED_FIELD = "excerpt"

    excerpt = models.TextField(help_text="The passage or finding, verbatim where quoted.")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="evidence")
    author = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
        help_text="Who found or said it, where the source attributes it.",
    )
    location = models.CharField(
        max_length=200, blank=True, help_text="Where in the source: page, section."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EvidenceQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(excerpt=""), name="evidence_excerpt_not_empty")
        ]

    def __str__(self):
        return Truncator(self.excerpt).chars(90)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        Claim.touch(self.stance_links.values_list("claim", flat=True))


class PartOfClaim:
    """A row its claim's page shows (an appearance, an evidence link): saving or deleting it
    touches the claim (``Claim.touch``: its version, and its cached responses retired)."""

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        Claim.touch([self.claim_id])

    def delete(self, *args, **kwargs):
        Claim.touch([self.claim_id])
        return super().delete(*args, **kwargs)


class AppearanceQuerySet(models.QuerySet):
    def published(self):
        """Appearances readers see: those of public claims. An appearance of a public claim
        cites its source and its claimant (``cites_source``, ``cites_actor``), so both are
        public (``Source.objects.published()``) exactly when it is; an appearance of a draft
        names neither anywhere."""
        return self.filter(claim__in=Claim.objects.published())

    def in_order(self):
        """Oldest first, undated last: the order of "said N times"."""
        return self.order_by(F("said_on").asc(nulls_last=True), "id")

    def shown(self, *, public=True):
        """What a claim page and its ClaimReview show of appearances, in their order: who said
        them and where. Readers see those of public claims; an editor's preview
        (``public=False``) every one, as readers will once the claim is public."""
        rows = self.published() if public else self.all()
        return rows.select_related(
            "claimant", "source__publisher", "source__via__publisher"
        ).in_order()


class Appearance(PartOfClaim, QuoteChecked):
    """One more time a claim was said: by whom, when, where (a source, with the words checked
    against its stored text like any quote) and in which words. The fact check stays one: a
    repeat is recorded here rather than as a second claim (``claims.matching`` finds them)."""

    QUOTED_FIELD = "quote"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="appearances")
    quote = models.TextField(
        "wording", help_text="The exact words of this appearance, as the source gives them."
    )
    claimant = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="appearances", help_text="Who said it."
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="appearances", help_text="Where."
    )
    said_on = models.DateField(
        "date said", null=True, blank=True, help_text="Leave empty when unknown."
    )
    quote_override_reason = models.TextField(
        blank=True,
        help_text="Why this appearance may be shown on a public fact check although its words "
        "were not found in the source's text (an editor's decision, kept in the history).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AppearanceQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["said_on", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(quote=""), name="appearance_quote_not_empty")
        ]

    def __str__(self):
        return f"{self.claimant}: {Truncator(self.quote).chars(80)}" if self.claimant_id else ""

    def clean(self):
        errors = {}
        if not self.quote.strip():
            errors["quote"] = "Enter the exact words."
        if self.said_on and self.said_on > timezone.localdate():
            errors["said_on"] = "A claim cannot have been said in the future."
        if errors:
            raise ValidationError(errors)

    @property
    def needs_override(self):
        """Whether a public claim may not show this appearance as it is: its words were not
        found in its source's text and no editor gave a reason (the claim's own rule)."""
        return self.quote_check == QuoteCheck.NO_MATCH and not self.quote_override_reason.strip()


class StanceLinkQuerySet(models.QuerySet):
    def published(self):
        """Links the public may see: those of public claims. A public piece of evidence may
        also serve a draft; that link, its stance and its note stay hidden."""
        return self.filter(claim__in=Claim.objects.published())


class StanceLink(PartOfClaim, models.Model):
    """How a piece of evidence bears on a claim, and why, in the editor's order."""

    class Stance(models.TextChoices):
        REFUTES = "refutes", "Refutes"
        CONTEXT = "context", "Adds context"
        SUPPORTS = "supports", "Supports"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="stance_links")
    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="stance_links")
    stance = models.CharField(max_length=10, choices=Stance.choices)
    note = models.CharField(
        "why it matters", max_length=300, blank=True, help_text="One sentence for the reader."
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = StanceLinkQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "evidence"], name="stance_link_unique_pair"),
            models.CheckConstraint(
                condition=Q(stance__in=["refutes", "context", "supports"]),
                name="stance_link_stance_valid",
            ),
        ]
        indexes = [models.Index(fields=["evidence", "claim"], name="stance_evidence_claim_idx")]

    def __str__(self):
        return f"{self.evidence} {self.get_stance_display().lower()} {self.claim}"


class CounterclaimQuerySet(models.QuerySet):
    def published(self):
        """Exchanges the public may see: both claims public. A public claim answered by a
        draft shows no sign of it."""
        public = Claim.objects.published()
        return self.filter(original__in=public, response__in=public)


class Counterclaim(models.Model):
    """A tracked claim (``response``) that answers or rebuts another (``original``)."""

    original = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="response_links")
    response = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="original_links")
    note = models.CharField(max_length=300, blank=True)

    objects = CounterclaimQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["original", "response"], name="counterclaim_unique_pair"
            ),
            models.CheckConstraint(
                condition=~Q(original=F("response")), name="counterclaim_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.response} answers {self.original}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        Claim.touch([self.original_id, self.response_id])

    def delete(self, *args, **kwargs):
        Claim.touch([self.original_id, self.response_id])
        return super().delete(*args, **kwargs)

    def clean(self):
        if self.original_id and self.original_id == self.response_id:
            raise ValidationError("A claim cannot answer itself.")


# Where the gate of provenance starts (``sources.gate``, installed by ``claims.apps``): the
# sources app may not import this one, so it is told how to find what public rows cite.


def cites_source():
    """True of a source that a public claim is quoted from (or said again in: an appearance),
    or public evidence drawn from (evidence is public through its public stance links: asked
    of them directly, one subquery fewer for the database to plan)."""
    return (
        Q(Exists(Claim.objects.published().filter(source=OuterRef("pk"))))
        | Q(Exists(StanceLink.objects.published().filter(evidence__source=OuterRef("pk"))))
        | Q(Exists(Appearance.objects.published().filter(source=OuterRef("pk"))))
    )


def cites_actor():
    """True of a person or an organization who said a public claim (or said it again: an
    appearance), or found (or said) a piece of public evidence."""
    return (
        Q(Exists(Claim.objects.published().filter(claimant=OuterRef("pk"))))
        | Q(Exists(StanceLink.objects.published().filter(evidence__author=OuterRef("pk"))))
        | Q(Exists(Appearance.objects.published().filter(claimant=OuterRef("pk"))))
    )
