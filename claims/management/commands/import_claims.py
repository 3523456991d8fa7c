"""Import claims from ClaimReview JSON-LD or from the API's own CSV export.

Reads what ``/api/v1/claims/claimreview/`` and ``/api/v1/claims/csv/`` give, and the
ClaimReview that other fact-checkers publish. Imported claims land as drafts with their
verdict and ruling: they have no evidence here yet, and publishing stays an editor's step.

Upserts by stable keys, so running the same file twice adds nothing: a claimant is its name
and kind, a source its URL (or, untitled and without one, who published it), a claim its
claimant and exact quote. A row for a claim that exists updates its summary, date said,
verdict and ruling through ``claims.services``, like any other door: as ``--user`` (the
system when not given), and for a published claim only with ``--correction-note`` (or an
editor's ``--minor``). Every rejected row is reported with its line and the reason. By
default every good row lands; with ``--atomic`` a single bad row rejects the whole file.

A new claim that says what an existing claim says (``claims.matching``, ``high`` confidence,
against claims in any status) or what an earlier row of the file says is a probable
duplicate. ``--on-duplicate`` decides: ``report`` (the default) lists them and writes nothing,
so a duplicate is never created silently; ``skip`` leaves them out; ``appearance`` records each
as an appearance of the claim it repeats (who said it, when, where, in its words, through
``claims.services``); ``create`` imports them as new claims all the same.
"""

import contextlib
import csv
import datetime as dt
import json
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction
from django.utils.text import Truncator, slugify
from simple_history.utils import bulk_create_with_history

from claims import languages, matching, services
from claims.api.renderers import FORMULA_PREFIXES
from claims.cache import bump as bump_public_cache
from claims.management.progress import Progress
from claims.models import Appearance, Claim, Topic, Verdict
from sources.bulk import bulk_insert
from sources.models import Actor, Source, unique_slug
from sources.validators import validate_web_url


class Rejected(Exception):
    """A row that cannot be imported; the message says why."""


ON_DUPLICATE = {
    "report": "list them and import nothing (the default)",
    "skip": "leave them out",
    "appearance": "record each as an appearance of the claim it repeats",
    "create": "import them as new claims all the same",
}
# Rows matched against the database at a time (``claims.matching.match_texts``).
MATCH_BATCH = 100
# Within a file, a row is compared with earlier rows among the last this many with each term.
RECENT_PER_TERM = 200


@dataclass
class Row:
    line: int
    quote: str
    summary: str
    claimant: str
    claimant_kind: str
    said_on: dt.date | None
    source_title: str
    source_url: str
    verdict: Verdict
    ruling: str
    topics: list = field(default_factory=list)
    language: str = ""  # blank: detected (claims.services.fill_languages)


@dataclass
class Duplicate:
    """A row that probably says what a claim already says: an existing ``claim``, or the
    claim the earlier row at ``line`` of the same file adds."""

    row: Row
    score: float
    claim: Claim | None = None
    of: Row | None = None

    def __str__(self):
        said = Truncator(self.row.quote).chars(80)
        if self.claim is not None:
            target = f"claim {self.claim.pk} ({self.claim.get_status_display().lower()}): "
            target += f"“{Truncator(self.claim.quote).chars(80)}”"
        else:
            target = f"line {self.of.line} of this file"
        return f"line {self.row.line}: “{said}” repeats {target} (score {self.score:.2f})"


def _text(value):
    value = "" if value is None else str(value).strip()
    # The CSV export protects cells a spreadsheet would run as formulas with an apostrophe.
    if value.startswith("'") and value[1:2] and value[1:].startswith(FORMULA_PREFIXES):
        value = value[1:]
    return value


def _date(value, what):
    value = _text(value)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise Rejected(f"{what} is not a date: {value!r}") from None


