"""Whole lists of claims as CSV and as a ClaimReview JSON-LD array, streamed.

The API's exports (``/api/v1/claims/csv/``, ``/api/v1/claims/claimreview/``) and the nightly
open-data dump (``manage.py export_dump``, ``claims.open_data``) write with these generators,
so the files and the endpoints are the same bytes for the same claims.

A whole list at a million claims does not fit in a worker's memory, nor in the cache: the
claims are read in batches by keyset (``WHERE pk > last ORDER BY pk LIMIT n``, so the
thousandth batch costs what the first does, where ``OFFSET`` would read every row before it),
each batch is written out and dropped. Memory stays flat whatever the size, and the first
bytes (the CSV's header, the array's ``[``) go out before the first query. The rows come in
id order.
"""

from django.db.models import Prefetch
from rest_framework.renderers import JSONRenderer

from claims.api.renderers import csv_rows, csv_text
from claims.api.serializers import ClaimCSVSerializer
from claims.claimreview import claim_review, rating_bounds
from claims.models import StanceLink
from trust.people import author_node

BATCH_SIZE = 500


def in_batches(queryset, size=BATCH_SIZE):
    """The rows of ``queryset`` in id order, as lists of at most ``size``: one query per
    batch by keyset, each batch with the queryset's ``select_related`` and prefetches."""
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        if batch:
            yield batch
        if len(batch) < size:
            return
        last = batch[-1].pk


def csv_related(claims):
    """What a CSV row shows: claimant, source, verdict, topics, and the evidence's sources."""
    links = StanceLink.objects.select_related("evidence__source")
    return claims.select_related("claimant", "source", "verdict").prefetch_related(
        "topics", Prefetch("stance_links", queryset=links)
    )


def csv_stream(claims, request=None):
    """``claims`` as CSV (``ClaimCSVSerializer``'s columns, cells safe for spreadsheets),
    UTF-8, in chunks of a batch. ``claims`` should load what the serializer shows
    (``csv_related``); without ``request``, page URLs are built from ``SITE_URL``."""
    header = list(ClaimCSVSerializer().fields)
    yield csv_text([header]).encode()
    for batch in in_batches(claims):
        data = ClaimCSVSerializer(batch, many=True, context={"request": request}).data
        yield csv_text(csv_rows(data, header)).encode()


def claimreview_stream(claims, request=None):
    """``claims`` (``reviewable`` ones, ``with_related()``) as a JSON array of ClaimReview
    objects, well formed whatever its length: each one rendered as the API renders JSON,
    so the whole is the bytes ``JSONRenderer`` would give for the list."""
    render = JSONRenderer().render
    bounds, author = rating_bounds(), author_node(request)
    yield b"["
    separator = b""
    for batch in in_batches(claims):
        yield separator + b",".join(
            render(claim_review(claim, request, bounds=bounds, author=author)) for claim in batch
        )
        separator = b","
    yield b"]"
