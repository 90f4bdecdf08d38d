"""Obligations a case shows while they are open.

Early filing (DOMAIN.md §3.1): the investigation follows the filing and must reach IVO no later
than two months after the report was received (Socialstyrelsen's guidance). Lex Maria (§3.2): a
medical device involved means a separate report to Läkemedelsverket, without a fixed date.
"""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from app.models import Case
from workflows.registry import flow_for, registered_types

from .serialize import iso

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def add_months(moment: datetime, months: int) -> datetime:
    """Calendar months in Swedish time; the 31st falls back to the month's last day."""
    local = moment.astimezone(STOCKHOLM)
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day).astimezone(UTC)


def open_obligations(case: Case, now: datetime | None = None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    is_open = (
        case.case_type in registered_types() and case.state not in flow_for(case.case_type).final
    )
    if case.early_filing and case.investigation_sent_to_ivo_on is None and is_open:
        due = add_months(case.received_at, 2)
        out.append(
            {
                "kind": "investigation_to_ivo",
                "due_at": iso(due),
                "overdue": (now or datetime.now(UTC)) > due,
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
