"""When a deadline falls due, and the acts the sweep performs around it.

Pure functions of a rule and two times, so that the same deadline always yields the same plan:
the sweep recomputes it instead of storing a schedule, and a rule's later version cannot change
the plan of a deadline created under an earlier one (the deadline keeps its rule).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.models import DeadlineRule

from . import workdays

MAX_REMINDERS = 2
_OFFSET = re.compile(r"^(\d{1,3})(h|d|wd)$")


@dataclass(frozen=True)
class Planned:
    act: str
    at: datetime


def valid_reminder(spec: str) -> bool:
    return spec == "half" or _OFFSET.match(spec) is not None


def due_time(
    rule: DeadlineRule,
    start: datetime,
    *,
    own_date: date | None = None,
    cap: datetime | None = None,
) -> datetime:
    if rule.duration_unit == "own_date":
        if own_date is None:
            raise ValueError(f"{rule.key}: a deadline on its own date needs the date")
        due = workdays.end_of_day(own_date)
    else:
        due = workdays.add(start, rule.duration_value, rule.duration_unit)
    # "7 days, never later than two months after the report": the earlier limit wins.
    return min(due, cap) if cap is not None else due


def reminder_at(spec: str, rule: DeadlineRule, start: datetime, due: datetime) -> datetime | None:
    if spec == "half":
        n = rule.duration_value
        if rule.duration_unit == "working_days" and n >= 2:
            # Halfway in working days, so a reminder never lands on a weekend.
            return workdays.add_working_days(start, n // 2)
        return start + (due - start) / 2
    match = _OFFSET.match(spec)
    if match is None:
        return None
    value, unit = int(match.group(1)), match.group(2)
    if unit == "h":
        return due - timedelta(hours=value)
    if unit == "d":
        return workdays.add_calendar_days(due, -value)
    return workdays.add_working_days(due, -value)


def plan(rule: DeadlineRule, start: datetime, due: datetime) -> list[Planned]:
    """Reminders strictly between start and due (at most two, the same moment once), then
    overdue and the first escalation at the due time, the second escalation after its delay."""
    times = sorted(
        {
            at
            for spec in rule.reminders
            if (at := reminder_at(spec, rule, start, due)) is not None and start < at < due
        }
    )
    acts = [Planned(f"reminder_{i}", at) for i, at in enumerate(times[:MAX_REMINDERS], start=1)]
    acts += [Planned("overdue", due), Planned("escalation_1", due)]
    if rule.second_escalation_target is not None:
        later = workdays.add(due, rule.second_escalation_after, rule.second_escalation_unit)
        acts.append(Planned("escalation_2", later))
    return acts


def next_action_at(planned: list[Planned], done: set[str]) -> datetime | None:
    return min((p.at for p in planned if p.act not in done), default=None)