def read_csv(text):
    """(line, record) for each row of the API's CSV export."""
    reader = csv.DictReader(text.splitlines(keepends=True))
    missing = {"quote", "claimant"} - set(reader.fieldnames or [])
    if missing:
        raise CommandError(f"Not the API's CSV: no {', '.join(sorted(missing))} column.")
    line = 1
    for record in reader:
        yield line + 1, record
        line = reader.line_num


def read_claimreview(text):
    """(line, ClaimReview) for each review of a JSON-LD file: a list, a single review, or a
    ``@graph``. Lines are where each review starts in the file."""
    decoder = json.JSONDecoder()
    data = json.loads(text)
    if isinstance(data, dict):
        items = data.get("@graph", [data])
        yield from ((1, item) for item in items)
        return
    if not isinstance(data, list):
        raise CommandError("A ClaimReview file holds a JSON object or a list of them.")
    position = text.index("[") + 1
    line, counted = 1, 0
    while True:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if position >= len(text) or text[position] == "]":
            return
        item, end = decoder.raw_decode(text, position)
        line += text.count("\n", counted, position)
        counted = position
        yield line, item
        position = end


class Command(BaseCommand):
    help = "Import claims from ClaimReview JSON-LD or the API's CSV (upserts; see --atomic)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=["auto", "csv", "claimreview"], default="auto")
        parser.add_argument("--dry-run", action="store_true", help="Check and count; save nothing.")
        parser.add_argument(
            "--atomic", action="store_true", help="All rows or none: one bad row rejects the file."
        )
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument(
            "--user",
            help="Username the changes are made as; their editorial role applies "
            "(docs/editorial-rules.md). Default: the system.",
        )
        parser.add_argument(
            "--correction-note",
            default="",
            help="Public correction note for every material change this file makes to a "
            "published claim (without it, or --minor, such rows are rejected).",
        )
        parser.add_argument(
            "--minor",
            action="store_true",
            help="Editors only: the file's changes to published claims are minor; they are "
            "listed publicly as updates.",
        )
        parser.add_argument(
            "--on-duplicate",
            choices=list(ON_DUPLICATE),
            default="report",
            help="What to do with new claims that probably repeat an existing claim or an "
            "earlier row: "
            + "; ".join(f"{name}: {meaning}" for name, meaning in ON_DUPLICATE.items())
            + ".",
        )

    def handle(self, *args, file, format, dry_run, atomic, batch_size, **options):
        self.by = None
        if options["user"]:
            try:
                self.by = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user named {options['user']!r}.") from None
        self.correction = {"correction_note": options["correction_note"], "minor": options["minor"]}
        self.updated, self.refused = 0, []
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        if format == "auto":
            format = "claimreview" if text.lstrip()[:1] in "[{" else "csv"
        try:
            records = list(read_csv(text) if format == "csv" else read_claimreview(text))
        except (json.JSONDecodeError, csv.Error) as exc:
            raise CommandError(f"{file} is not valid {format}: {exc}") from exc
        parse = self.parse_csv if format == "csv" else self.parse_claimreview
        self.verdicts = list(Verdict.objects.all())
        rows, rejected = [], []
        for line, record in records:
            try:
                rows.append(self.checked(parse(line, record)))
            except Rejected as exc:
                rejected.append((line, str(exc)))
        self.report(rejected)
        if atomic and rejected:
            raise CommandError(
                f"{len(rejected)} of {len(records)} rows rejected; --atomic: nothing imported."
            )
        on_duplicate = options["on_duplicate"]
        duplicates = self.duplicates(rows)
        self.report_duplicates(duplicates, on_duplicate)
        if duplicates and on_duplicate == "report":
            raise CommandError(
                f"{len(duplicates)} rows probably repeat a claim (listed above); nothing "
                "imported. Choose what to do with them: --on-duplicate=skip (leave them out), "
                "--on-duplicate=appearance (record each as an appearance of the claim it "
                "repeats) or --on-duplicate=create (import them as new claims)."
            )
        if on_duplicate in ("skip", "appearance"):
            repeated = {id(duplicate.row) for duplicate in duplicates}
            rows = [row for row in rows if id(row) not in repeated]
        # One transaction for --atomic (and --dry-run, rolled back); otherwise one per batch.
        with transaction.atomic() if atomic or dry_run else contextlib.nullcontext():
            added = self.save(rows, batch_size, atomic=atomic)
            appeared = (
                self.save_appearances(duplicates, atomic=atomic)
                if on_duplicate == "appearance"
                else 0
            )
            self.report(self.refused)
            if atomic and self.refused:
                raise CommandError(
                    f"{len(self.refused)} rows refused by the editorial rules; --atomic: "
                    "nothing imported."
                )
            if dry_run:
                transaction.set_rollback(True)
        bump_public_cache()  # bulk writes send no signals
        verb, updated = ("would add", "would update") if dry_run else ("added", "updated")
        present = len(rows) - added - self.updated - len(self.refused)
        if on_duplicate == "appearance":
            present -= appeared - len(duplicates)  # refused appearances are counted refused
        outcome = {
            "skip": f", {len(duplicates)} probable duplicates skipped",
            "appearance": f", {appeared} probable duplicates recorded as appearances",
            "create": f", {len(duplicates)} probable duplicates added as new claims",
        }
        self.stdout.write(
            f"{len(records)} rows read: {verb} {added} claims, {updated} {self.updated}, "
            f"{present} already present, {len(rejected) + len(self.refused)} rejected"
            f"{outcome[on_duplicate] if duplicates else ''}."
        )

    def report(self, rejected):
        for line, reason in rejected:
            self.stderr.write(f"line {line}: rejected: {reason}")

    def report_duplicates(self, duplicates, on_duplicate):
        action = {"report": "", "skip": ": skipped", "create": ": added all the same"}
        for duplicate in duplicates:
            self.stderr.write(
                f"{duplicate}{action.get(on_duplicate, ': recorded as an appearance')}"
            )

    # Probable duplicates: new claims that say what a claim already says.

    def duplicates(self, rows):
        """The rows that would add a claim although one probably says the same already: an
        existing claim in any status (``claims.matching``, ``high``), or a claim an earlier
        row adds. A row for an existing claim (same claimant and exact quote) updates it and
        is no duplicate; nor is the same claim twice in one file (the first row holds)."""
        known = {
            (claimant, kind, quote)
            for claimant, kind, quote in Claim.objects.values_list(
                "claimant__name", "claimant__kind", "quote"
            )
        }
        new, seen = [], set()
        for row in rows:
            key = (row.claimant, row.claimant_kind, row.quote)
            if key not in known and key not in seen:
                new.append(row)
            seen.add(key)
        found, first_rows = [], []
        everything = Claim.objects.all()
        if not everything.exists():  # an empty archive: only the file can repeat itself
            return self.repeats_within(new)
        for start in range(0, len(new), MATCH_BATCH):
            batch = new[start : start + MATCH_BATCH]
            texts = [row.quote for row in batch]
            best = matching.match_texts(texts, claims=everything, limit=1)
            for row, matches in zip(batch, best, strict=True):
                if matches and matches[0].confidence == "high":
                    found.append(Duplicate(row, matches[0].score, claim=matches[0].claim))
                else:
                    first_rows.append(row)
        found += self.repeats_within(first_rows)
        return sorted(found, key=lambda duplicate: duplicate.row.line)

    def repeats_within(self, rows):
        """The rows that say what an earlier one of ``rows`` says: each compared with the
        earlier rows that share most search terms with it (at most ``MAX_CANDIDATES``, among
        the last ``RECENT_PER_TERM`` rows with each term, so that a file of a million rows on
        one subject costs the same per row as a small one), as the matcher compares a text
        with a claim."""
        found, by_term, contents = [], {}, {}
        for row in rows:
            terms = set(matching.search_terms(row.quote))
            earlier = {id(other): other for term in terms for other in by_term.get(term, ())}
            shared = Counter(id(other) for term in terms for other in by_term.get(term, ()))
            text = matching.content(row.quote)
            contents[id(row)] = (text, matching.content(row.summary))
            best = None
            for key, _ in shared.most_common(matching.MAX_CANDIDATES):
                other = earlier[key]
                value = max(matching.similarity(text, said) for said in contents[key])
                if value < settings.CLAIM_MATCH_HIGH or (best and value <= best[0]):
                    continue
                if not matching.disagreements(
                    row.quote, other.quote, other.summary, other.claimant
                ):
                    best = (value, other)
            if best is not None:
                found.append(Duplicate(row, best[0], of=best[1]))
                continue  # the claim it repeats is the earlier row's
            for term in terms:
                by_term.setdefault(term, deque(maxlen=RECENT_PER_TERM)).append(row)
        return found

    def save_appearances(self, duplicates, *, atomic):
        """Record each duplicate as an appearance of the claim it repeats, through
        ``claims.services`` (as ``--user``); refusals are reported by line. Returns how many
        were recorded."""
        known = self.load_known()
        recorded = 0
        for duplicate in duplicates:
            row = duplicate.row
            try:
                with transaction.atomic():
                    self.save_new_claimants([row], known)
                    actor = known["actors"][row.claimant, row.claimant_kind]
                    if duplicate.claim is not None:
                        claim = duplicate.claim
                    else:
                        of = duplicate.of
                        of_actor = known["actors"][of.claimant, of.claimant_kind]
                        claim = Claim.objects.get(pk=known["claims"][of_actor.pk, of.quote])
                    appearance = Appearance(
                        claim=claim,
                        claimant=actor,
                        source_id=self.source_for(row, actor, known),
                        said_on=row.said_on,
                        quote=row.quote,
                    )
                    services.save_appearance(appearance, by=self.by)
            except (ValidationError, PermissionDenied) as error:
                reasons = error.messages if isinstance(error, ValidationError) else [str(error)]
                self.refused.append((row.line, f"appearance of a claim: {' '.join(reasons)}"))
                if atomic:
                    raise CommandError(f"line {row.line}: {' '.join(reasons)}") from error
            else:
                recorded += 1
        return recorded

    def source_for(self, row, actor, known):
        """The id of the row's source, made if it does not exist (as ``save_batch`` would)."""
        key = self.source_key(row, actor)
        if key not in known["sources"]:
            known["sources"][key] = Source.objects.create(**self.new_source(row, actor)).pk
        return known["sources"][key]

    # Reading one record into a Row; raises Rejected with the reason.

    def parse_csv(self, line, record):
        verdict = self.verdict(label=_text(record.get("verdict")), rating=record.get("rating"))
        return Row(
            line=line,
            quote=_text(record.get("quote")),
            summary=_text(record.get("summary")),
            claimant=_text(record.get("claimant")),
            claimant_kind=_text(record.get("claimant_kind")) or Actor.Kind.ORGANIZATION,
            said_on=_date(record.get("said_on"), "said_on"),
            source_title=_text(record.get("source_title")),
            source_url=_text(record.get("source_url")),
            verdict=verdict,
            ruling=_text(record.get("ruling")),
            topics=[name.strip() for name in _text(record.get("topics")).split(";") if name],
            language=_text(record.get("language")),
        )

    def parse_claimreview(self, line, review):
        if not isinstance(review, dict) or review.get("@type") != "ClaimReview":
            raise Rejected("not a ClaimReview object")
        item = review.get("itemReviewed") or {}
        author = item.get("author") or {}
        if isinstance(author, list):
            author = author[0] if author else {}
        appearance = item.get("appearance") or []
        appearance = appearance[0] if isinstance(appearance, list) and appearance else appearance
        appearance = appearance if isinstance(appearance, dict) else {}
        rating = review.get("reviewRating") or {}
        quote = _text(review.get("claimReviewed"))
        return Row(
            line=line,
            quote=quote,
            summary=_text(review.get("headline")) or Truncator(quote).chars(200),
            claimant=_text(author.get("name")),
            claimant_kind=(
                Actor.Kind.PERSON if author.get("@type") == "Person" else Actor.Kind.ORGANIZATION
            ),
            said_on=_date(item.get("datePublished"), "itemReviewed.datePublished"),
            source_title=_text(appearance.get("headline") or appearance.get("name")),
            source_url=_text(appearance.get("url")),
            verdict=self.verdict(
                label=_text(rating.get("alternateName")),
                rating=rating.get("ratingValue"),
                scale=(rating.get("worstRating"), rating.get("bestRating")),
            ),
            ruling=_text(review.get("reviewBody")),
            language=_text(item.get("inLanguage") or review.get("inLanguage")),
        )

    def verdict(self, *, label="", rating=None, scale=(None, None)):
        """Our verdict for a label (any case) or a rating, scaled from the publisher's scale
        (worstRating..bestRating) to ours."""
        for verdict in self.verdicts:
            if label and verdict.label.lower() == label.lower():
                return verdict
        try:
            value = float(rating)
            worst, best = (float(bound) for bound in scale) if None not in scale else (1, 5)
        except (TypeError, ValueError):
            raise Rejected(f"unknown verdict {label or rating!r}") from None
        ours = [verdict.rating for verdict in self.verdicts]
        if best <= worst or not worst <= value <= best or not ours:
            raise Rejected(f"rating {rating!r} is outside its scale")
        scaled = min(ours) + (value - worst) / (best - worst) * (max(ours) - min(ours))
        return min(self.verdicts, key=lambda verdict: abs(verdict.rating - scaled))

    def checked(self, row):
        """The row if a claim made of it passes the model's field checks."""
        if not row.claimant:
            raise Rejected("no claimant")
        if row.claimant_kind not in Actor.Kind.values:
            raise Rejected(f"unknown claimant kind {row.claimant_kind!r}")
        if len(row.claimant) > 200:
            raise Rejected("claimant name longer than 200 characters")
        if len(row.source_title) > 300 or len(row.source_url) > 500:
            raise Rejected("source title or URL too long")
        if row.source_url:
            # Sources are written in bulk, without the model's validation.
            try:
                validate_web_url(row.source_url)
            except ValidationError:
                raise Rejected(
                    f"source URL is not a web address (http or https): {row.source_url!r}"
                ) from None
        claim = Claim(
            quote=row.quote,
            summary=row.summary,
            said_on=row.said_on,
            ruling=row.ruling,
            language=row.language,
        )
        try:
            claim.full_clean(
                exclude=["claimant", "source", "slug"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            reasons = "; ".join(
                f"{name}: {' '.join(msgs)}" for name, msgs in exc.message_dict.items()
            )
            raise Rejected(reasons) from None
        return row

    # Saving: lookups are cached per run; each batch of new claims, and the sources they
    # need, is written with bulk inserts in one transaction.

    def load_known(self):
        def source_key(url, title, publisher_id):
            return url or (f"title:{title}" if title else f"untitled:{publisher_id}")

        sources = Source.objects.filter(via=None).values_list("pk", "url", "title", "publisher")
        return {
            "actors": {(a.name, a.kind): a for a in Actor.objects.all()},
            "actor_slugs": set(Actor.objects.values_list("slug", flat=True)),
            "sources": {source_key(*rest): pk for pk, *rest in sources},
            "topics": {t.name: t for t in Topic.objects.all()},
            "claims": {
                (claimant, quote): pk
                for pk, claimant, quote in Claim.objects.values_list("pk", "claimant_id", "quote")
            },
        }

    def save(self, rows, batch_size, *, atomic):
        """Save the rows in batches; return how many claims were added. Without ``atomic``,
        a batch the database refuses is reported and the others still land."""
        known = self.load_known()
        progress = Progress(len(rows), "import", stream=self.stderr)
        added = 0
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            try:
                with transaction.atomic():
                    added += self.save_batch(batch, known)
            except DatabaseError as exc:
                if atomic:
                    raise CommandError(f"The database refused a row: {exc}") from exc
                for row in batch:
                    self.stderr.write(f"line {row.line}: rejected with its batch: {exc}")
                known = self.load_known()
            progress.advance(len(batch))
        progress.close()
        return added

    def save_new_claimants(self, batch, known):
        """Create the batch's claimants that do not exist yet, in one bulk insert (with their
        history rows, as a save would leave)."""
        new = {}
        for row in batch:
            key = (row.claimant, row.claimant_kind)
            if key not in known["actors"] and key not in new:
                new[key] = Actor(name=row.claimant, kind=row.claimant_kind)
                new[key].slug = unique_slug(new[key], row.claimant, taken=known["actor_slugs"])
        bulk_create_with_history(list(new.values()), Actor)
        known["actors"].update(new)

    @staticmethod
    def source_key(row, actor):
        """Found by URL, else by title; without either, an untitled document from the
        claimant (never an invented title)."""
        return row.source_url or (
            f"title:{row.source_title}" if row.source_title else f"untitled:{actor.pk}"
        )

    @staticmethod
    def new_source(row, actor):
        return {
            "title": row.source_title,
            "url": row.source_url,
            "kind": Source.Kind.OTHER,
            "publisher": None if row.source_title or row.source_url else actor,
            "slug": slugify(row.source_title or f"untitled from {actor.name}")[:80] or "source",
        }

    def save_batch(self, batch, known):
        self.save_new_claimants(batch, known)
        new, sources = [], {}
        for row in batch:
            actor = known["actors"][row.claimant, row.claimant_kind]
            if (actor.pk, row.quote) in known["claims"]:
                self.update(row, known["claims"][actor.pk, row.quote])
                continue
            known["claims"][actor.pk, row.quote] = None  # added below
            key = self.source_key(row, actor)
            if key not in known["sources"] and key not in sources:
                sources[key] = Source(**self.new_source(row, actor))
            new.append((row, actor, key))
        Source.objects.bulk_create(sources.values())
        known["sources"].update((key, source.pk) for key, source in sources.items())
        claims, links = [], []
        for row, actor, key in new:
            claim = Claim(
                quote=row.quote,
                summary=row.summary,
                slug=slugify(row.summary or row.quote)[:80].strip("-") or "claim",
                claimant=actor,
                source_id=known["sources"][key],
                said_on=row.said_on,
                verdict=row.verdict,
                ruling=row.ruling,
                language=languages.normalize(row.language),
            )
            claims.append(claim)
            for name in row.topics:
                if name not in known["topics"]:
                    known["topics"][name] = Topic.objects.create(name=name[:100])
                links.append(Claim.topics.through(claim=claim, topic=known["topics"][name]))
        services.fill_languages(claims)
        bulk_insert(Claim, claims)
        for claim in claims:
            known["claims"][claim.claimant_id, claim.quote] = claim.pk
        Claim.topics.through.objects.bulk_create(links, ignore_conflicts=True)
        return len(claims)

    def update(self, row, pk):
        """Bring an existing claim up to date with ``row``, through the editorial rules."""
        if pk is None:  # the same claim twice in one file: the first row holds
            return
        claim = Claim.objects.get(pk=pk)
        fields = {
            "summary": row.summary or claim.summary,
            "said_on": row.said_on or claim.said_on,
            "verdict": row.verdict,
            "ruling": row.ruling or claim.ruling,
        }
        if all(getattr(claim, name) == value for name, value in fields.items()):
            return
        try:
            services.change_claim(claim, by=self.by, **self.correction, **fields)
        except (ValidationError, PermissionDenied) as error:
            reasons = error.messages if isinstance(error, ValidationError) else [str(error)]
            self.refused.append((row.line, f"claim {pk}: {' '.join(reasons)}"))
        else:
            self.updated += 1
