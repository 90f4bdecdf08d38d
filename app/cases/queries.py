"""Which cases a page shows. Candidates are narrowed by role in SQL first, so that the
per-case permission check (engine.available_triggers) only runs on a handful of rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, false, func, or_, select, union
from sqlalchemy.orm import Session, joinedload, lazyload, selectinload

from app.models import (
    CASE_TYPES,
    Action,
    Case,
    Deadline,
    DeviationAssessment,
    ImmediateMeasures,
    User,
    UserRole,
    co_investigated_case_ids,
    unit_ids_managed_by,
)
from app.models.deadlines import OPEN_STATUSES
from workflows import workdays
from workflows.engine import available_triggers, recordable
from workflows.permissions import (
    INVESTIGATING_ROLE,
    OVERSIGHT_AREAS,
    can_view,
    co_investigates,
    deciding_role,
)
from workflows.record_steps import INVESTIGATION_STATES
from workflows.records import FINAL_STATES
from workflows.registry import flow_for
from workflows.visibility import (
    co_investigated,
    not_spam,
    overseen_deviations,
    visibility_clauses,
)

from .clock import nearest_for


def actionable_triggers(session: Session, user: User, case: Case) -> list[str]:
    # Measures are recorded once: the step's own guard (measures_not_yet_recorded) stops
    # offering it once they are there.
    return available_triggers(session, user, case)


# The types that may go to IVO, each with its investigating role (DOMAIN.md §3.1–3.2).
IVO_TYPES = tuple(INVESTIGATING_ROLE)


def _candidate_clauses(session: Session, user: User, units: set[int]) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    for case_type in IVO_TYPES:
        flow = flow_for(case_type)
        if user.has_role(flow.investigating_role):
            clauses.append(and_(Case.case_type == case_type, Case.state.in_(flow.open_states)))
        decider = deciding_role(session, case_type)
        if decider is not None and user.has_role(decider):
            clauses.append(and_(Case.case_type == case_type, Case.state == "awaiting_decision"))
    # Escalated deviations wait for the SAS (SoL/LSS) or the MAS (HSL) to convert or return them.
    clauses += [and_(c, Case.state == "escalated") for c in overseen_deviations(user)]
    # A manager's units (``units``, empty for anyone else): the measures of a new lex Sarah or lex
    # Maria case, and their deviations.
    if units:
        measures_missing = ~exists().where(ImmediateMeasures.case_id == Case.id)
        clauses.append(
            and_(
                Case.unit_id.in_(units),
                Case.case_type.in_(IVO_TYPES),
                or_(
                    Case.state == "submitted",
                    and_(Case.state == "under_investigation", measures_missing),
                ),
            )
        )
        # A deviation is the manager's own: assessed, investigated, followed up and closed.
        clauses.append(
            and_(
                Case.unit_id.in_(units),
                Case.case_type == "deviation",
                Case.state.in_(("submitted", "local_investigation", "follow_up")),
            )
        )
    owns_action = exists().where(
        Action.case_id == Case.id, Action.owner_id == user.id, Action.status == "planned"
    )
    clauses.append(and_(Case.state.not_in(FINAL_STATES), owns_action))
    # A co-investigator's cases while their investigation is open (DOMAIN.md §2 rev. 2).
    if co_investigated_case_ids(session, user):
        clauses.append(and_(co_investigated(user), Case.state.in_(INVESTIGATION_STATES)))
    return clauses


def _always_open(case_type: str, trigger: str) -> bool:
    """A step possible from every open state (reclassifying) is a way out, not something the
    case waits for: on its own it does not put a case in anyone's inbox."""
    flow = flow_for(case_type)
    step = flow.step(trigger)
    return step is not None and set(flow.open_states) <= set(step.sources)


@dataclass
class InboxItem:
    case: Case
    triggers: list[str]
    actions: list[Action] = field(default_factory=list)
    # The case's soonest open deadline that this user answers for.
    deadline: Deadline | None = None
    # A co-investigator may write the case's investigation now.
    investigation: bool = False


@dataclass
class Inbox:
    items: list[InboxItem]
    # Candidates past the ones weighed (INBOX_LIMIT): they may wait for this user too.
    more: int = 0
    more_exact: bool = True


