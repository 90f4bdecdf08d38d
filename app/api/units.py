"""GET /api/v1/units: the organisation a report names its unit in (``unit_id``), for clients
that report or read the statistics per unit. Names and places only, no case content, so any
token holder may read it."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app import db
from app.models import Unit
from app.models.unit_tree import unit_paths
from app.routing import MAX_ID, whole_number

from . import bp
from .errors import invalid

MAX_PER_PAGE = 100


@bp.get("/units")
def list_units() -> Response:
    """Every unit (inactive ones too, marked), by id, a page at a time: ``next`` links to the
    units after the last one here (``after``, a unit id), and is null on the last page.
    ``active=true`` keeps the units a report may name now."""
    session = db.session()
    per_page = min(_positive("per_page", current_app.config["PAGE_SIZE"]), MAX_PER_PAGE)
    after = _positive("after", 0, minimum=0)
    active = request.args.get("active")
    if active not in (None, "true", "false"):
        raise invalid(_("Okänt filter."), {"active": [_("Ange true eller false.")]})
    query = select(Unit).where(Unit.id > after).order_by(Unit.id).limit(per_page + 1)
    if active is not None:
        query = query.where(Unit.active.is_(active == "true"))
    rows = list(session.scalars(query))
    units = rows[:per_page]
    paths = unit_paths(session, {u.id for u in units})
    more = len(rows) > per_page
    args: dict[str, Any] = {"per_page": per_page}
    if active is not None:
        args["active"] = active
    return jsonify(
        {
            "items": [unit_json(u, paths.get(u.id, u.name)) for u in units],
            "per_page": per_page,
            "next": url_for("api.list_units", after=units[-1].id, **args) if more else None,
        }
    )


def unit_json(unit: Unit, path: str) -> dict[str, Any]:
    return {
        "id": unit.id,
        "name": unit.name,
        "kind": unit.kind,
        "parent_id": unit.parent_id,
        "path": path,
        "legal_areas": unit.legal_areas,
        "active": unit.active,
    }


def _positive(name: str, default: int, minimum: int = 1) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not whole_number(raw) or not minimum <= int(raw) <= MAX_ID:
        raise invalid(_("Okänt filter."), {name: [_("Ange ett positivt heltal.")]})
    return int(raw)
