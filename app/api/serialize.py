"""Plain JSON values from rows: dates as ISO 8601 (times in UTC), no ORM objects past here."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from flask import url_for

from app.labels import CASE_TYPE_LABELS, TRIGGER_LABELS, state_label
from app.models import Case, CaseEvent, Unit, User


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


def unit_json(unit: Unit) -> dict[str, Any]:
    return {"id": unit.id, "name": unit.name, "path": unit.path}


def case_ref(case: Case | None) -> dict[str, Any] | None:
    if case is None:
        return None
    return {"id": case.id, "reference": case.reference,
            "url": url_for("api.case_detail", case_id=case.id)}


def case_summary(case: Case) -> dict[str, Any]:
    """What a list shows: where the case is, nothing of its content."""
    return {
        "id": case.id,
        "reference": case.reference,
        "case_type": case.case_type,
        "case_type_label": str(CASE_TYPE_LABELS.get(case.case_type, case.case_type)),
        "state": case.state,
        "state_label": state_label(case.case_type, case.state),
        "version": case.version,
        "unit": unit_json(case.unit),
        "received_at": iso(case.received_at),
        "updated_at": iso(case.updated_at),
        "closed_at": iso(case.closed_at),
        "url": url_for("api.case_detail", case_id=case.id),
    }


# Which section a history row belongs to: its data and comment are shown only to those who see
# that section. Unknown triggers fall to the investigation, which the fewest see.
EVENT_SECTIONS = {
    "submit": "report",
    "add_attachment": "report",
    "record_immediate_measures": "measures",
    "add_action": "actions",
    "update_action": "actions",
    "close": "feedback",
    "approve_filing": "decision",
    "decline_filing": "decision",
    "return_to_investigator": "decision",
    "record_filing": "filing",
    "record_ivo_response": "filing",
    "record_investigation_sent": "filing",
}


def event_json(event: CaseEvent, sections: frozenset[str]) -> dict[str, Any]:
    shown = EVENT_SECTIONS.get(event.trigger, "investigation") in sections
    return {
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
