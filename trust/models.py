"""What the organization says about itself (IFCN's transparency principles): who it is, who
funds it, who works on the fact checks, how it corrects and checks, how to reach it.

Edited in the admin; every change retires the public cache (claims.cache) like any change to
what readers see. Nothing here imports the claims app: claims names the organization in its
ClaimReview and the staff in its bylines, so the dependency points from claims to here."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.text import slugify

from sources.models import web_address
from sources.validators import validate_web_url


class Organization(models.Model):
    """The publisher of the fact checks: one row (pk 1), made by a migration. Its name, URL
    and logo are ClaimReview's ``author``; an empty name or URL falls back to the settings
    (``SITE_NAME``, the site's own address)."""

    name = models.CharField(max_length=200, blank=True, help_text="Empty: the SITE_NAME setting.")
    url = models.URLField(
        "web address",
        blank=True,
        validators=[validate_web_url],
        help_text="Empty: this site's home page.",
    )
    logo = models.URLField(
        "logo address",
        blank=True,
        validators=[validate_web_url],
        help_text="An image of the logo (at least 112 by 112 pixels), for ClaimReview and search "
        "engines.",
    )
    mission = models.TextField(blank=True, help_text="Markdown. Shown on the About page.")
    ownership = models.TextField(
        blank=True, help_text="Markdown. Who owns and controls the organization."
    )
    legal_status = models.TextField(
        blank=True, help_text="Markdown. Its legal form, where it is registered, its number."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="organization_single_row"),
            models.CheckConstraint(
                condition=Q(url="") | web_address("url"), name="organization_url_web_address"
            ),
            models.CheckConstraint(
                condition=Q(logo="") | web_address("logo"), name="organization_logo_web_address"
            ),
        ]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls):
        """The organization's row, or an empty one (not saved) if the migration's was deleted:
        a read never writes."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    @property
    def display_name(self):
        return self.name or settings.SITE_NAME


class Page(models.Model):
    """One of the organization's public pages; the migration makes one of each kind."""

    class Kind(models.TextChoices):
        ABOUT = "about", "About"
        FUNDING = "funding", "Funding"
        TEAM = "team", "Team"
        CORRECTIONS_POLICY = "corrections-policy", "Corrections policy"
        METHODOLOGY = "methodology", "Methodology"
        CONTACT = "contact", "Contact"

    kind = models.CharField(max_length=30, choices=Kind.choices, unique=True)
    title = models.CharField(max_length=200)
    body = models.TextField(
        blank=True,
        help_text="Markdown (no raw HTML). The Funding, Team and Methodology pages add the "
        "funders, the public staff profiles and the rating scale below it.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(f"trust:{self.kind}")


class Funder(models.Model):
    """One source of money for one year: the Funding page's table. An amount is exact when
    ``amount_to`` is empty, a range otherwise (funders that ask not to be named exactly are
    still listed with a range)."""

    name = models.CharField(max_length=200)
    url = models.URLField("web address", blank=True, validators=[validate_web_url])
    year = models.PositiveSmallIntegerField()
    amount = models.DecimalField(
        max_digits=14, decimal_places=2, help_text="The amount, or the low end of a range."
    )
    amount_to = models.DecimalField(
        "up to",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The high end of a range; empty for an exact amount.",
    )
    currency = models.CharField(max_length=3, default="USD", help_text="ISO 4217, e.g. EUR.")
    purpose = models.CharField(
        max_length=300, blank=True, help_text="e.g. general support, a project's name."
    )

    class Meta:
        ordering = ["-year", "-amount", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="funder_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(amount_to__isnull=True) | Q(amount_to__gt=F("amount")),
                name="funder_range_ascending",
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="funder_currency_code"
            ),
            models.CheckConstraint(
                condition=Q(url="") | web_address("url"), name="funder_url_web_address"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.year})"

    def clean(self):
        self.currency = self.currency.upper()
        if self.amount_to is not None and self.amount is not None and self.amount_to <= self.amount:
            raise ValidationError(
                {"amount_to": "The high end of the range must be more than the amount."}
            )


class StaffProfileQuerySet(models.QuerySet):
    def public(self):
        return self.filter(public_profile=True)


class StaffProfile(models.Model):
    """A member of staff as readers know them. Bylines name whoever took the workflow's steps
    (``claims.Claim.byline``): with a profile, by its name; with a public profile, linked to
    its page. With the switch off there is no page (404) and bylines show the name alone:
    the byline says who answers for a fact check, the page is what a person opts into."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    name = models.CharField(max_length=150, help_text="As readers see it in bylines.")
    slug = models.SlugField(max_length=160, unique=True, blank=True)
    role = models.CharField(max_length=150, blank=True, help_text="e.g. Fact-checker, Editor.")
    bio = models.TextField("short bio", max_length=1000, blank=True)
    public_profile = models.BooleanField(
        default=False,
        help_text="On: a page at /team/<slug>/ and on the Team page, linked from bylines. Off: "
        "no page; bylines show the name only.",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the Team page.")

    objects = StaffProfileQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:160] or f"staff-{self.user_id}"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("trust:profile", args=[self.slug])
