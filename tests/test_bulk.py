"""Bulk inserts (sources.bulk): COPY on PostgreSQL, bulk_create elsewhere, the same rows."""

import pytest
from django.db import IntegrityError, transaction

from claims.models import Claim
from sources.bulk import bulk_insert


def test_bulk_inserted_rows_are_whole_and_have_their_keys(make):
    template = make.claim(status=Claim.Status.DRAFT, evidence=0)
    selector = {"type": "TextQuoteSelector", "exact": "words", "prefix": "", "suffix": ""}
    rows = [
        Claim(
            quote=f"Bulk quote number {n} about zeppelins",
            summary=f"Bulk {n}",
            slug=f"bulk-{n}",
            claimant=template.claimant,
            source=template.source,
            quote_selector=selector if n == 0 else None,
        )
        for n in range(3)
    ]
    assert bulk_insert(Claim, rows) == rows
    assert all(row.pk for row in rows) and len({row.pk for row in rows}) == 3
    saved = Claim.objects.in_bulk([row.pk for row in rows])
    first = saved[rows[0].pk]
    assert first.quote == rows[0].quote and first.quote_selector == selector
    assert saved[rows[1].pk].quote_selector is None
    assert first.created_at and first.updated_at and first.status == Claim.Status.DRAFT
    # A later save of the same object updates the row (it is no longer "adding").
    rows[2].summary = "Renamed"
    rows[2].save()
    assert Claim.objects.get(pk=rows[2].pk).summary == "Renamed"
    assert set(Claim.objects.search("zeppelins")) == set(saved.values())


def test_nothing_to_insert_is_fine(db):
    assert bulk_insert(Claim, []) == []


def test_a_row_the_database_refuses_is_an_integrity_error_as_with_bulk_create(make):
    template = make.claim(status=Claim.Status.DRAFT, evidence=0)
    row = Claim(quote="", summary="Empty", claimant=template.claimant, source=template.source)
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk_insert(Claim, [row])
