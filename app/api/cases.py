"""Cases: report one, list those you may see, read one, read its history."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Response, current_app, jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Integer, and_, literal, select, tuple_
from sqlalchemy.orm import Session, joinedload

from app import db
from app.audit.access import record_read, record_reads
from app.cases.queries import bounded_count
from app.models import CASE_TYPES, Case, CaseEvent, Unit
from app.models.unit_tree import unit_paths
from app.routing import MAX_ID, whole_number
from forms.report import ReportForm
from workflows.errors import NotAllowed
from workflows.intake import report_event
from workflows.permissions import can_view, visible_sections
from workflows.records import submit_report
from workflows.registry import flow_for, registered_types, reportable_types
from workflows.visibility import not_spam, visible_cases

from . import bp
from .auth import caller
from .errors import invalid
from .payload import case_or_404, checked_write, etag, fields_of, with_etag
from .sections import case_json
from .serialize import case_summary, event_json

MAX_PER_PAGE = 100
# A cursor is some sixty characters; anything much longer was not made here.
MAX_CURSOR = 200


@bp.post("/cases")
def create_case() -> tuple[Response, int, dict[str, str]]:
    """With ``case_type`` the report becomes that case; without it the reporter's plain answers
    (``affected``, ``harm``, ``report_kind``) decide, as in the UI — possibly two linked cases."""
    session = db.session()
    user = caller()
    with checked_write(None, fields_of(ReportForm, "case_type")) as body:
        case_type = body.pop("case_type", None)
        if case_type is not None and case_type not in reportable_types():
            raise invalid(
                _("Uppgifterna är inte kompletta eller felaktiga."),
                {"case_type": [_("Ärendetypen kan inte rapporteras här.")]},
            )
        if case_type is not None:
            cases = [submit_report(session, user, body, case_type=case_type)]
        else:
            cases = report_event(session, user, body)
    location = url_for("api.case_detail", case_id=cases[0].id)
    payload = case_json(session, user, cases[0])
    payload["created"] = [
        {"id": c.id, "reference": c.reference, "case_type": c.case_type} for c in cases
    ]
    return jsonify(payload), 201, {"Location": location, "ETag": etag(cases[0])}


@bp.get("/cases")
def list_cases() -> Response:
    """The cases the caller may see, newest first (by received_at, then id). ``next`` and
    ``prev`` link to the neighbouring pages with an opaque cursor (``after`` / ``before``), which
    reads as fast deep in a million cases as on the first page. ``page`` numbers still work
    as far as 10 000 cases deep (page × per_page); further on, follow ``next``. ``total``
    counts up to 1 000: when ``total_exact`` is false there are more than ``total``. ``page``
    is null in a page reached by a cursor."""
    session = db.session()
    user = caller()
    config = current_app.config
    per_page = min(_positive_int("per_page", config["PAGE_SIZE"]), MAX_PER_PAGE)
    at = _place(per_page, config["PAGE_DEPTH_LIMIT"])
    # A public submission marked as spam is kept, not listed (DOMAIN.md §3.5 rev. 2).
    where = and_(_filters(visible_cases(session, user)), not_spam())
    window = _window(session, where, per_page, at)
    total = bounded_count(session, select(Case.id).where(where), config["COUNT_LIMIT"])
    cases = window.cases
    record_reads(user, cases)
    paths = unit_paths(session, {c.unit_id for c in cases})
    if at.after is None and at.before is None:
        prev = _page_url(page=at.page - 1, per_page=per_page) if window.newer else None
    else:
        prev = _page_url(before=_cursor_of(cases[0]), per_page=per_page) if window.newer else None
    return jsonify(
        {
            "items": [case_summary(c, paths) for c in cases],
            "page": at.page if at.after is None and at.before is None else None,
            "per_page": per_page,
            "total": total.value,
            "total_exact": total.exact,
            "next": _page_url(after=_cursor_of(cases[-1]), per_page=per_page)
            if window.older
            else None,
            "prev": prev,
        }
    )


NEWEST_FIRST = (Case.received_at.desc(), Case.id.desc())
OLDEST_FIRST = (Case.received_at.asc(), Case.id.asc())


@dataclass(frozen=True)
class Place:
    """Where in the list a page starts: a page number, or after or before a cursor."""

    page: int = 1
    after: tuple[datetime, int] | None = None
    before: tuple[datetime, int] | None = None


@dataclass(frozen=True)
class Window:
    cases: list[Case]
    # Cases further on (older) and back (newer) than these, so next and prev lead somewhere.
    older: bool
    newer: bool


def _place(per_page: int, depth_limit: int) -> Place:
    after, before = _cursor("after"), _cursor("before")
    given = [name for name in ("page", "after", "before") if request.args.get(name)]
    if len(given) > 1:
        message = _("Ange bara en av page, after och before.")
        raise invalid(_("Okänt filter."), {name: [message] for name in given})
    page = _positive_int("page", 1)
    if (page - 1) * per_page >= depth_limit:
        message = _(
            "Sidnumren räcker %(depth)d ärenden in; bläddra vidare med länken next.",
            depth=depth_limit,
        )
        raise invalid(_("Okänt filter."), {"page": [message]})
    return Place(page, after, before)


def _window(session: Session, where: ColumnElement[bool], per_page: int, at: Place) -> Window:
    """One row more than a page is read, to know whether there is a page after it."""
    position = tuple_(Case.received_at, Case.id)
    # The list names each case's unit (joined) and its path (unit_paths), not its managers.
    query = (
        select(Case)
        .where(where)
        .options(joinedload(Case.unit).lazyload(Unit.managers))
        .limit(per_page + 1)
    )
    if at.after is not None:
        query = query.where(position < _position(at.after)).order_by(*NEWEST_FIRST)
    elif at.before is not None:
        query = query.where(position > _position(at.before)).order_by(*OLDEST_FIRST)
    else:
        query = query.order_by(*NEWEST_FIRST).offset((at.page - 1) * per_page)
    rows = list(session.scalars(query))
    more = len(rows) > per_page
    cases = rows[:per_page]
    if at.before is not None:
        return Window(cases[::-1], older=bool(cases), newer=more)
    if at.after is not None:
        # A cursor's prev link starts from the page's first case: none, no link.
        return Window(cases, older=more, newer=bool(cases))
    return Window(cases, older=more, newer=at.page > 1)


def _filters(where: ColumnElement[bool]) -> ColumnElement[bool]:
    types = request.args.getlist("type")
    if types:
        unknown = [t for t in types if t not in CASE_TYPES]
        if unknown:
            raise invalid(_("Okänt filter."), {"type": [_("Okänd ärendetyp.")]})
        where = and_(where, Case.case_type.in_(types))
    states = request.args.getlist("state")
    if states:
        known = {s for t in registered_types() for s in flow_for(t).states}
        if any(s not in known for s in states):
            raise invalid(_("Okänt filter."), {"state": [_("Okänd status.")]})
        where = and_(where, Case.state.in_(states))
    units = request.args.getlist("unit_id") or request.args.getlist("unit")
    if units:
        if not all(whole_number(u) for u in units):
            raise invalid(_("Okänt filter."), {"unit_id": [_("Ange enhetens id.")]})
        where = and_(where, Case.unit_id.in_([int(u) for u in units]))
    return where


def _positive_int(name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not whole_number(raw) or int(raw) < 1:
        raise invalid(_("Okänt filter."), {name: [_("Ange ett positivt heltal.")]})
    return int(raw)


def _cursor_of(case: Case) -> str:
    """Where a case stands in the list, opaque to the client: base64 of its received_at and id."""
    raw = json.dumps([case.received_at.astimezone(UTC).isoformat(), case.id])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _cursor(name: str) -> tuple[datetime, int] | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        if len(raw) > MAX_CURSOR:
            raise ValueError(raw)
        moment, case_id = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        at = datetime.fromisoformat(moment)
        if at.tzinfo is None or type(case_id) is not int or not 0 <= case_id <= MAX_ID:
            raise ValueError(raw)
    except (ValueError, TypeError, UnicodeError, binascii.Error):
        raise invalid(
            _("Okänt filter."), {name: [_("Ogiltig position; använd länkarna next och prev.")]}
        ) from None
    return at, case_id


def _position(cursor: tuple[datetime, int]) -> ColumnElement[Any]:
    at, case_id = cursor
    return tuple_(literal(at, Case.received_at.type), literal(case_id, Integer))


def _page_url(**given: Any) -> str:
    args: dict[str, Any] = request.args.to_dict(flat=False)
    for name in ("page", "after", "before"):
        args.pop(name, None)
    args.update(given)
    return url_for("api.list_cases", **args)


@bp.get("/cases/<int:case_id>")
def case_detail(case_id: int) -> Response:
    session = db.session()
    user = caller()
    case = case_or_404(case_id)
    if not can_view(session, user, case):
        raise NotAllowed(_("Du har inte behörighet att se ärendet."))
    return with_etag(jsonify(case_json(session, user, case)), case)


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
        items += [event_json(e, sections, shown, mark=True) for e in events]
    return jsonify({"case_id": case.id, "reference": case.reference, "items": items})


def _history_chain(case: Case) -> list[Case]:
    """The case and the cases it was created from, newest first."""
    chain = [case]
    while chain[-1].origin_case is not None and chain[-1].origin_case not in chain:
        chain.append(chain[-1].origin_case)
    return chain
