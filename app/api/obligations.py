"""Obligations a case shows while they are open.

Early filing (DOMAIN.md §3.1 rev. 2): the investigation follows the filing and must reach IVO no
later than two months after the filing. When that is, the ``investigation_to_ivo`` deadline row
says (opened by record_filing under the policy in force then): it is read here, never computed
again, so the API, the case page and the sweep cannot disagree. Until the filing is recorded there
is no row and no date yet. Lex Maria (§3.2): a medical device involved means a separate report to
Läkemedelsverket, without a fixed date.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from app.models import Case
from workflows.deadlines import open_deadline_for
from workflows.registry import flow_for, registered_types

from .serialize import iso


def open_obligations(
    session: Session, case: Case, now: datetime | None = None
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    is_open = (
        case.case_type in registered_types() and case.state not in flow_for(case.case_type).final
    )
    if case.early_filing and case.investigation_sent_to_ivo_on is None and is_open:
        deadline = open_deadline_for(session, case, "investigation_to_ivo")
        out.append(
            {
                "kind": "investigation_to_ivo",
                "due_at": iso(deadline.due_at) if deadline is not None else None,
                "overdue": deadline is not None
                and (deadline.status != "open" or (now or datetime.now(UTC)) > deadline.due_at),
            }
        )
    if (
        case.case_type == "lex_maria"
        and case.medical_device
        and case.medical_device_reported_on is None
        and is_open
    ):
        out.append({"kind": "medical_device_report", "due_at": None, "overdue": False})
    return out
