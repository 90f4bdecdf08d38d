"""Input the database cannot store, refused in one place (workflows.engine.validate_form) for
every form, whether posted by a browser or sent as JSON.

PostgreSQL refuses NUL in text and SQLite takes it, so without this check the same report would
be a 500 on one and stored on the other. A lone surrogate (JSON allows one, UTF-8 does not) fails
on both. The other control characters are no text a person types and break documents and mail,
so they go too; tab, newline and carriage return are text. Integers outside 64 bits overflow
SQLite's binding.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
CHARACTERS = _l(
    "Texten innehåller tecken som inte kan sparas (till exempel styrtecken). "
    "Ta bort dem och försök igen."
)
OUT_OF_RANGE = _l("Talet är för stort eller för litet.")
INT_RANGE = (-(2**31), 2**31 - 1)


def has_forbidden(text: str) -> bool:
    return FORBIDDEN.search(text) is not None


def storable_errors(form: Any) -> dict[str, Any]:
    """Field errors, in WTForms' shape (lists of entries for a FieldList), for every field whose
    input cannot be stored; empty when all can."""
    errors: dict[str, Any] = {}
    for name, field in form._fields.items():
        if field.type == "FieldList":
            entries = [_entry_errors(entry) for entry in field.entries]
            if any(entries):
                errors[name] = entries
        elif field.type == "FormField":
            nested = storable_errors(field.form)
            if nested:
                errors[name] = nested
        else:
            message = _field_error(field)
            if message is not None:
                errors[name] = [message]
    return errors


def _entry_errors(entry: Any) -> Any:
    if hasattr(entry, "form"):
        return storable_errors(entry.form)
    message = _field_error(entry)
    return [message] if message is not None else []


def _field_error(field: Any) -> Any:
    raw = field.raw_data or []
    if any(isinstance(value, str) and has_forbidden(value) for value in raw):
        return CHARACTERS
    data = field.data
    if isinstance(data, int) and not isinstance(data, bool):
        low, high = INT_RANGE
        if not low <= data <= high:
            return OUT_OF_RANGE
    return None


class StorableForm:
    """For a form a view validates itself rather than through validate_form (the login, the
    log search): put first among the bases, ``class LoginForm(StorableForm, AppForm)``."""

    def validate(self, extra_validators: Any = None) -> bool:
        refused = storable_errors(self)
        if not refused:
            return bool(super().validate(extra_validators))  # type: ignore[misc]
        # Not validated further: a validator might hand the value to the database.
        for name, field in self._fields.items():  # type: ignore[attr-defined]
            field.errors = list(refused.get(name, []))
        self._errors = None  # WTForms caches form.errors
        return False
