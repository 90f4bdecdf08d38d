"""Jinja filters and globals: Swedish dates in Europe/Stockholm, labels for contract names, and
the bits every form needs to tie its errors and hints to its fields."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, datetime
from typing import Any

from flask import Flask
from flask_babel import format_date, format_datetime, get_locale, gettext
from flask_babel import lazy_gettext as _l
from wtforms import Field, Form

from . import labels
from .deadline_labels import DEADLINE_LABELS, NOTIFICATION_KIND_LABELS

# The outcome stored on a decision, said as what was decided.
DECISION_OUTCOME_LABELS = {
    "approve_filing": _l("Anmäls till IVO"),
    "decline_filing": _l("Anmäls inte till IVO"),
    "return_to_investigator": _l("Återsänd till utredaren"),
}


def register(app: Flask) -> None:
    @app.template_filter("dt")
    def _datetime(value: datetime | None, fmt: str = "yyyy-MM-dd HH:mm") -> str:
        return format_datetime(value, fmt) if value else ""

    @app.template_filter("due")
    def _due(value: datetime | None) -> str:
        """A due time as Swedes say it: 'måndag 7 december 2026 kl. 09:00', in Swedish time
        (in English: 'Monday 7 December 2026 at 09:00')."""
        if not value:
            return ""
        return gettext(
            "%(date)s kl. %(time)s",
            date=format_datetime(value, "EEEE d MMMM y"),
            time=format_datetime(value, "HH:mm"),
        )

    @app.context_processor
    def _waiting() -> dict[str, Any]:
        """The menu's "Att göra (3)": the cases Att göra lists, weighed once per request
        (cases.waiting) and only when a page draws the menu."""

        def waiting_count() -> Any:
            from flask_login import current_user

            if not current_user or not current_user.is_authenticated:
                return None
            from . import db
            from .cases.waiting import waiting_count as count

            return count(db.session(), current_user)

        return {"waiting_count": waiting_count}

    @app.template_filter("d")
    def _date(value: date | None) -> str:
        return format_date(value, "yyyy-MM-dd") if value else ""

    @app.template_filter("stored")
    def _stored(value: str | None) -> str:
        """A fixed text the workflow stored in Swedish (a waived deadline's reason, marked with
        N_ in workflows/deadlines.py), in the reader's language; any other text as it is."""
        return gettext(value) if value else ""

    @app.template_filter("labelled")
    def _labelled(values: list[str] | None, mapping: Mapping[str, Any]) -> str:
        return ", ".join(str(mapping.get(v, v)) for v in values or [])

    @app.template_filter("iso_dt")
    def _iso_datetime(value: str | None) -> str:
        """A time stamp kept as ISO text in JSON (who wrote an investigation item, and when)."""
        if not value:
            return ""
        try:
            return format_datetime(datetime.fromisoformat(value), "yyyy-MM-dd HH:mm")
        except ValueError:
            return value

    # Globals rather than a context processor, so that imported form macros see them too.
    app.jinja_env.globals.update(
        L=labels,
        L_DEADLINES=DEADLINE_LABELS,
        L_NOTIFICATIONS=NOTIFICATION_KIND_LABELS,
        state_label=labels.state_label,
        DECISION_OUTCOME_LABELS=DECISION_OUTCOME_LABELS,
        aria=aria,
        error_list=error_list,
        # <html lang>: the language the page is in, for screen readers and hyphenation.
        get_locale=get_locale,
    )


def aria(field: Field, **extra: str) -> dict[str, str]:
    """aria-describedby/aria-invalid for a field whose hint and error ids the form macro writes,
    plus any other attributes the page passes on."""
    ids = []
    if field.description:
        ids.append(f"{field.id}-hint")
    if field.errors:
        ids.append(f"{field.id}-error")
    attrs = {"aria-describedby": " ".join(ids)} if ids else {}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return {**extra, **attrs}


def _leaf_fields(form: Form) -> Iterator[Field]:
    for field in form:
        if field.type == "FieldList":
            for entry in field.entries:
                if hasattr(entry, "form"):
                    yield from _leaf_fields(entry.form)
                else:
                    yield entry
        elif field.type == "FormField":
            yield from _leaf_fields(field.form)
        elif field.type != "CSRFTokenField":
            yield field


def error_list(form: Form | None) -> list[tuple[str, str]]:
    """(field id, text) for an error summary that links to each field."""
    if form is None:
        return []
    return [
        (field.id, f"{field.label.text}: {message}")
        for field in _leaf_fields(form)
        for message in field.errors
    ]


def apply_errors(form: Form, errors: Mapping[str, Any]) -> list[str]:
    """Puts an operation's field errors on the fields of the form shown again; returns the
    messages that belong to no field (a missing prerequisite of the case, say)."""
    leftover: list[str] = []
    for name, messages in errors.items():
        field = form._fields.get(name)  # noqa: SLF001  (WTForms has no public lookup by short name)
        if field is None:
            leftover.extend(flatten_errors(messages))
        elif field.type == "FieldList" and isinstance(messages, list):
            for entry, entry_errors in zip(field.entries, messages, strict=False):
                if isinstance(entry_errors, Mapping) and hasattr(entry, "form"):
                    leftover.extend(apply_errors(entry.form, entry_errors))
        elif isinstance(messages, Mapping) and hasattr(field, "form"):
            leftover.extend(apply_errors(field.form, messages))
        else:
            field.errors = [str(m) for m in flatten_errors(messages)]
    return leftover


def flatten_errors(messages: Any) -> list[str]:
    if isinstance(messages, Mapping):
        return [m for value in messages.values() for m in flatten_errors(value)]
    if isinstance(messages, list | tuple):
        return [m for value in messages for m in flatten_errors(value)]
    return [str(messages)]
