"""A production site must say who it is (IFCN's transparency principles): a warning for each
organization page left empty. Not in development (DEBUG on), where the pages are drafts.

It reads the database, so, as Django asks of such checks, it runs when a command names the
databases to check: `migrate`, and `manage.py check --deploy --database default`
(docs/deploy.md)."""

from django.conf import settings
from django.core import checks
from django.db import DatabaseError


@checks.register(checks.Tags.database)
def trust_pages_filled(app_configs=None, databases=None, **kwargs):
    if settings.DEBUG or not databases:
        return []
    from trust.models import Funder, Organization, Page, StaffProfile

    try:
        bodies = dict(Page.objects.values_list("kind", "body"))
        organization = Organization.current()
        has_funders = Funder.objects.exists()
        has_team = StaffProfile.objects.public().exists()
    except DatabaseError:
        return []  # not migrated yet: `migrate` makes the pages
    warnings = [
        checks.Warning(
            f"The {label} page (/{kind}/) has no text.",
            hint="Write it in the admin: Organization and staff > Pages.",
            obj=f"trust.Page[{kind}]",
            id="trust.W001",
        )
        for kind, label in Page.Kind.choices
        if not bodies.get(kind, "").strip()
    ]
    missing = [
        label
        for field, label in [
            ("mission", "mission"),
            ("ownership", "ownership"),
            ("legal_status", "legal status"),
        ]
        if not getattr(organization, field).strip()
    ]
    if missing:
        warnings.append(
            checks.Warning(
                f"The About page does not give the organization's {', '.join(missing)}.",
                hint="Fill them in the admin (Organization and staff > Organization).",
                obj="trust.Organization",
                id="trust.W002",
            )
        )
    if not has_funders:
        warnings.append(
            checks.Warning(
                "The Funding page lists no funders.",
                hint="Add them in the admin (Organization and staff > Funders).",
                obj="trust.Funder",
                id="trust.W003",
            )
        )
    if not has_team:
        warnings.append(
            checks.Warning(
                "The Team page names no one: no staff profile is public.",
                hint="Turn on 'public profile' for staff in the admin.",
                obj="trust.StaffProfile",
                id="trust.W004",
            )
        )
    return warnings
