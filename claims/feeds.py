"""Atom feeds of published claims: all, per topic, per claimant, per verdict, per language."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language_info

from claims.models import Claim, Correction, Topic, Verdict
from claims.quotes import in_quotation_marks
from sources.models import Actor

FEED_LENGTH = 30


class TextSummaryAtom1Feed(Atom1Feed):
    """Atom whose entry summaries are declared plain text, as they are: Django's Atom1Feed
    declares every summary ``type="html"``, so a quote or note with markup in it (``<script>``,
    an ``<img onerror>``, a ``javascript:`` link) would reach feed readers as markup."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class LatestClaimsFeed(Feed):
    feed_type = TextSummaryAtom1Feed

    def title(self):
        return f"{settings.SITE_NAME}: latest fact checks"

    def link(self):
        return reverse("claims:list")

    def subtitle(self):
        return "Claims beside the evidence that refutes, supports or puts them in context."

    def claims(self, obj):
        return Claim.objects.published()

    def items(self, obj=None):
        return self.claims(obj).with_related().order_by("-published_at", "-id")[:FEED_LENGTH]

    def item_title(self, claim):
        verdict = claim.verdict.label if claim.verdict else "Unrated"
        return f"{verdict}: {claim.summary}"

    def item_description(self, claim):
        # Plain text, declared so (TextSummaryAtom1Feed); the XML writer escapes it.
        return f"{claim.claimant.name}: {in_quotation_marks(claim.quote)} — {claim.ruling}"

    def item_pubdate(self, claim):
        return claim.published_at

    def item_updateddate(self, claim):
        return claim.updated_at

    def item_author_name(self, claim):
        return settings.SITE_NAME

    def item_categories(self, claim):
        return [topic.name for topic in claim.topics.all()]


class TopicClaimsFeed(LatestClaimsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Topic.objects.published(), slug=slug)

    def title(self, topic):
        return f"{settings.SITE_NAME}: {topic.name}"

    def link(self, topic):
        return reverse("claims:topic", args=[topic.slug])

    def claims(self, topic):
        return Claim.objects.published().filter(topics=topic)


class ActorClaimsFeed(LatestClaimsFeed):
    def get_object(self, request, slug):
        # Every public actor's page links its feed; one who said nothing public has an
        # empty feed, as its page has an empty list.
        return get_object_or_404(Actor.objects.published(), slug=slug)

    def title(self, actor):
        return f"{settings.SITE_NAME}: claims by {actor.name}"

    def link(self, actor):
        return reverse("claims:actor", args=[actor.slug])

    def claims(self, actor):
        return Claim.objects.published().filter(claimant=actor)


class CorrectionsFeed(Feed):
    feed_type = TextSummaryAtom1Feed

    def title(self):
        return f"{settings.SITE_NAME}: corrections, updates and retractions"

    def link(self):
        return reverse("claims:corrections")

    def items(self):
        return (
            Correction.objects.published()
            .select_related("claim", "verdict_before", "verdict_after")
            .order_by("-created_at", "-id")[:FEED_LENGTH]
        )

    def item_title(self, correction):
        return f"{correction.get_kind_display()}: {correction.claim.summary}"

    def item_description(self, correction):
        verdict = ""
        if correction.verdict_changed:
            before = correction.verdict_before.label if correction.verdict_before else "unrated"
            verdict = f"Verdict changed from {before} to {correction.verdict_after.label}. "
        return f"{verdict}{correction.note}"

    def item_link(self, correction):
        return f"{correction.claim.get_absolute_url()}#corrections-title"

    def item_pubdate(self, correction):
        return correction.created_at


class VerdictClaimsFeed(LatestClaimsFeed):
    """The claims rated with one verdict of the scale; the methodology page links each."""

    def get_object(self, request, slug):
        return get_object_or_404(Verdict, slug=slug)

    def title(self, verdict):
        return f"{settings.SITE_NAME}: claims rated {verdict.label}"

    def link(self, verdict):
        return f"{reverse('trust:methodology')}#verdict-{verdict.slug}"

    def subtitle(self, verdict):
        return verdict.description

    def claims(self, verdict):
        return Claim.objects.published().filter(verdict=verdict)


class LanguageClaimsFeed(LatestClaimsFeed):
    """The claims said in one language (``Claim.language``, a BCP 47 tag: ``es`` takes
    ``es-MX`` too, ``pt-BR`` only itself; any case). A language no public claim is in has no
    feed (404)."""

    def get_object(self, request, code):
        if not self.claims(code).exists():
            raise Http404("No published claim in this language.")
        return code

    def title(self, code):
        return f"{settings.SITE_NAME}: claims in {language_name(code)}"

    def link(self, code):
        return reverse("claims:list")

    def claims(self, code):
        return Claim.objects.published().in_language(code)


def language_name(code):
    """ "English (en)" for a tag Django knows, the tag itself otherwise."""
    try:
        return f"{get_language_info(code.lower())['name']} ({code})"
    except KeyError:
        return code
