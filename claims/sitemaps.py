"""``/sitemap.xml``: an index of sitemaps of every public page, from the published-only gate.

A sitemap holds at most 50,000 URLs (``Sitemap.limit``; sections here take 10,000), so each
section is paged, and the index (``django.contrib.sitemaps.views.index``) lists every page.
Django's paginator counts the rows and reads a page with ``OFFSET``: at a million claims, the
last page reads all the rows before it. Here a page is a range of ids instead
(``IdRangePaginator``): page ``n`` holds the public rows whose id is in
``((n - 1) * limit, n * limit]``. It never holds more than ``limit`` URLs, is read by the
primary key's index alone, and a row stays in the same page for good, so a crawler re-reads
only the pages whose ``lastmod`` moved. A range whose rows are all drafts is an empty page,
which the protocol allows.

Each page of the claims section has its own ``lastmod`` in the index (``index``).

The responses are kept by the public cache (``claims.cache``) until the next write.
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import EmptyPage, Page, PageNotAnInteger
from django.db.models import ExpressionWrapper, F, IntegerField, Max
from django.urls import reverse
from django.utils.functional import cached_property

from claims.models import Claim, Topic
from sources.models import Actor, Source
from trust.models import Page as OrganizationPage


class IdRangePaginator:
    """Pages of a queryset that are ranges of its ids, ``per_page`` ids wide: what a
    ``Sitemap`` asks of its paginator (``num_pages``, ``page()``), without ``COUNT`` or
    ``OFFSET``."""

    def __init__(self, queryset, per_page):
        self.queryset = queryset
        self.per_page = per_page

    @cached_property
    def num_pages(self):
        last = self.queryset.order_by("-pk").values_list("pk", flat=True).first() or 0
        return max(1, -(-last // self.per_page))

    def validate_number(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if not 1 <= number <= self.num_pages:
            raise EmptyPage("That page contains no results")
        return number

    def page(self, number):
        number = self.validate_number(number)
        first = (number - 1) * self.per_page
        rows = self.queryset.filter(pk__gt=first, pk__lte=first + self.per_page).order_by("pk")
        return Page(list(rows), number, self)

    def number_of_each_row(self):
        """The number of the page each row is on (the inverse of ``page``), as an expression
        to annotate the queryset with."""
        return ExpressionWrapper((F("pk") - 1) / self.per_page + 1, output_field=IntegerField())


def latest_public_change():
    """When something public last changed: the newest ``updated_at`` of a public claim (the
    ``claim_updated_at_idx`` index answers). A change to a claim's evidence, sources or
    people touches the claim (``Claim.touch``), and every page (a claimant's, a source's, a
    topic's, the lists) changes only with its claims, so this is each section's ``lastmod``
    in the index: an upper bound, never older than a real change."""
    return (
        Claim.objects.published()
        .order_by("-updated_at")
        .values_list("updated_at", flat=True)
        .first()
    )


class PublicSitemap(Sitemap):
    """A section of the index, its ``lastmod`` the latest public change."""

    def get_latest_lastmod(self):
        return latest_public_change()


class IdRangeSitemap(PublicSitemap):
    """A section whose pages are ranges of ids (``IdRangePaginator``); ``items()`` is the
    public queryset. Pages of 10,000 ids rather than the protocol's 50,000: rendering is
    Django's template, about 0.2 ms a URL, so a page of 50,000 took seconds (30 s on the
    loaded benchmark machine, past gunicorn's timeout); more pages cost the index nothing."""

    limit = 10_000

    @property
    def paginator(self):
        return IdRangePaginator(self.items(), self.limit)


class ClaimSitemap(IdRangeSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Claim.objects.published().only("pk", "slug", "updated_at")

    def lastmod(self, claim):
        return claim.updated_at

    def page_lastmods(self):
        """Each page's own ``lastmod``, by page number: the newest ``updated_at`` of the
        public claims in its range of ids (one query). A claim page changes only with its
        claim's ``updated_at`` (``Claim.touch``), so a crawler re-reads only the pages whose
        claims changed."""
        page = self.paginator.number_of_each_row()
        rows = self.items().order_by().annotate(page=page).values("page")
        return dict(rows.annotate(newest=Max("updated_at")).values_list("page", "newest"))


class ActorSitemap(IdRangeSitemap):
    changefreq = "weekly"

    def items(self):
        return Actor.objects.published().only("pk", "slug")

    def location(self, actor):
        return reverse("claims:actor", args=[actor.slug])


class SourceSitemap(IdRangeSitemap):
    changefreq = "monthly"

    def items(self):
        return Source.objects.published().only("pk", "slug")

    def location(self, source):
        return reverse("claims:source", args=[source.pk, source.slug])


class TopicSitemap(IdRangeSitemap):
    changefreq = "weekly"

    def items(self):
        return Topic.objects.published().only("pk", "slug")

    def location(self, topic):
        return reverse("claims:topic", args=[topic.slug])


class PageSitemap(PublicSitemap):
    changefreq = "monthly"

    def items(self):
        return [
            "claims:home",
            "claims:list",
            *(f"trust:{kind}" for kind in OrganizationPage.Kind.values),
            "claims:corrections",
            "claims:open-data",
        ]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "claims": ClaimSitemap,
    "claimants": ActorSitemap,
    "sources": SourceSitemap,
    "topics": TopicSitemap,
    "pages": PageSitemap,
}


def index(request):
    """``/sitemap.xml``: Django's index of every section's pages, each page of the claims
    section with its own ``lastmod`` (``ClaimSitemap.page_lastmods``). The other sections'
    pages keep their section's: a claimant's, a source's or a topic's page changes with its
    claims, not its own row, so the latest public change is their honest bound."""
    response = sitemap_views.index(request, SITEMAPS, sitemap_url_name="sitemap-section")
    claims = reverse("sitemap-section", kwargs={"section": "claims"})
    newest = ClaimSitemap().page_lastmods()
    for item in response.context_data["sitemaps"]:
        path, _, page = item.location.partition("?p=")
        if path.endswith(claims):
            item.last_mod = newest.get(int(page or 1), item.last_mod)
    return response
