"""What the administrator changes: each operation checks the role, validates through the form
class, changes rows, records the change in the administrative trail and flushes; the request
commits."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from app.audit.admin_trail import record
from app.models import Category, User, get_setting, set_setting
from forms.admin import SETTING_KEYS, CategoryForm, SettingsForm
from workflows.engine import validate_form
from workflows.errors import InvalidData, NotAllowed

from .versions import check_unchanged

Data = Mapping[str, Any] | MultiDict[str, Any] | None


def require_admin(actor: User) -> None:
    if not actor.is_active or not actor.has_role("admin"):
        raise NotAllowed(_("Endast systemförvaltaren kan ändra inställningarna."))


def categories(session: Session) -> list[Category]:
    return list(session.scalars(select(Category).order_by(Category.sort_order, Category.name)))


def category_values(category: Category) -> dict[str, Any]:
    """A category as its form's data."""
    return {
        "name": category.name,
        "always_escalate": category.always_escalate,
        "escalate_to": category.escalate_to or "",
        "police_report": category.police_report,
        "active": category.active,
        "sort_order": category.sort_order,
    }


def add_category(session: Session, actor: User, data: Data) -> Category:
    require_admin(actor)
    category = Category()
    _apply(session, category, data)
    session.add(category)
    session.flush()
    _record_category(session, category, {}, category_values(category))
    return category


def update_category(session: Session, actor: User, category: Category, data: Data) -> Category:
    require_admin(actor)
    check_unchanged(data, category_values(category))
    before = category_values(category)
    _apply(session, category, data)
    session.flush()
    _record_category(session, category, before, category_values(category))
    return category


def set_category_active(
    session: Session, actor: User, category: Category, active: bool
) -> Category:
    """Categories are switched off, never deleted: assessed deviations keep pointing to them."""
    require_admin(actor)
    before = category_values(category)
    category.active = active
    _record_category(session, category, before, category_values(category))
    session.flush()
    return category


def _record_category(
    session: Session, category: Category, before: dict[str, Any], after: dict[str, Any]
) -> None:
    changed = {k for k in after if before.get(k) != after[k]}
    if changed:
        record(
            session,
            "category",
            "category",
            category.id,
            category.name,
            {k: before[k] for k in sorted(changed) if k in before},
            {k: after[k] for k in sorted(changed)},
        )


def _apply(session: Session, category: Category, data: Data) -> None:
    form = validate_form(CategoryForm, data)
    d = form.data
    name = d["name"].strip()
    # Compared in Python: SQLite's lower() leaves Å, Ä and Ö alone.
    taken = {c.name.casefold() for c in session.scalars(select(Category)) if c is not category}
    if name.casefold() in taken:
        raise InvalidData(
            _("Uppgifterna är inte kompletta eller felaktiga."),
            {"name": [_("Det finns redan en kategori med det namnet.")]},
        )
    category.name = name
    category.always_escalate = bool(d["always_escalate"])
    category.escalate_to = (d["escalate_to"] or None) if category.always_escalate else None
    category.police_report = bool(d["police_report"])
    category.active = bool(d["active"])
    category.sort_order = d["sort_order"] or 0


def current_settings(session: Session) -> dict[str, Any]:
    """The settings as the settings form's data."""
    return {field: get_setting(session, key) for field, key in SETTING_KEYS.items()}


def save_settings(session: Session, actor: User, data: Data) -> dict[str, Any]:
    """Stores every setting; returns those that changed, as {key: (old, new)}."""
    require_admin(actor)
    check_unchanged(data, current_settings(session))
    form = validate_form(SettingsForm, data)
    changed = {}
    for field, key in SETTING_KEYS.items():
        old, new = get_setting(session, key), form.data[field]
        if old != new:
            set_setting(session, key, new)
            changed[key] = (old, new)
            # The risk matrix's escalation thresholds (DOMAIN.md §5) are settings by storage,
            # thresholds by meaning: the trail names them so.
            kind = "threshold" if key.startswith("escalation.") else "setting"
            record(session, kind, "setting", None, key, {"value": old}, {"value": new})
    session.flush()
    return changed
