"""/logg/administrativ: the administrative trail for the log reviewer (DOMAIN.md §2 rev. 2) —
who changed whose roles, led units or account, and the deadline policy, settings, thresholds
and categories; before, after and the reason given. Read only: the trail is on its own hash
chain (app/audit/admin_trail.py) and `flask audit verify` checks it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, func, select, true
from sqlalchemy.orm import Session

from app import db
from app.labels import ROLE_LABELS
from app.models import AdminEvent
from forms.admin_log import AdminLogForm
from forms.base import options

from . import bp
from .period import end_of, start_of
from .queries import user_choices

KIND_LABELS = {
    "roles": _l("Roller"),
    "units": _l("Leder enheterna"),
    "active": _l("Kontot aktivt"),
    "setting": _l("Inställning"),
    "threshold": _l("Tröskelvärde för eskalering"),
    "category": _l("Kategori"),
    "deadline_policy": _l("Tidsfristregler"),
    "group_mapping": _l("Grupp och roll"),
}


@dataclass(frozen=True)
class Filters:
    user_id: int | None = None
    kind: str = ""
    first: date | None = None
    last: date | None = None

    def args(self) -> dict[str, Any]:
        pairs = {
            "anvandare": self.user_id,
            "typ": self.kind,
            "fran": self.first.isoformat() if self.first else None,
            "till": self.last.isoformat() if self.last else None,
        }
        return {k: v for k, v in pairs.items() if v}


@dataclass(frozen=True)
class TrailRow:
    seq: int
    at: datetime
    actor: str
    kind: str
    target: str
    before: str
    after: str
    reason: str


@dataclass
class TrailPage:
    rows: list[TrailRow]
    total: int
    page: int
    pages: int


def describe(kind: str, values: dict[str, Any]) -> str:
    """A before or after in words: roles by their names, units by theirs, the rest as
    ``name: value``."""
    if not values:
        return "–"
    if kind == "roles":
        return ", ".join(str(ROLE_LABELS.get(r, r)) for r in values.get("roles", [])) or _("inga")
    if kind == "units":
        return ", ".join(values.get("units", [])) or _("inga")
    if kind == "active":
        return _("aktivt") if values.get("active") else _("inaktiverat")
    if kind == "group_mapping":
        role = str(ROLE_LABELS.get(values.get("role", ""), values.get("role", "")))
        unit = values.get("unit") or ""
        return f"{values.get('group', '')} → {role}" + (f" ({unit})" if unit else "")
    if set(values) == {"value"}:
        return _value(values["value"])
    return "; ".join(f"{name}: {_value(value)}" for name, value in values.items())


def _value(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value) or "–"
    return str(value)


def _where(f: Filters) -> ColumnElement[bool]:
    clauses: list[ColumnElement[bool]] = [true()]
    if f.user_id is not None:
        clauses.append(and_(AdminEvent.target_type == "user", AdminEvent.target_id == f.user_id))
    if f.kind:
        clauses.append(AdminEvent.kind == f.kind)
    if f.first:
        clauses.append(AdminEvent.at >= start_of(f.first))
    if f.last:
        clauses.append(AdminEvent.at < end_of(f.last))
    return and_(*clauses)


def search(session: Session, f: Filters, page: int, page_size: int) -> TrailPage:
    where = _where(f)
    total = int(session.scalar(select(func.count(AdminEvent.id)).where(where)) or 0)
    pages = max(1, -(-total // page_size))
    page = min(max(page, 1), pages)
    found = session.scalars(
        select(AdminEvent)
        .where(where)
        .order_by(AdminEvent.chain_seq.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    rows = [
        TrailRow(
            e.chain_seq,
            e.at,
            e.actor_name,
            str(KIND_LABELS.get(e.kind, e.kind)),
            e.target_label,
            describe(e.kind, e.before),
            describe(e.kind, e.after),
            e.reason,
        )
        for e in found
    ]
    return TrailPage(rows, total, page, pages)


@bp.get("/administrativ")
def admin_log() -> str | tuple[str, int]:
    session = db.session()
    form = AdminLogForm(formdata=request.args, meta={"csrf": False})
    form.anvandare.choices = options([("", _("Alla användare")), *user_choices(session)])
    form.typ.choices = options([("", _("Alla ändringar")), *KIND_LABELS.items()])
    if not form.validate():
        return render_template(
            "logreview/admin_log.html", form=form, result=None, filters=None
        ), 422
    d = form.data
    filters = Filters(
        user_id=int(d["anvandare"]) if d["anvandare"] else None,
        kind=d["typ"] or "",
        first=d["fran"],
        last=d["till"],
    )
    try:
        page = int(request.args.get("sida", "1"))
    except ValueError:
        page = 1
    result = search(session, filters, page, current_app.config["PAGE_SIZE"])
    return render_template("logreview/admin_log.html", form=form, result=result, filters=filters)
