"""Provenance: the documents claims and evidence come from, and who says or publishes things.

This app knows nothing of claims. What the public may see of it starts from what public claims
and their evidence cite, which the claims app installs at startup (``sources.gate``); the
``published()`` querysets here derive the rest from it.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.text import capfirst, slugify
from simple_history.models import HistoricalRecords

from sources import gate
from sources.concurrency import Versioned
from sources.validators import WEB_SCHEMES, validate_url_list, validate_web_url


def unique_slug(instance, text, *, field="slug", max_length=80, taken=None):
    """A slug for ``text`` not used yet by another row of the instance's model. For rows
    inserted in bulk, ``taken`` is the set of slugs in use (the table's and the batch's): it
    is checked instead of the table, and the new slug joins it."""
    base = slugify(text)[:max_length].strip("-") or "item"
    if taken is None:
        others = type(instance)._default_manager.exclude(pk=instance.pk)

        def in_use(slug):
            return others.filter(**{field: slug}).exists()

    else:
        in_use = taken.__contains__
    slug, n = base, 2
    while in_use(slug):
        suffix = f"-{n}"
        slug = f"{base[: max_length - len(suffix)]}{suffix}"
        n += 1
    if taken is not None:
        taken.add(slug)
    return slug


def web_address(field):
    """The database's half of ``validate_web_url``: ``field`` starts with a web scheme and
    ``://``, in any case. LIKE, not a regular expression, so that SQLite checks it without
    Django's REGEXP function."""
    return Q(
        *(Q(**{f"{field}__istartswith": f"{scheme}://"}) for scheme in WEB_SCHEMES),
        _connector=Q.OR,
    )


# ``same_as`` as JSON text: an array of strings, each starting with a web scheme (any case).
# Inside a string, a backslash and the character after it are read as a pair, so an escaped
# quote does not end the string. The check reads the text because SQLite allows no subquery
# in a CHECK constraint (json_each is out); one expression then serves both databases:
# PostgreSQL casts its jsonb to text, SQLite stores text. Both read the pattern the same way
# (PostgreSQL's ~*, Python's re on SQLite). SQLite has no REGEXP of its own; Django adds it
# to its connections, so the sqlite3 shell cannot add actors or change ``same_as``.
_SCHEMES = "|".join(WEB_SCHEMES)
_WEB_STRING = rf'"(?:{_SCHEMES})://(?:[^"\\]|\\.)*"'
SAME_AS_PATTERN = rf"^\[\s*(?:{_WEB_STRING}(?:\s*,\s*{_WEB_STRING})*)?\s*\]$"


class ActorQuerySet(models.QuerySet):
    def published(self):
        """People and organizations the public may see: those public rows cite (who said a
        public claim or found a piece of its evidence; see ``sources.gate``), and who
        published or wrote a public source, since its page and the API name them."""
        public_sources = Source.objects.published()
        return self.filter(
            Q(gate.cited("actors"))
            | Q(Exists(public_sources.filter(publisher=OuterRef("pk"))))
            | Q(Exists(public_sources.filter(authors=OuterRef("pk"))))
        )


