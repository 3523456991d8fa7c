"""``/sitemap.xml``: every public page, from the published-only gate."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from claims.models import Claim, Topic
from sources.models import Actor, Source


class ClaimSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Claim.objects.published().order_by("pk")

    def lastmod(self, claim):
        return claim.updated_at


class ActorSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Actor.objects.published().order_by("pk")

    def location(self, actor):
        return reverse("claims:actor", args=[actor.slug])


class SourceSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Source.objects.published().order_by("pk")

    def location(self, source):
        return reverse("claims:source", args=[source.pk, source.slug])


class TopicSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Topic.objects.published().order_by("pk")

    def location(self, topic):
        return reverse("claims:topic", args=[topic.slug])


class PageSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return [
            "claims:home",
            "claims:list",
            "claims:methodology",
            "claims:about",
            "claims:corrections",
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
