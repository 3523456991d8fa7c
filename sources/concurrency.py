"""No lost edits: optimistic locking for the rows editors work on together.

Claims, evidence and sources carry a ``version`` that every save increments. Whoever saves
says which version they started from (the admin form's hidden ``loaded_version``, the API's
``If-Match``), and the save goes through only if that is still the stored version. The check
is one ``UPDATE … SET version = version + 1 WHERE pk = … AND version = …`` in the save's own
transaction, so of two saves racing each other the database lets exactly one through; the
other raises ``EditConflict`` instead of overwriting.

It lives here, in sources, because claims imports sources and never the reverse: both apps'
models and admins use this one module.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import F

from sources.history import changes_between


class EditConflict(Exception):
    """Someone saved the row after the version this save started from."""

    def __init__(self, row, loaded_version):
        self.row = row
        self.loaded_version = loaded_version
        super().__init__(
            f"{row._meta.verbose_name} {row.pk} was saved by someone else after version "
            f"{loaded_version}."
        )


class Versioned(models.Model):
    """A row that refuses a save based on an outdated version (see the module docstring).
    Workflow steps that save some fields (``save(update_fields=…)``) are checked and counted
    the same way."""

    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Incremented by every save; a save based on an older version is refused.",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding or kwargs.get("force_insert"):
            return super().save(*args, **kwargs)
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            claimed = (
                type(self)
                ._base_manager.using(using)
                .filter(pk=self.pk, version=self.version)
                .update(version=F("version") + 1)
            )
            if not claimed:
                raise EditConflict(self, self.version)
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
            return super().save(*args, **kwargs)


def changes_since(row, version):
    """What was changed in ``row`` after ``version``: the newest saved version's history
    compared with the history of ``version``. Returns ``(who, [(field name, label, value
    now)])``, each value whole and readable (``sources.history``); the list is empty when
    ``version`` has no history row to compare with."""
    newest = row.history.first()
    seen = row.history.filter(version=version).first()
    if newest is None or seen is None:
        return (newest.history_user if newest else None), []
    # The fields an editor can change (simple-history diffs editable fields only).
    return newest.history_user, [
        (change["name"], change["field"], change["new"]) for change in changes_between(newest, seen)
    ]


def conflict_messages(row, loaded_version):
    """What an editor whose save was refused needs to know: that their input is kept, who
    saved in between, and each field as it is now."""
    who, changes = changes_since(row, loaded_version)
    name = row._meta.verbose_name
    by = f" ({who})" if who else ""
    return [
        f"Someone else{by} saved this {name} while you were editing it. Your changes are not "
        f"saved yet, and they are still in the form below. Compare them with what changed "
        f"meanwhile, then save again to replace the other version with yours.",
        *(f"{label} is now: {value}" for _, label, value in changes),
    ]


class VersionedForm(forms.ModelForm):
    """A model form that carries the version it was loaded with, and on a save based on an
    older version shows what changed meanwhile instead of saving. The editor's input stays
    on the form; the hidden version moves on to the current one, so saving again is a
    deliberate overwrite."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        if self.instance.pk is None:
            return data
        loaded, current = data.get("loaded_version"), self.instance.version
        if loaded != current:
            self.data = self.data.copy()
            self.data[self.add_prefix("loaded_version")] = current
            raise ValidationError(conflict_messages(self.instance, loaded), code="conflict")
        # The save is checked against the version the editor started from.
        self.instance.version = loaded
        return data
