"""Plain JSON values from rows: dates as ISO 8601 (times in UTC), no ORM objects past here."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from typing import Any

from flask import url_for
from sqlalchemy.orm import Session

from app.labels import CASE_TYPE_LABELS, TRIGGER_LABELS, state_label
from app.models import Case, CaseEvent, Unit, User
from workflows.permissions import can_view, event_shown


def iso(value: date | time | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    if isinstance(value, time):
        return value.isoformat(timespec="minutes")
    return value.isoformat()


def person_ref(user: User | None) -> dict[str, Any] | None:
    return None if user is None else {"id": user.id, "name": user.name}


def unit_json(unit: Unit, path: str | None = None) -> dict[str, Any]:
    """``path``: the unit's path if the caller has it (unit_tree.unit_paths, for a list of cases);
    Unit.path reads the units above one at a time."""
    return {"id": unit.id, "name": unit.name, "path": path or unit.path}


def case_link(session: Session, user: User, case: Case | None) -> dict[str, Any] | None:
    """Another case this one points to: which case it is and whether the caller may open it,
    never its content."""
    if case is None:
        return None
    return {
        "id": case.id,
        "reference": case.reference,
        "case_type": case.case_type,
        "url": url_for("api.case_detail", case_id=case.id),
        "may_open": can_view(session, user, case),
    }


def case_summary(case: Case, unit_paths: Mapping[int, str] | None = None) -> dict[str, Any]:
    """What a list shows: where the case is, nothing of its content."""
    return {
        "id": case.id,
        "reference": case.reference,
        "case_type": case.case_type,
        "case_type_label": str(CASE_TYPE_LABELS.get(case.case_type, case.case_type)),
        "state": case.state,
        "state_label": state_label(case.case_type, case.state),
        "version": case.version,
        "unit": unit_json(case.unit, (unit_paths or {}).get(case.unit_id)),
        "received_at": iso(case.received_at),
        "updated_at": iso(case.updated_at),
        "closed_at": iso(case.closed_at),
        "purged_at": iso(case.purged_at),
        "url": url_for("api.case_detail", case_id=case.id),
    }


def event_json(
    event: CaseEvent, sections: frozenset[str], case: Case, *, mark: bool = False
) -> dict[str, Any]:
    """``case`` is the case the row belongs to; ``mark`` names it in the row (a row of another
    case's history shown along with this one's). The row's data and comment are shown to those
    who see the section its step declares."""
    shown = event_shown(case, event.trigger, sections)
    out = {
        "id": event.id,
        "at": iso(event.at),
        "actor": {"id": event.actor_id, "name": event.actor_name},
        "actor_role": event.actor_role,
        "trigger": event.trigger,
        "trigger_label": str(TRIGGER_LABELS.get(event.trigger, event.trigger)),
        "from_state": event.from_state,
        "to_state": event.to_state,
        "data": event.data if shown else None,
        "comment": event.comment if shown else None,
        "redacted": not shown,
    }
    if mark:
        out.update(case_id=case.id, case_reference=case.reference)
    return out
