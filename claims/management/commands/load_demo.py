"""Load the demo data set built from the seed articles. Idempotent: rows that exist are left
as they are (so edits made in the admin survive), missing ones are added."""

import datetime
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims import services
from claims.models import (
    Appearance,
    Claim,
    Counterclaim,
    Evidence,
    StanceLink,
    Topic,
    Verdict,
)
from claims.synthetic import has_synthetic_claims
from sources.models import Actor, Affiliation, Source

DEMO_FILE = Path(__file__).resolve().parents[2] / "demo_data.json"


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


class Command(BaseCommand):
    help = (
        "Load the demo sources, claims and evidence (safe to run again: adds only what is missing)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEMO_FILE, help="Demo data JSON file.")

    def handle(self, *args, file, **options):
        if has_synthetic_claims():
            raise CommandError(
                "This database holds synthetic claims (manage.py generate_data); the demo "
                "data is never mixed with them. Use another database."
            )
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise CommandError(f"No demo data file at {file}.") from exc
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file} is not valid JSON: {exc}") from exc
        try:
            with transaction.atomic():
                created = self.load(data)
        except KeyError as exc:
            raise CommandError(
                f"Demo data is invalid, nothing was loaded: {exc} is missing or unknown."
            ) from exc
        except (ValueError, ValidationError) as exc:
            raise CommandError(f"Demo data is invalid, nothing was loaded: {exc}") from exc
        summary = ", ".join(f"{count} {name}" for name, count in created.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded; new rows: {summary}."))

    def load(self, data):
        created = dict.fromkeys(
            [
                "actors",
                "sources",
                "topics",
                "claims",
                "appearances",
                "evidence",
                "stance links",
                "counterclaims",
            ],
            0,
        )

        def count(name, obj_created):
            created[name] += int(obj_created)

        actors = {}
        for row in data["actors"]:
            actor, new = Actor.objects.get_or_create(
                name=row["name"],
                defaults={
                    "kind": row["kind"],
                    "description": row.get("description", ""),
                    "same_as": row["same_as"],
                },
            )
            if actor.kind != row["kind"]:  # a kind the demo data corrected since it was loaded
                actor.kind = row["kind"]
                actor.save(update_fields=["kind", "updated_at"])
            actors[row["key"]] = actor
            count("actors", new)
        for row in data["affiliations"]:
            Affiliation.objects.get_or_create(
                person=actors[row["person"]],
                organization=actors[row["organization"]],
                role=row.get("role", ""),
            )

        topics = {}
        for row in data["topics"]:
            topics[row["key"]], new = Topic.objects.get_or_create(
                name=row["name"], defaults={"description": row.get("description", "")}
            )
            count("topics", new)

        sources = {}
        # Documents known through an article come after it, so `via` can point at it.
        for row in sorted(data["sources"], key=lambda r: r.get("via") is not None):
            # Untitled documents are told apart by who published them, where they were
            # reported, and the passage we keep of them.
            sources[row["key"]], new = Source.objects.get_or_create(
                title=row["title"],
                kind=row["kind"],
                publisher=actors.get(row.get("publisher")),
                via=sources[row["via"]] if row.get("via") else None,
                text=row.get("text", ""),
                defaults={
                    "url": row.get("url", ""),
                    "archive_url": row.get("archive_url", ""),
                    "published_on": _date(row.get("published_on")),
                    "language": row.get("language") or "en",
                },
            )
            if new:
                sources[row["key"]].full_clean()
                sources[row["key"]].authors.set(actors[key] for key in row.get("authors", []))
            count("sources", new)

        verdicts = {verdict.slug: verdict for verdict in Verdict.objects.all()}
        claims = {}
        for row in data["claims"]:
            # Its language as the data gives it, or as every other door detects it.
            said = Claim(quote=row["quote"], source=sources[row["source"]])
            said.language = row.get("language", "")
            services.fill_languages([said])
            claim, new = Claim.objects.get_or_create(
                quote=row["quote"],
                claimant=actors[row["claimant"]],
                defaults={
                    "language": said.language,
                    "source": sources[row["source"]],
                    "said_on": _date(row.get("said_on")),
                    "summary": row["summary"],
                    "verdict": verdicts[row["verdict"]] if row.get("verdict") else None,
                    "ruling": row.get("ruling", ""),
                },
            )
            if new:
                claim.full_clean()
                claim.topics.set(topics[key] for key in row.get("topics", []))
            claims[row["key"]] = claim
            count("claims", new)

        # The same claim said again, where a seed article reports it twice: through the
        # editorial rules, as the system (its words are checked against the article's text).
        for row in data.get("appearances", []):
            fields = {
                "claim": claims[row["claim"]],
                "claimant": actors[row["claimant"]],
                "source": sources[row["source"]],
                "quote": row["quote"],
            }
            new = not Appearance.objects.filter(**fields).exists()
            if new:
                services.create_appearance(by=None, said_on=_date(row.get("said_on")), **fields)
            count("appearances", new)

        evidence = {}
        for row in data["evidence"]:
            evidence[row["key"]], new = Evidence.objects.get_or_create(
                excerpt=row["excerpt"],
                source=sources[row["source"]],
                defaults={
                    "author": actors.get(row.get("author")),
                    "location": row.get("location", ""),
                },
            )
            count("evidence", new)

        # Links go through the editorial rules like any other door's: evidence that a newer
        # demo data set adds to a claim already published is listed publicly as an update.
        for row in data["stances"]:
            link = StanceLink(
                claim=claims[row["claim"]],
                evidence=evidence[row["evidence"]],
                stance=row["stance"],
                note=row.get("note", ""),
                position=row.get("position", 0),
            )
            new = not StanceLink.objects.filter(claim=link.claim, evidence=link.evidence).exists()
            if new:
                services.save_stance_link(link, by=None, minor=True)
            count("stance links", new)

        for row in data["counterclaims"]:
            link = Counterclaim(
                original=claims[row["answers"]],
                response=claims[row["claim"]],
                note=row.get("note", ""),
            )
            new = not Counterclaim.objects.filter(
                original=link.original, response=link.response
            ).exists()
            if new:
                services.save_counterclaim(link, by=None)
            count("counterclaims", new)

        # Publish last: publication needs the evidence links in place.
        for row in data["claims"]:
            claim = claims[row["key"]]
            if row.get("status") == Claim.Status.PUBLISHED and not claim.is_public:
                if claim.status == Claim.Status.DRAFT:
                    services.take_step(claim, "submit_for_review", by=None)
                # Loading the demo fetches nothing from the internet: no snapshots.
                services.take_step(claim, "publish", by=None, archive=False)
        return created
