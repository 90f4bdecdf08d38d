"""The clock as the pages show it (DOMAIN.md §4, §6): each deadline in words, the deadline that
puts a case first in someone's Att göra, and the SAS's and MAS's overview of open deadlines."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import ColumnElement, Integer, case, func, or_, select
from sqlalchemy.orm import Session, selectinload

from app.deadline_labels import (
    BASIS_KIND_LABELS,
    DEADLINE_LABELS,
    DEADLINE_STATUS_LABELS,
    RESPONSIBLE_LABELS,
    basis_length,
)
from app.models import Case, Deadline, DeadlineRule, Notification, User
from app.models.deadlines import OPEN_STATUSES
from app.models.unit_tree import unit_paths
from notifications.recipients import Recipients
from workflows import workdays
from workflows.responsibility import responsible_users

# One vocabulary for the page and the API; on the page an open deadline past its due time reads
# "Försenad" even before the next sweep has marked it.
STATUS_LABELS = DEADLINE_STATUS_LABELS


@dataclass
class DeadlineView:
    deadline: Deadline
    kind: str
    status: str
    status_label: str
    # "2 arbetsdagar kvar", "försenad 3 timmar"; empty once the deadline is settled.
    remaining: str
    overdue: bool
    responsible: str
    person: str | None
    version: int
    legal_basis: str
    basis_kind: str
    # "12 timmar är lokal rutin.": the rule's length, never a number written into the text.
    basis_length: str = ""


def _span(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes >= 2 * 24 * 60:
        days = minutes // (24 * 60)
        return ngettext("%(num)d dag", "%(num)d dagar", days)
    if minutes >= 60:
        return ngettext("%(num)d timme", "%(num)d timmar", minutes // 60)
    return ngettext("%(num)d minut", "%(num)d minuter", max(minutes, 1))


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += workdays.is_working_day(day)
    return count


def time_left(due: datetime, now: datetime, unit: str = "") -> str:
    """Time left until ``due``, or how long it is overdue, in words. A deadline counted in
    working days is told in working days until its last day."""
    if due <= now:
        return _("försenad %(span)s", span=_span(now - due))
    local_now, local_due = now.astimezone(workdays.STOCKHOLM), due.astimezone(workdays.STOCKHOLM)
    if unit == "working_days" and local_due.date() > local_now.date():
        days = working_days_between(local_now.date(), local_due.date())
        return ngettext("%(num)d arbetsdag kvar", "%(num)d arbetsdagar kvar", days)
    return _("%(span)s kvar", span=_span(due - now))


def display_status(deadline: Deadline, now: datetime) -> str:
    if deadline.status == "open" and deadline.due_at <= now:
        return "overdue"
    return deadline.status


def view(deadline: Deadline, now: datetime, *, named: bool) -> DeadlineView:
    rule = deadline.rule
    status = display_status(deadline, now)
    label = str(STATUS_LABELS[status])
    if status == "escalated":
        label = _("Eskalerad (nivå %(level)d)", level=deadline.escalation_level)
    role = deadline.responsible_role
    user = deadline.responsible_user
    return DeadlineView(
        deadline=deadline,
        kind=str(DEADLINE_LABELS.get(deadline.key, deadline.key)),
        status=status,
        status_label=label,
        remaining=time_left(deadline.due_at, now, rule.duration_unit) if deadline.is_open else "",
        overdue=deadline.is_open and deadline.due_at <= now,
        responsible=str(RESPONSIBLE_LABELS.get(role, role)),
        # Who handles the case is shown to those who follow its handling, not to the reporter.
        person=user.name if named and user is not None else None,
        version=rule.policy.version,
        legal_basis=rule.legal_basis,
        basis_kind=str(BASIS_KIND_LABELS[rule.basis_kind]),
        basis_length=basis_length(rule),
    )


def case_views(
    session: Session, case: Case, sections: Iterable[str], now: datetime
) -> list[DeadlineView]:
    named = "history" in sections
    # As workflows.deadlines.case_deadlines, with each deadline's rule, policy version and
    # person loaded together: an action adds a deadline, and the page must not add a query.
    deadlines = session.scalars(
        select(Deadline)
        .where(Deadline.case_id == case.id)
        .options(
            selectinload(Deadline.rule).joinedload(DeadlineRule.policy),
            selectinload(Deadline.responsible_user),
        )
        .order_by(Deadline.due_at, Deadline.id)
    )
    return [view(d, now, named=named) for d in deadlines]


def nearest_for(session: Session, user: User, case_ids: Iterable[int]) -> dict[int, Deadline]:
    """For each case, its soonest open deadline that this user answers for — the person named on
    it, or one of those who hold its role for the case (the same people the sweep reminds)."""
    ids = tuple(case_ids)
    if not ids:
        return {}
    rows = session.scalars(
        select(Deadline)
        .where(Deadline.case_id.in_(ids), Deadline.status.in_(OPEN_STATUSES))
        .options(selectinload(Deadline.rule), selectinload(Deadline.responsible_user))
        .order_by(Deadline.due_at, Deadline.id)
    ).all()
    # Who answers for a unit's deadline is found by walking up from the unit.
    recipients = Recipients(session)
    recipients.preload(d.case.unit_id for d in rows)
    found: dict[int, Deadline] = {}
    for deadline in rows:
        if deadline.case_id in found:
            continue
        if any(u.id == user.id for u in responsible_users(recipients, deadline)):
            found[deadline.case_id] = deadline
    return found


# --- The overview for the SAS and the MAS ---------------------------------------------------


@dataclass
class Row:
    key: Any  # a unit id or a deadline key: what the row's links filter on
    label: str
    open: int
    overdue: int


@dataclass
class Overview:
    by_unit: list[Row]
    by_kind: list[Row]

    @property
    def total(self) -> int:
        return sum(r.open for r in self.by_unit)

    @property
    def total_overdue(self) -> int:
        return sum(r.overdue for r in self.by_unit)


def overview(session: Session, scope: list[ColumnElement[bool]], now: datetime) -> Overview:
    """Open deadlines, and how many of them are past due, by unit and by kind, counted by the
    database over the cases ``scope`` admits."""
    if not scope:
        return Overview([], [])
    late = func.sum(case((Deadline.due_at <= now, 1), else_=0), type_=Integer)
    where = (Deadline.status.in_(OPEN_STATUSES), or_(*scope))
    units = session.execute(
        select(Case.unit_id, func.count(Deadline.id), late)
        .select_from(Deadline)
        .join(Case, Case.id == Deadline.case_id)
        .where(*where)
        .group_by(Case.unit_id)
    ).all()
    names = unit_paths(session, [r[0] for r in units])
    kinds = session.execute(
        select(Deadline.key, func.count(Deadline.id), late)
        .select_from(Deadline)
        .join(Case, Case.id == Deadline.case_id)
        .where(*where)
        .group_by(Deadline.key)
    ).all()
    order = list(DEADLINE_LABELS)
    return Overview(
        by_unit=sorted(
            (Row(uid, names.get(uid, "–"), n, late_n or 0) for uid, n, late_n in units),
            key=lambda r: r.label,
        ),
        by_kind=sorted(
            (
                Row(key, str(DEADLINE_LABELS.get(key, key)), n, late_n or 0)
                for key, n, late_n in kinds
            ),
            key=lambda r: order.index(r.key) if r.key in order else len(order),
        ),
    )


def unread_ids(session: Session, user: User) -> list[int]:
    return list(
        session.scalars(
            select(Notification.id).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )
    )


def references(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """The references of the cases a list of notifications names, in one query."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {
        i: ref
        for i, ref in session.execute(select(Case.id, Case.reference).where(Case.id.in_(wanted)))
    }