class Actor(models.Model):
    """A person, a group of people or an organization that says or publishes things."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        # Several people speaking together, not an organization of their own: "field office
        # directors", "critics of the policy", "some officers".
        GROUP = "group", "Group of people"
        ORGANIZATION = "organization", "Organization"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    description = models.CharField(
        max_length=300, blank=True, help_text="One neutral line: who this is."
    )
    same_as = models.JSONField(
        "sameAs links",
        default=list,
        blank=True,
        validators=[validate_url_list],
        help_text="Pages that identify this actor (Wikidata, official site), as a JSON list.",
    )
    organizations = models.ManyToManyField(
        "self",
        through="Affiliation",
        through_fields=("person", "organization"),
        symmetrical=False,
        related_name="members",
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActorQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name"]
        # Lists of actors are read in name order and stop after a page (the claim list's
        # claimant choices among thousands).
        indexes = [models.Index(fields=["name"], name="actor_name_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["person", "group", "organization"]), name="actor_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="actor_name_not_empty"),
            models.CheckConstraint(
                condition=Q(same_as__iregex=SAME_AS_PATTERN),
                name="actor_same_as_web_addresses",
                violation_error_message="Each sameAs link must be a web address (http or https).",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        super().save(*args, **kwargs)


class AffiliationQuerySet(models.QuerySet):
    def published(self):
        """Ties the public may see: between a public person and a public organization. An
        affiliation has no status of its own; naming it names both ends, so a person known
        only from a draft stays off a public organization's page, and the reverse."""
        public = Actor.objects.published()
        return self.filter(
            Exists(public.filter(pk=OuterRef("person"))),
            Exists(public.filter(pk=OuterRef("organization"))),
        )


class Affiliation(models.Model):
    """A person's tie to an organization: a spokesperson of an agency, a union's president."""

    person = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="affiliations")
    organization = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="affiliates")
    role = models.CharField(max_length=200, blank=True)

    objects = AffiliationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["person__name", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization", "role"], name="affiliation_unique"
            ),
            models.CheckConstraint(
                condition=~Q(person=F("organization")), name="affiliation_not_self"
            ),
        ]

    def __str__(self):
        role = f"{self.role}, " if self.role else ""
        return f"{self.person} ({role}{self.organization})"

    def clean(self):
        if self.person_id and self.person_id == self.organization_id:
            raise ValidationError("An actor cannot be affiliated with itself.")
        if self.organization_id and self.organization.kind != Actor.Kind.ORGANIZATION:
            raise ValidationError({"organization": "Choose an organization."})


# A link is fine when, after redirects, it answered with a 2xx status.
OK_LINK_STATUS = r"^2[0-9][0-9]$"


class SourceQuerySet(models.QuerySet):
    def published(self):
        """Sources the public may see: those public rows cite (a public claim is quoted from
        it or draws evidence from it; see ``sources.gate``), and the documents those are known
        through (``via``), which their pages and the API name. One ``EXISTS`` for both, so
        that the database plans the citing once: it is nested in the actors' and the
        affiliations' gates."""
        cited = Source.objects.filter(gate.cited("sources"))
        return self.filter(Exists(cited.filter(Q(pk=OuterRef("pk")) | Q(via=OuterRef("pk")))))

    def with_broken_links(self):
        """Sources whose URL or archive URL did not answer 2xx when ``check_links`` last
        tried it (a status is an HTTP status code, or the error when there was no answer)."""
        return self.filter(
            (~Q(url="") & ~Q(url_status="") & ~Q(url_status__regex=OK_LINK_STATUS))
            | (
                ~Q(archive_url="")
                & ~Q(archive_url_status="")
                & ~Q(archive_url_status__regex=OK_LINK_STATUS)
            )
        )