def _answers_for(user: User, managed: set[int]) -> ColumnElement[bool]:
    """Deadline rows this user answers for, as responsibility.responsible_users names them
    (the person, else the role; a manager for the units they manage), without its fallbacks
    for units nobody manages: this only orders the candidates, nearest_for says which
    deadline is the user's."""
    unnamed = Deadline.responsible_user_id.is_(None)
    clauses: list[ColumnElement[bool]] = [Deadline.responsible_user_id == user.id]
    roles = sorted(user.roles - {"manager"})
    if roles:
        clauses.append(and_(unnamed, Deadline.responsible_role.in_(roles)))
    if managed:
        clauses.append(
            and_(
                unnamed,
                Deadline.responsible_role.in_(("manager", "action_owner")),
                Case.unit_id.in_(managed),
            )
        )
    return or_(*clauses)


# What the per-case checks of engine.available_triggers read: loaded with the candidates, so
# that weighing a hundred cases costs the same few queries as weighing one.
INBOX_LOADS = (
    selectinload(Case.actions),
    selectinload(Case.immediate_measures),
    selectinload(Case.investigation),
    selectinload(Case.patient_information),
    selectinload(Case.assessment),
    joinedload(Case.origin_case).selectinload(Case.assessment),
)


def inbox(session: Session, user: User, limit: int, count_limit: int) -> Inbox:
    """What waits for this user, soonest due first (DOMAIN.md §6): by the nearest open deadline
    of each case that this user answers for; cases without one last, oldest first.

    A SAS's candidates are every open lex Sarah case of the deployment: the database orders
    them by urgency and only the ``limit`` most urgent are weighed case by case."""
    if not user.is_active:
        return Inbox([])
    managed = unit_ids_managed_by(session, user) if user.has_role("manager") else set()
    # Each kind of candidate is found through its own index (a type and state, a unit, an
    # action's owner) and the ids put together; or-ed into one WHERE they would be read by
    # scanning every case.
    found = [select(Case.id).where(c) for c in _candidate_clauses(session, user, managed)]
    candidates = and_(Case.id.in_(union(*found) if len(found) > 1 else found[0]), not_spam())
    due = (
        select(func.min(Deadline.due_at))
        .where(
            Deadline.case_id == Case.id,
            Deadline.status.in_(OPEN_STATUSES),
            _answers_for(user, managed),
        )
        .scalar_subquery()
    )
    # The candidates in order, as far as the count goes: one pass over them gives both the
    # most urgent and how many there are.
    ranked = session.scalars(
        select(Case.id)
        .where(candidates)
        .order_by(due.asc().nulls_last(), Case.received_at, Case.id)
        .limit(count_limit + 1)
    ).all()
    total = Count(min(len(ranked), count_limit), len(ranked) <= count_limit)
    place = {case_id: i for i, case_id in enumerate(ranked[:limit])}
    cases = sorted(
        session.scalars(select(Case).where(Case.id.in_(place)).options(*INBOX_LOADS)),
        key=lambda c: place[c.id],
    )
    items: list[InboxItem] = []
    for case in cases:
        triggers = [
            t
            for t in actionable_triggers(session, user, case)
            if not _always_open(case.case_type, t)
        ]
        mine = [a for a in case.actions if a.owner_id == user.id and a.status == "planned"]
        if mine and not can_view(session, user, case):
            mine = []
        writes = co_investigates(session, user, case) and _writes_investigation(session, user, case)
        if triggers or mine or writes:
            items.append(InboxItem(case, triggers, mine, investigation=writes))
    due_for = nearest_for(session, user, [item.case.id for item in items])
    for item in items:
        item.deadline = due_for.get(item.case.id)
    items.sort(
        key=lambda i: (
            i.deadline is None,
            i.deadline.due_at if i.deadline else i.case.received_at,
            i.case.received_at,
            i.case.id,
        ),
    )
    return Inbox(items, max(total.value - len(cases), 0), total.exact)


def _writes_investigation(session: Session, user: User, case: Case) -> bool:
    step = flow_for(case.case_type).declared("update_investigation")
    return step is not None and recordable(session, user, case, step) is not None


@dataclass(frozen=True)
class Count:
    value: int
    # False: there are more than ``value`` (the count stopped there).
    exact: bool


def bounded_count(session: Session, ids: Select[Any], limit: int) -> Count:
    """How many rows ``ids`` selects, counting no further than ``limit``: counting a million
    visible cases for every page would cost more than the page."""
    counted = session.scalar(select(func.count()).select_from(ids.limit(limit + 1).subquery()))
    value = int(counted or 0)
    return Count(min(value, limit), value <= limit)


def with_deadline(kind: str | None, overdue: bool) -> ColumnElement[bool]:
    """Cases with an open deadline (of one kind, or any), or only with one past its due time."""
    clauses = [Deadline.case_id == Case.id, Deadline.status.in_(OPEN_STATUSES)]
    if kind:
        clauses.append(Deadline.key == kind)
    if overdue:
        clauses.append(Deadline.due_at <= workdays.now())
    return exists().where(*clauses)


