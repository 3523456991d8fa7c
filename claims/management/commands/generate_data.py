"""Generate a synthetic data set for load tests and benchmarks: claimants, sources, topics,
evidence shared between claims, stance links, counterclaims and a mix of statuses.

Synthetic rows are marked three ways, so nobody mistakes them for real fact checks and they
can be found and removed: every synthetic claim has the topic ``Synthetic data``
(slug ``synthetic-data``), every synthetic source's title starts with ``Synthetic:`` and its
URL is under ``https://synthetic.invalid/`` (a reserved domain that never resolves), and every
synthetic actor's description says so (``claims.synthetic``).

The command refuses to run on a database that holds claims without that marker (the demo
data, or real data) unless ``--force`` is given: synthetic and demo data are never mixed by
accident. Rows are written in bulk (``sources.bulk``: COPY on PostgreSQL) in batches, one
transaction per batch; each row satisfies the models' check constraints, and public claims
went through the workflow (their transitions are recorded: draft → in review → published →
retracted).
"""

import datetime as dt
import random
import secrets
import time
from itertools import accumulate

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from claims import rules, services
from claims.cache import bump as bump_public_cache
from claims.management.progress import Progress
from claims.models import (
    Claim,
    ClaimTransition,
    Correction,
    Counterclaim,
    Evidence,
    StanceLink,
    Topic,
    Verdict,
)
from claims.synthetic import (
    SYNTHETIC_DESCRIPTION,
    SYNTHETIC_TITLE_PREFIX,
    SYNTHETIC_TOPIC,
    SYNTHETIC_URL,
)
from sources.bulk import bulk_insert
from sources.models import Actor, Affiliation, Source

# Content words, most frequent first: search benchmarks need words that are in most claims
# and words that are in a handful. Invented words extend the list into a long, rare tail.
COMMON_WORDS = """
report officials said percent budget program federal state county agency policy facility
detention workers contract funding inspection health safety court records data families
children schools police border housing jobs wages taxes election voters hospital medical
staff million billion increase decrease rate crime arrests prison jail food water climate
energy emissions veterans benefits pension insurance audit oversight complaint lawsuit
investigation hearing testimony committee senator governor mayor council union
spokesperson department ministry inspector general review findings evidence statement
letter press release interview survey study analysis statistics census immigration asylum
deportation enforcement officers guards conditions overcrowding standards violations
deaths injuries vaccines drugs overdoses transit roads bridges infrastructure water
wildfire flooding
""".split()  # noqa: SIM905
STOPWORDS = """
the a of and in to that was were has have for on by with from at
""".split()  # noqa: SIM905
SYLLABLES = """
ka lo mi ren tu vas pel dor qui nax bri sol tem var zu fen gal hob
""".split()  # noqa: SIM905
FIRST_NAMES = """
Ada Bruno Carla Dev Elena Farid Grace Hugo Ines Jonas Kemal Lina Marta Nils Olga Pavel
Quinn Rosa Sami Tara Umar Vera Wen Ximena Yusuf Zoe
""".split()  # noqa: SIM905
LAST_NAMES = """
Abara Bianchi Chen Dubois Eriksen Fischer Garcia Haddad Ivanova Jensen Kowalski Lopez
Moreau Novak Okafor Petrov Quispe Rossi Silva Tanaka Umarov Varga Weber Xu Yilmaz Zhou
""".split()  # noqa: SIM905
ORG_KINDS = ["Agency", "Union", "Institute", "Council", "Office", "Coalition", "Department"]
STATUS_MIX = [  # (status, share): mostly published, as in a newsroom's archive
    (Claim.Status.PUBLISHED, 70),
    (Claim.Status.RETRACTED, 3),
    (Claim.Status.IN_REVIEW, 10),
    (Claim.Status.DRAFT, 17),
]
STANCE_MIX = [(StanceLink.Stance.REFUTES, 5), (StanceLink.Stance.CONTEXT, 3), ("supports", 2)]


class Text:
    """Words with a Zipf-like frequency: the first few are in nearly every claim, the last
    thousands in a few."""

    def __init__(self, rng, size=5000):
        self.rng = rng
        invented = set()
        while len(invented) < size - len(COMMON_WORDS):
            invented.add("".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))))
        self.words = list(dict.fromkeys(COMMON_WORDS)) + sorted(invented)
        self.cum_weights = list(accumulate(1 / rank for rank in range(1, len(self.words) + 1)))

    def phrase(self, n):
        words = self.rng.choices(self.words, cum_weights=self.cum_weights, k=n)
        return [
            f"{self.rng.choice(STOPWORDS)} {word}" if self.rng.random() < 0.3 else word
            for word in words
        ]

    def sentence(self, low, high):
        words = self.phrase(self.rng.randint(low, high))
        return " ".join(words).capitalize() + "."

    def name(self):
        return " ".join(self.rng.sample(self.words[:400], 2)).title()


