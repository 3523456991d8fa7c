"""The organization's pages, one of each kind, with the text the About and Methodology pages
had as templates before they were editable; the other pages start empty (the system check
trust.W001 warns in production until they are written). Editors maintain them."""

from django.db import migrations

from config.migrations import grant_permissions

ABOUT = """\
We put public claims next to the evidence about them. Each claim page shows what was said, by \
whom, when and where, our verdict, and the evidence that refutes it, supports it or adds \
context, with links to the original documents.

Editors curate the sources, claims and evidence; nothing is public until an editor publishes \
it. Read [how we rate claims](/methodology/).

Follow new fact checks with the [Atom feed](/feeds/claims/); every topic, claimant, verdict \
and language has a feed of its own.

All our fact checks are [open data](/data/): downloadable each night as CSV and as \
ClaimReview JSON-LD, and through the [API](/api/docs/).
"""

METHODOLOGY = """\
We track claims made in public documents: news reports, letters, press releases, government \
reports and interviews. For each one we record the exact words, who said them, when and \
where, and link the original source.

## Evidence and stances

Evidence is an excerpt or finding from a source: an inspection report, a statistic, another \
official's statement. We attach each piece of evidence to the claims it bears on, and say how \
it bears on each:

- **Refutes**: the evidence contradicts the claim.
- **Adds context**: the evidence neither confirms nor contradicts the claim, but changes how \
it should be read.
- **Supports**: the evidence backs the claim up.

Every link says, in a sentence, why the evidence matters. One piece of evidence can serve \
several claims. When a claim is answered by another tracked claim (an agency answering a \
union, say), both pages show the exchange.

Each fact check is checked by one member of staff and reviewed by another before it is \
published; the claim page names both.
"""

CORRECTIONS_POLICY = """\
When we get something wrong, we say so on the claim's page. A retracted fact check stays at \
its address with a notice explaining why.
"""

PAGES = [
    ("about", "About us", ABOUT),
    ("funding", "Funding", ""),
    ("team", "Team", ""),
    ("corrections-policy", "Corrections policy", CORRECTIONS_POLICY),
    ("methodology", "How we check claims", METHODOLOGY),
    ("contact", "Contact", ""),
]


def add_pages(apps, schema_editor):
    Page = apps.get_model("trust", "Page")
    for kind, title, body in PAGES:
        Page.objects.get_or_create(kind=kind, defaults={"title": title, "body": body})
    apps.get_model("trust", "Organization").objects.get_or_create(pk=1)


def remove_pages(apps, schema_editor):
    apps.get_model("trust", "Page").objects.all().delete()
    apps.get_model("trust", "Organization").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("trust", "0001_organization_pages"),
        ("claims", "0004_roles"),
    ]

    operations = [
        migrations.RunPython(add_pages, remove_pages),
        grant_permissions(
            "Editors",
            "trust",
            [
                "view_organization",
                "change_organization",
                "view_page",
                "change_page",
                *(f"{action}_funder" for action in ("view", "add", "change", "delete")),
                *(f"{action}_staffprofile" for action in ("view", "add", "change", "delete")),
            ],
        ),
        grant_permissions("Fact-checkers", "trust", ["view_page", "view_staffprofile"]),
    ]