def can_list_cases(session: Session, user: User) -> bool:
    return user.is_active and bool(_list_clauses(session, user))


def _list_clauses(session: Session, user: User) -> list[ColumnElement[bool]]:
    """The cases the user may open, but for those seen only as their reporter."""
    return visibility_clauses(session, user, own_reports=False)


def listable_types(session: Session, user: User) -> list[str]:
    """The case types this user's list can hold, for the type filter."""
    types = [
        t
        for t in IVO_TYPES
        if user.has_role(flow_for(t).investigating_role)
        or ((role := deciding_role(session, t)) is not None and user.has_role(role))
    ]
    if any(user.has_role(role) for role in OVERSIGHT_AREAS):
        types.append("deviation")
    if user.has_role("manager") and unit_ids_managed_by(session, user):
        types = list(CASE_TYPES)
    if co_investigated_case_ids(session, user):
        found = select(Case.case_type).where(co_investigated(user)).distinct()
        types += list(session.scalars(found))
    return [t for t in CASE_TYPES if t in types]


# A list names each case's investigator, and nothing else of them: their roles and units, which
# loading a user brings along, stay where they are. Units are named by unit_tree.unit_paths.
INVESTIGATOR_NAME = (joinedload(Case.investigator).load_only(User.name).lazyload("*"),)


@dataclass
class Paging:
    """Page numbers over a bounded count."""

    total: int
    # False: there are more than ``total`` (the count stopped at COUNT_LIMIT).
    total_exact: bool
    page: int
    pages: int
    # Every row is on one of the pages; if not, the pages stop at PAGE_DEPTH_LIMIT rows and
    # the filters reach the rest.
    complete: bool


def paging(count: Count, page: int, page_size: int, depth_limit: int) -> Paging:
    pages = max(1, -(-min(count.value, depth_limit) // page_size))
    return Paging(
        count.value,
        count.exact,
        min(max(page, 1), pages),
        pages,
        count.exact and count.value <= depth_limit,
    )


@dataclass
class CasePage(Paging):
    cases: list[Case] = field(default_factory=list)


def case_list(
    session: Session,
    user: User,
    *,
    state: str | None,
    unit_id: int | None,
    page: int,
    page_size: int,
    count_limit: int,
    depth_limit: int,
    case_type: str | None = None,
    deadline: str | None = None,
    overdue: bool = False,
    received: tuple[datetime, datetime] | None = None,
    category_id: int | None = None,
) -> CasePage:
    """``deadline``: only cases with an open deadline of that kind ("all": of any kind);
    ``overdue``: only cases with an open deadline past its due time. Pages go no deeper than
    ``depth_limit`` rows, and the count no further than ``count_limit``."""
    clauses = _list_clauses(session, user)
    where: ColumnElement[bool] = and_(or_(*clauses) if clauses else false(), not_spam())
    if deadline or overdue:
        where = and_(where, with_deadline(None if deadline in (None, "all") else deadline, overdue))
    if case_type:
        where = and_(where, Case.case_type == case_type)
    if state:
        where = and_(where, Case.state == state)
    if unit_id:
        where = and_(where, Case.unit_id == unit_id)
    # The cases behind a figure of the statistics (a recurring pattern): reported in a period,
    # of a deviation category.
    if received:
        where = and_(where, Case.received_at >= received[0], Case.received_at < received[1])
    if category_id:
        where = and_(
            where,
            exists().where(
                DeviationAssessment.case_id == Case.id,
                DeviationAssessment.category_id == category_id,
            ),
        )
    pages = paging(
        bounded_count(session, select(Case.id).where(where), count_limit),
        page,
        page_size,
        depth_limit,
    )
    cases = session.scalars(
        select(Case)
        .where(where)
        .options(lazyload(Case.unit), *INVESTIGATOR_NAME)
        .order_by(Case.received_at.desc(), Case.id.desc())
        .limit(page_size)
        .offset((pages.page - 1) * page_size)
    ).all()
    return CasePage(**vars(pages), cases=list(cases))


def active_users(session: Session, role: str | None = None) -> list[tuple[int, str]]:
    """(id, "Name, title") for pickers: action owners, investigators. Names only: users loaded
    as objects would bring their roles and units along."""
    stmt = select(User.id, User.name, User.title).where(User.active.is_(True))
    if role is not None:
        stmt = stmt.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role)))
    rows = session.execute(stmt.order_by(User.name, User.id))
    return [(uid, f"{name}, {title}" if title else name) for uid, name, title in rows]