class Source(Versioned):
    """A document: a news article, a report, a letter, an interview, a dataset."""

    class Kind(models.TextChoices):
        NEWS_ARTICLE = "news_article", "News article"
        GOVERNMENT_REPORT = "government_report", "Government report"
        LETTER = "letter", "Letter"
        PRESS_RELEASE = "press_release", "Press release"
        STATEMENT = "statement", "Statement"
        INTERVIEW = "interview", "Interview"
        WEBSITE = "website", "Website"
        DATASET = "dataset", "Dataset"
        OTHER = "other", "Other"

    title = models.CharField(
        max_length=300,
        blank=True,
        help_text="As the document gives it. Leave empty when it has none; never make one up.",
    )
    slug = models.SlugField(max_length=80, blank=True)
    kind = models.CharField(max_length=30, choices=Kind.choices, db_index=True)
    url = models.URLField("URL", max_length=500, blank=True, validators=[validate_web_url])
    archive_url = models.URLField(
        "archive URL", max_length=500, blank=True, validators=[validate_web_url]
    )
    publisher = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="published_sources",
    )
    authors = models.ManyToManyField(Actor, blank=True, related_name="authored_sources")
    published_on = models.DateField(
        "date published", null=True, blank=True, help_text="Leave empty when unknown."
    )
    language = models.CharField(max_length=10, default="en", help_text="An IETF tag, e.g. en.")
    via = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_documents",
        verbose_name="known through",
        help_text="The document that reports this one, when we have not seen the original.",
    )
    text = models.TextField(
        blank=True, help_text="The passages that hold the quotes, for quote checks."
    )
    url_status = models.CharField(
        "URL status",
        max_length=200,
        blank=True,
        editable=False,
        help_text="What the URL answered when last checked: an HTTP status, or the error.",
    )
    archive_url_status = models.CharField(
        "archive URL status", max_length=200, blank=True, editable=False
    )
    links_checked_at = models.DateTimeField(
        "links last checked", null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SourceQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[authors], excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-published_on", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"], condition=~Q(url=""), name="source_url_unique_when_present"
            ),
            models.CheckConstraint(
                condition=~Q(title="")
                | ~Q(url="")
                | Q(publisher__isnull=False)
                | Q(via__isnull=False),
                name="source_identifiable",
                violation_error_message=(
                    "A source without a title needs a URL, a publisher or the document it is "
                    "known through."
                ),
            ),
            models.CheckConstraint(condition=~Q(via=F("id")), name="source_not_via_itself"),
            models.CheckConstraint(
                condition=Q(url="") | web_address("url"),
                name="source_url_web_address",
                violation_error_message="The URL must be a web address (http or https).",
            ),
            models.CheckConstraint(
                condition=Q(archive_url="") | web_address("archive_url"),
                name="source_archive_url_web_address",
                violation_error_message="The archive URL must be a web address (http or https).",
            ),
        ]
        # In the default order, so that a list of sources stops after a page; date filters
        # use it too.
        indexes = [models.Index(fields=["-published_on", "title"], name="source_listed_idx")]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.label)[:80].strip("-") or "source"
        super().save(*args, **kwargs)

    @property
    def label(self):
        """The title, or for an untitled document a plain description of it (what kind of
        document, from whom, and where it was reported), never an invented title. Uses
        ``publisher`` and ``via``, so lists should select them."""
        if self.title or not self.via_id:
            return self.short_label
        via = f"“{self.via.label}”" if self.via.title else self.via.label
        return f"{self.short_label}, as reported in {via}"

    @property
    def short_label(self):
        """The label without where the document was reported, for pages that say so."""
        return self.title or capfirst(self.description)

    @property
    def description(self):
        """What an untitled document is, in words no reader takes for its title, to follow
        "in" mid-sentence: "a government report published by …", "an interview"."""
        kind = "document" if self.kind == self.Kind.OTHER else self.get_kind_display().lower()
        text = f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"
        if self.publisher_id:
            text += f" published by {self.publisher.name}"
        return text

    @staticmethod
    def is_ok_status(status):
        return re.fullmatch(OK_LINK_STATUS, status) is not None

    @property
    def quote_text_source(self):
        """The document quotes from this one are checked against: itself when we hold its
        text; for a document we know only as reported (``via``) and hold no text of, the
        document that reports it, where its words were quoted; else None."""
        if self.text:
            return self
        if self.via_id and self.via.text:
            return self.via
        return None

    @property
    def quote_text(self):
        """The text quotes from this document are checked against (may be empty)."""
        checked = self.quote_text_source
        return checked.text if checked else ""

    def clean(self):
        if self.published_on and self.published_on > timezone.localdate():
            raise ValidationError({"published_on": "A date published cannot be in the future."})
        if self.pk and self.via_id == self.pk:
            raise ValidationError({"via": "A source cannot be known through itself."})
