"""Cases: report one, list those you may see, read one, read its history."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from app import db
from app.audit.access import record_read, record_reads
from app.models import CASE_TYPES, Case, CaseEvent
from app.routing import whole_number
from workflows.errors import NotAllowed
from workflows.intake import report_event
from workflows.permissions import can_view, visible_sections
from workflows.records import submit_report
from workflows.registry import flow_for, registered_types
from workflows.visibility import visible_cases

from . import bp
from .auth import caller
from .errors import invalid
from .payload import case_or_404, json_body
from .sections import case_json
from .serialize import case_summary, event_json

MAX_PER_PAGE = 100


@bp.post("/cases")
def create_case() -> tuple[Response, int, dict[str, str]]:
    """With ``case_type`` the report becomes that case; without it the reporter's plain answers
    (``affected``, ``harm``, ``report_kind``) decide, as in the UI — possibly two linked cases."""
    body = json_body()
    case_type = body.pop("case_type", None)
    if case_type is not None and case_type not in registered_types():
        raise invalid(
            _("Uppgifterna är inte kompletta eller felaktiga."),
            {"case_type": [_("Ärendetypen kan inte rapporteras här.")]},
        )
    session = db.session()
    user = caller()
    if case_type is not None:
        cases = [submit_report(session, user, body, case_type=case_type)]
    else:
        cases = report_event(session, user, body)
    location = url_for("api.case_detail", case_id=cases[0].id)
    payload = case_json(session, user, cases[0])
    payload["created"] = [
        {"id": c.id, "reference": c.reference, "case_type": c.case_type} for c in cases
    ]
    return jsonify(payload), 201, {"Location": location}


@bp.get("/cases")
def list_cases() -> Response:
    session = db.session()
    user = caller()
    page = _positive_int("page", 1)
    per_page = min(_positive_int("per_page", current_app.config["PAGE_SIZE"]), MAX_PER_PAGE)
    query = select(Case).where(visible_cases(session, user))
    types = request.args.getlist("type")
    if types:
        unknown = [t for t in types if t not in CASE_TYPES]
        if unknown:
            raise invalid(_("Okänt filter."), {"type": [_("Okänd ärendetyp.")]})
        query = query.where(Case.case_type.in_(types))
    states = request.args.getlist("state")
    if states:
        known = {s for t in registered_types() for s in flow_for(t).states}
        if any(s not in known for s in states):
            raise invalid(_("Okänt filter."), {"state": [_("Okänd status.")]})
        query = query.where(Case.state.in_(states))
    units = request.args.getlist("unit_id") or request.args.getlist("unit")
    if units:
        if not all(whole_number(u) for u in units):
            raise invalid(_("Okänt filter."), {"unit_id": [_("Ange enhetens id.")]})
        query = query.where(Case.unit_id.in_([int(u) for u in units]))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    cases = session.scalars(
        query.order_by(Case.received_at.desc(), Case.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    record_reads(user, cases)
    return jsonify(
        {
            "items": [case_summary(c) for c in cases],
            "page": page,
            "per_page": per_page,
            "total": total,
            "next": _page_url(page + 1, per_page) if page * per_page < total else None,
            "prev": _page_url(page - 1, per_page) if page > 1 else None,
        }
    )


def _positive_int(name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not whole_number(raw) or int(raw) < 1:
        raise invalid(_("Okänt filter."), {name: [_("Ange ett positivt heltal.")]})
    return int(raw)


def _page_url(page: int, per_page: int) -> str:
    args: dict[str, Any] = request.args.to_dict(flat=False)
    args.update(page=page, per_page=per_page)
    return url_for("api.list_cases", **args)


@bp.get("/cases/<int:case_id>")
def case_detail(case_id: int) -> Response:
    session = db.session()
    user = caller()
    case = case_or_404(case_id)
    if not can_view(session, user, case):
        raise NotAllowed(_("Du har inte behörighet att se ärendet."))
    return jsonify(case_json(session, user, case))


@bp.get("/cases/<int:case_id>/events")
def case_events(case_id: int) -> Response:
    """The case's history; a case created from another (reclassified, converted) carries the
    older cases' history before its own, each row marked with its case, as far as the caller may
    see each older case's history."""
    session = db.session()
    user = caller()
    case = case_or_404(case_id)
    if "history" not in visible_sections(session, user, case):
        raise NotAllowed(_("Du har inte behörighet att se ärendets historik."))
    items: list[dict[str, Any]] = []
    for shown in reversed(_history_chain(case)):
        sections = visible_sections(session, user, shown)
        if "history" not in sections:
            continue
        record_read(user, shown)
        events = session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == shown.id).order_by(CaseEvent.id)
        ).all()
        items += [event_json(e, sections, shown) for e in events]
    return jsonify({"case_id": case.id, "reference": case.reference, "items": items})


def _history_chain(case: Case) -> list[Case]:
    """The case and the cases it was created from, newest first."""
    chain = [case]
    while chain[-1].origin_case is not None and chain[-1].origin_case not in chain:
        chain.append(chain[-1].origin_case)
    return chain