class Command(BaseCommand):
    help = "Generate a synthetic data set (marked as such) for load tests and benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--claims", type=int, default=1000, help="How many claims.")
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=1, help="Random seed (same data).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even if the database holds claims that are not synthetic (demo data).",
        )

    def handle(self, *args, claims, batch_size, seed, force, **options):
        if claims < 1:
            raise CommandError("--claims must be at least 1.")
        verdicts = list(Verdict.objects.all())
        if not verdicts:
            raise CommandError("No verdict scale: run the migrations first.")
        marker, _ = Topic.objects.get_or_create(
            slug=SYNTHETIC_TOPIC["slug"],
            defaults={
                "name": SYNTHETIC_TOPIC["name"],
                "description": "Generated by manage.py generate_data; not real fact checks.",
            },
        )
        if not force and Claim.objects.exclude(topics=marker).exists():
            raise CommandError(
                "This database holds claims that are not synthetic (demo or real data). "
                "Generate into an empty database, or pass --force to mix them knowingly."
            )
        started = time.monotonic()
        self.rng = random.Random(seed)
        self.text = Text(self.rng)
        self.run = secrets.token_hex(3)  # keeps URLs and slugs unique across runs
        self.verdicts = verdicts
        self.now = timezone.now()

        with transaction.atomic():
            orgs, people = self.make_actors(max(claims // 50, 20))
        topics = self.make_topics(min(max(claims // 2500, 12), 60))
        sources = self.make_sources(max(claims // 5, 10), orgs, people, batch_size)
        evidence = self.make_evidence(max(claims // 2, 10), sources, orgs + people, batch_size)
        made = self.make_claims(
            claims, orgs + people, sources, evidence, topics, marker, batch_size
        )
        Topic.objects.recount()  # bulk writes bypass the workflow that keeps the counts
        bump_public_cache()  # bulk writes send no signals
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {claims:,} synthetic claims ({made}) in {elapsed:.1f}s "
                f"({claims / elapsed:,.0f} claims/s)."
            )
        )

    # Provenance

    def make_actors(self, n):
        rng, rows = self.rng, []
        for i in range(n):
            if rng.random() < 0.4:
                name = f"{self.text.name()} {rng.choice(ORG_KINDS)}"
                kind = Actor.Kind.ORGANIZATION
            else:
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                kind = Actor.Kind.PERSON
            rows.append(
                Actor(
                    name=name,
                    kind=kind,
                    slug=f"{slugify(name)[:60]}-{self.run}-{i}",
                    description=SYNTHETIC_DESCRIPTION,
                )
            )
        if not any(row.kind == Actor.Kind.ORGANIZATION for row in rows):
            rows[0].kind = Actor.Kind.ORGANIZATION
        rows = Actor.objects.bulk_create(rows, batch_size=2000)
        orgs = [row for row in rows if row.kind == Actor.Kind.ORGANIZATION]
        people = [row for row in rows if row.kind == Actor.Kind.PERSON]
        Affiliation.objects.bulk_create(
            [
                Affiliation(person=person, organization=rng.choice(orgs), role="spokesperson")
                for person in people
                if rng.random() < 0.5
            ],
            batch_size=2000,
        )
        return orgs, people

    def make_topics(self, n):
        names = dict.fromkeys(f"{word.capitalize()} (synthetic)" for word in COMMON_WORDS)
        topics = []
        for name in list(names)[:n]:
            topic, _ = Topic.objects.get_or_create(name=name)
            topics.append(topic)
        return topics

    def _date(self, years_back=10, before=None):
        latest = before or self.now.date()
        return latest - dt.timedelta(days=self.rng.randint(0, 365 * years_back))

    def _batches(self, total, batch_size, label):
        progress = Progress(total, label, stream=self.stderr)
        for start in range(0, total, batch_size):
            size = min(batch_size, total - start)
            yield start, size
            progress.advance(size)
        progress.close()

    def make_sources(self, n, orgs, people, batch_size):
        rng, ids = self.rng, []
        kinds = [kind for kind, _ in Source.Kind.choices]
        for start, size in self._batches(n, batch_size, "sources "):
            rows = []
            for i in range(start, start + size):
                title = SYNTHETIC_TITLE_PREFIX + self.text.sentence(4, 9)[:-1]
                rows.append(
                    Source(
                        title=title,
                        slug=slugify(title)[:80].strip("-") or "source",
                        kind=rng.choice(kinds),
                        url=f"{SYNTHETIC_URL}{self.run}/sources/{i}",
                        publisher=rng.choice(orgs),
                        published_on=self._date() if rng.random() < 0.9 else None,
                    )
                )
            with transaction.atomic():
                ids += [row.pk for row in bulk_insert(Source, rows)]
        return ids

    def make_evidence(self, n, sources, actors, batch_size):
        rng, ids = self.rng, []
        for _start, size in self._batches(n, batch_size, "evidence"):
            rows = [
                Evidence(
                    excerpt=self.text.sentence(15, 40),
                    source_id=rng.choice(sources),
                    author=rng.choice(actors) if rng.random() < 0.6 else None,
                    location=f"p. {rng.randint(1, 120)}" if rng.random() < 0.5 else "",
                )
                for _ in range(size)
            ]
            with transaction.atomic():
                ids += [row.pk for row in bulk_insert(Evidence, rows)]
        return ids

    # Claims, in batches: each batch's claims, topics, stance links, workflow history,
    # retraction notices and counterclaim links land together or not at all.

    def make_claims(self, n, actors, sources, evidence, topics, marker, batch_size):
        rng = self.rng
        statuses, status_weights = zip(*STATUS_MIX, strict=True)
        stances, stance_weights = zip(*STANCE_MIX, strict=True)
        counts = dict.fromkeys(["stance links", "transitions", "counterclaims"], 0)
        earlier = []  # claim ids made so far, for counterclaims
        for _start, size in self._batches(n, batch_size, "claims  "):
            rows = [
                self._claim(status, actors, sources)
                for status in rng.choices(statuses, status_weights, k=size)
            ]
            with transaction.atomic():
                services.fill_languages(rows)
                rows = bulk_insert(Claim, rows)
                topic_links, links, history, notices, answers = [], [], [], [], {}
                for claim in rows:
                    topic_links.append(Claim.topics.through(claim=claim, topic=marker))
                    for topic in rng.sample(topics, rng.randint(0, 2)):
                        topic_links.append(Claim.topics.through(claim=claim, topic=topic))
                    has_evidence = claim.is_public or rng.random() < 0.5
                    picked = rng.sample(evidence, rng.randint(1, 4)) if has_evidence else []
                    for position, evidence_id in enumerate(picked):
                        links.append(
                            StanceLink(
                                claim=claim,
                                evidence_id=evidence_id,
                                stance=rng.choices(stances, stance_weights)[0],
                                note=self.text.sentence(6, 14)[:300],
                                position=position,
                            )
                        )
                    history += self._history(claim)
                    if claim.status == Claim.Status.RETRACTED:
                        notices.append(
                            Correction(
                                claim=claim,
                                kind=Correction.Kind.RETRACTION,
                                note=claim.retraction_note,
                                verdict_before=claim.verdict,
                                verdict_after=claim.verdict,
                                created_at=claim.updated_at,
                            )
                        )
                    if earlier and rng.random() < 0.02:
                        original = rng.choice(earlier)
                        answers[(original, claim.pk)] = Counterclaim(
                            original_id=original, response=claim, note="Answers it."
                        )
                Claim.topics.through.objects.bulk_create(topic_links)
                bulk_insert(StanceLink, links)
                bulk_insert(ClaimTransition, history)
                Correction.objects.bulk_create(notices)
                Counterclaim.objects.bulk_create(answers.values())
            earlier += [claim.pk for claim in rows]
            counts["stance links"] += len(links)
            counts["transitions"] += len(history)
            counts["counterclaims"] += len(answers)
        return ", ".join(f"{count:,} {name}" for name, count in counts.items())

    def _claim(self, status, actors, sources):
        rng = self.rng
        quote = self.text.sentence(12, 40)
        summary = self.text.sentence(5, 12)[:200]
        public = status in Claim.PUBLIC_STATUSES
        reviewed = public or rng.random() < 0.5
        said_on = self._date() if rng.random() < 0.9 else None
        published_at = None
        if public:
            day = said_on or self._date()
            published_at = dt.datetime.combine(
                day + dt.timedelta(days=rng.randint(1, 30)),
                dt.time(rng.randint(6, 20), rng.randint(0, 59)),
                tzinfo=dt.UTC,
            )
            published_at = min(published_at, self.now)
        return Claim(
            quote=quote,
            summary=summary,
            # Invented words strung with English ones: tagged English, as an editor would,
            # rather than detected (a few would read as Tagalog or German, and detecting a
            # million quotes would cost minutes: docs/performance.md).
            language="en",
            slug=slugify(summary)[:80].strip("-") or "claim",
            claimant=rng.choice(actors),
            source_id=rng.choice(sources),
            said_on=said_on,
            verdict=rng.choice(self.verdicts) if reviewed else None,
            ruling=self.text.sentence(20, 50) if reviewed else "",
            status=status,
            published_at=published_at,
            retraction_note=(
                "Synthetic retraction: the quote could not be verified."
                if status == Claim.Status.RETRACTED
                else ""
            ),
        )

    def _history(self, claim):
        """The workflow steps that led to the claim's status (the editorial rules' own
        transitions), as ``Claim.publish`` records them."""
        at = claim.published_at or claim.created_at
        return [
            ClaimTransition(
                claim=claim,
                source=source,
                target=target,
                at=at,
                note=claim.retraction_note if target == Claim.Status.RETRACTED else "",
            )
            for source, target, *_ in rules.path_to(claim.status)
        ]
