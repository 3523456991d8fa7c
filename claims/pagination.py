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

import hashlib
from functools import reduce
from operator import or_

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from claims.cache import per_version

# A deep page (a prolific claimant's page 2,000) asked for by OFFSET makes the database step
# over every row before it: 40,000 index entries, a quarter of the page's time. A bookmarked
# paginator keeps, per version of the lists, the sort keys of the row at every
# BOOKMARK_EVERY-th place that a reader asked for a page past, and starts the page's scan there.
BOOKMARK_EVERY = 1000


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
    entry: the one query of a page whose cost grows with the archive.

    ``bookmarked``: start deep pages at a bookmark (``BOOKMARK_EVERY``) rather than an
    offset. Only for querysets of public rows that every change to retires the lists
    (``claims.cache``), ordered by keys that are never NULL, such as the public claims by
    ``-published_at``. ``request`` spares the bookmark's cache a read of the versions."""

    def __init__(
        self,
        object_list,
        per_page,
        *,
        rows=None,
        count=None,
        bookmarked=False,
        request=None,
        **kwargs,
    ):
        self.rows = rows
        self.bookmarked, self.request = bookmarked, request
        if count is not None:
            self.count = count  # sets the cached property
        if isinstance(object_list, QuerySet):
            if rows is None:
                self.rows = object_list
            object_list = ordered_to_the_row(object_list).values_list("pk", flat=True)
        super().__init__(object_list, per_page, **kwargs)

    def page(self, number):
        """Page ``number`` as ``Paginator.page`` slices it, a deep one from its bookmark."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids, place = self.object_list, bottom // BOOKMARK_EVERY * BOOKMARK_EVERY
        keys = self._sort_keys() if self.bookmarked and place else None
        mark = self._bookmark(keys, place) if keys else None
        if mark is not None:  # the page's rows, counted from the bookmark
            ids = ids.filter(_at_or_after(keys, mark))
            bottom, top = bottom - place, top - place
        return self._get_page(ids[bottom:top], number, self)

    def _sort_keys(self):
        """The ids' ordering as (field name, descending) pairs, or None when a key is not a
        field of the model's own (an expression, a relation, which orders by its model's
        ordering)."""
        if not isinstance(self.object_list, QuerySet):
            return None
        meta, keys = self.object_list.model._meta, []
        own = {field.name for field in meta.concrete_fields if not field.is_relation}
        for key in self.object_list.query.order_by:
            name = key.removeprefix("-") if isinstance(key, str) else ""
            if (meta.pk.name if name == "pk" else name) not in own:
                return None
            keys.append((name, key.startswith("-")))
        return keys

    def _bookmark(self, keys, place):
        """The sort keys of the row at ``place`` (a multiple of BOOKMARK_EVERY), once per
        version of the lists; None where it holds a NULL."""
        query = hashlib.sha256(str(self.object_list.query).encode()).hexdigest()

        def find():
            found = self.object_list.values_list(*(name for name, _ in keys))[place : place + 1]
            return next(iter(found), ())

        mark = per_version(f"bookmark:{query}:{place}", find, self.request)
        return mark if mark and None not in mark else None

    def _get_page(self, object_list, number, paginator):
        if self.rows is not None:
            object_list = rows_in_order(self.rows, list(object_list))
        return Page(object_list, number, paginator)


def _at_or_after(keys, mark):
    """The rows that sort at or after the one whose sort keys are ``mark``, in the ordering
    ``keys`` ((field name, descending) pairs, ending with the primary key): past the mark on
    the first key, or equal on it and past on the next, and so on; or equal on all."""
    equal, alternatives = {}, []
    for (name, descending), value in zip(keys, mark, strict=True):
        alternatives.append(Q(**equal, **{f"{name}__{'lt' if descending else 'gt'}": value}))
        equal[name] = value
    alternatives.append(Q(**equal))
    # The first key's bound alone, which the database can start an index scan at.
    first, descending = keys[0]
    bound = Q(**{f"{first}__{'lte' if descending else 'gte'}": mark[0]})
    return bound & reduce(or_, alternatives)


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
