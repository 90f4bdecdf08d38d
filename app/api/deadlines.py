"""A case's deadlines: what is due when, under which rule and on what basis (DOMAIN.md §4)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Response, jsonify
from flask_babel import gettext as _

from app import db
from app.audit.access import record_read
from app.deadline_labels import (
    BASIS_KIND_LABELS,
    DEADLINE_LABELS,
    DEADLINE_STATUS_LABELS,
    RESPONSIBLE_LABELS,
)
from app.models import Deadline
from workflows import workdays
from workflows.deadlines import case_deadlines, overdue_case_ids
from workflows.errors import NotAllowed
from workflows.permissions import visible_sections

from . import bp
from .auth import caller
from .payload import case_or_404
from .serialize import iso, person_ref


@bp.get("/cases/<int:case_id>/deadlines")
def case_deadlines_view(case_id: int) -> Response:
    session = db.session()
    user = caller()
    case = case_or_404(case_id)
    sections = visible_sections(session, user, case)
    if "status" not in sections:
        raise NotAllowed(_("Du har inte behörighet att se ärendets tidsfrister."))
    record_read(user, case)
    now = workdays.now()
    # Who handles the case is shown to those who follow its handling, not to the reporter.
    named = "history" in sections
    return jsonify(
        {
            "case_id": case.id,
            "reference": case.reference,
            "overdue": bool(overdue_case_ids(session, [case.id])),
            "items": [deadline_json(d, now, named) for d in case_deadlines(session, case)],
        }
    )


def deadline_json(deadline: Deadline, now: datetime, named: bool) -> dict[str, Any]:
    rule = deadline.rule
    role = deadline.responsible_role
    return {
        "id": deadline.id,
        "kind": deadline.key,
        "kind_label": str(DEADLINE_LABELS.get(deadline.key, deadline.key)),
        "start_at": iso(deadline.start_at),
        "due_at": iso(deadline.due_at),
        "status": deadline.status,
        "status_label": str(DEADLINE_STATUS_LABELS[deadline.status]),
        "status_reason": deadline.status_reason or None,
        "met_at": iso(deadline.met_at),
        "overdue": deadline.is_open and deadline.due_at <= now,
        "late": deadline.late,
        "escalation_level": deadline.escalation_level,
        "action_id": deadline.action_id,
        "responsible": {
            "role": role,
            "role_label": str(RESPONSIBLE_LABELS.get(role, role)),
            "user": person_ref(deadline.responsible_user) if named else None,
        },
        "rule": {
            "version": rule.policy.version,
            "duration": {"value": rule.duration_value, "unit": rule.duration_unit},
            "legal_basis": rule.legal_basis,
            "basis_kind": rule.basis_kind,
            "basis_kind_label": str(BASIS_KIND_LABELS[rule.basis_kind]),
        },
    }
