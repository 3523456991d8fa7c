"""Paging large querysets: first the page's ids, then only the page's rows.

A list page selects its rows with several joins (claimant, source, publisher, verdict) and
sorts them. Asked for in one query, PostgreSQL joins every row that matches before it sorts
and keeps twenty: for a search, the thousand ranked candidates and a scan of the sources.
Asking for the page's ids first sorts narrow rows without joins; the joins then run for
twenty rows, found by primary key. One more query, whose cost does not grow with the archive.

Every paged queryset is ordered down to the row: its ordering ends with the primary key. Rows
that tie on every key of an ordering (sources published the same day under the same title,
claims said the same day) come back in whatever order the database finds them, which may differ
between the query for one page and the next, so pages would repeat some rows and skip others.
"""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


class IdsFirstPaginator(Paginator):
    """A ``Paginator`` that counts and slices the queryset's ids, then loads the page's rows
    by id, in page order, from ``rows`` (by default the queryset itself, with its
    ``select_related`` and ``prefetch_related``). Pass ``rows`` when the queryset's filters
    are costly to repeat, as a search's are: the queryset the search started from, with what
    the page shows.

    ``object_list`` may also be a list of ids already in order (a ranked search's), paged
    in Python, with ``rows`` to load them from. Anything else is paged as ``Paginator``
    does.

    ``count``, when the caller knows it (kept per version of the cached lists, or summed from
    counts the page shows anyway), spares the ``COUNT(*)``, which reads every matching row's index
    entry: the one query of a page whose cost grows with the archive."""

    def __init__(self, object_list, per_page, *, rows=None, count=None, **kwargs):
        self.rows = rows
        if count is not None:
            self.count = count  # sets the cached property
        if isinstance(object_list, QuerySet):
            if rows is None:
                self.rows = object_list
            object_list = ordered_to_the_row(object_list).values_list("pk", flat=True)
        super().__init__(object_list, per_page, **kwargs)

    def _get_page(self, object_list, number, paginator):
        if self.rows is not None:
            object_list = rows_in_order(self.rows, list(object_list))
        return Page(object_list, number, paginator)


PRIMARY_KEY_ORDERINGS = {"pk", "-pk", "id", "-id"}


def ordered_to_the_row(queryset):
    """``queryset`` in its order (its own, or its model's default), then by primary key, in
    the direction of its first key, unless the primary key is already one of its keys."""
    query = queryset.query
    ordering = [*query.order_by] or ([*query.get_meta().ordering] if query.default_ordering else [])
    if PRIMARY_KEY_ORDERINGS.intersection(key for key in ordering if isinstance(key, str)):
        return queryset
    first = ordering[0] if ordering else ""
    descending = (
        first.startswith("-") if isinstance(first, str) else getattr(first, "descending", False)
    )
    return queryset.order_by(*ordering, "-pk" if descending else "pk")


def rows_in_order(queryset, ids):
    """The rows of ``queryset`` with these ids, in the order of ``ids``."""
    rows = queryset.order_by().in_bulk(ids) if ids else {}
    return [rows[pk] for pk in ids if pk in rows]
