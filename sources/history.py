"""How a change between two saved versions of a row reads to an editor. The admin's History
pages and the lost-edit message (``sources.concurrency``) show changes the same way: each
field by its label, choices by their display label ("In review", not ``in_review``), dates
as dates, empty as "—", and values whole, never cut mid-word.

Values are plain text: the template or message that shows them escapes them, once.
simple-history's own helper shortens long values ("…11 day[63 chars]ours.") and returns
them already escaped, which a message escapes a second time (``&#x27;``).

It lives here, in sources, because claims imports sources and never the reverse.
"""

import datetime

from django.utils import formats
from simple_history.template_utils import HistoricalRecordContextHelper

EMPTY = "—"


def readable(value):
    """One field's value as an editor reads it."""
    if isinstance(value, list):
        return ", ".join(readable(item) for item in value) or EMPTY
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return formats.localize(value)
    return str(value)


class ReadableChanges(HistoricalRecordContextHelper):
    """simple-history's context helper, with whole values and choices by their label; each
    change also keeps its field's name."""

    def context_for_delta_changes(self, delta):
        return [
            {"name": change.field, **shown}
            for change, shown in zip(
                delta.changes, super().context_for_delta_changes(delta), strict=True
            )
        ]

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if field.choices and not field.many_to_many:
            return dict(field.flatchoices).get(value, value)
        return super().prepare_delta_change_value(change, value)

    def stringify_delta_change_values(self, change, old, new):
        return readable(old), readable(new)


def changes_between(record, earlier):
    """[{"name", "field" (its label), "old", "new"}] for what changed from ``earlier`` to
    ``record``, two history rows of the same object."""
    delta = record.diff_against(earlier, foreign_keys_are_objs=True)
    return ReadableChanges(record.instance_type, record).context_for_delta_changes(delta)


def with_changes(records):
    """History rows of several objects of one model (a claim's evidence links), newest
    first, each with ``history_delta_changes`` against the version of the same object before
    it, as simple-history's admin gives an object's own rows."""
    pk = None
    previous = {}
    ordered = sorted(records, key=lambda record: (record.history_date, record.history_id))
    for record in ordered:
        pk = pk or record.instance_type._meta.pk.attname
        earlier = previous.get(getattr(record, pk))
        record.history_delta_changes = changes_between(record, earlier) if earlier else []
        previous[getattr(record, pk)] = record
    return ordered[::-1]
