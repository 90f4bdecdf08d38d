"""Deadlines opened, met and waived by the transitions themselves (DOMAIN.md §4).

``on_event`` is called by ``engine.fire`` after the machine moved the case (inside its savepoint)
and by the record operations that start or fulfil an obligation, so a deadline commits or rolls
back together with the change that caused it.

Which event starts which rule is data (``DeadlineRule.start_event``); which step opens which
start event and fulfils which deadline is the law's logic, declared on the step itself
(``Step.meets``, ``Route.opens``). The feedback to the reporter is its own step: completing the
investigation opens ``reporter_feedback`` and ``record_feedback`` meets it (DOMAIN.md §3.1 rev. 2).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Action, Case, Deadline, DeadlineRule, User
from app.models.deadlines import OPEN_STATUSES
from notifications.notify import Notice, notify
from notifications.recipients import Recipients

from . import workdays
from .deadline_plan import due_time, next_action_at, plan
from .definition import N_
from .registry import flow_for, registered_types
from .responsibility import responsible_for, responsible_users
from .start_events import EARLY_FILING_RECORDED, INVESTIGATION_COMPLETED
from .steps import care_injury_found

DEFAULT_BASE_URL = "http://localhost:5000"

# Why deadlines are waived other than by a step that ends the case (those say it themselves,
# Step.ends): stored in Swedish, translated when shown.
EARLY_DECLINED = N_("Förslaget om tidig anmälan ledde inte till anmälan.")
HANDED_OVER = N_("Åtgärden överlämnades till enhetens plan.")
NO_CARE_INJURY = N_(
    "Utredningen fann ingen vårdskada; information till patienten enligt PSL 3 kap. 8 § krävs inte."
)


def waive_reasons() -> set[str]:
    """Every fixed text a waived deadline may carry."""
    ends = {
        step.ends
        for case_type in registered_types()
        for step in flow_for(case_type).steps
        if step.ends
    }
    return ends | {EARLY_DECLINED, HANDED_OVER, NO_CARE_INJURY}


def base_url() -> str:
    from flask import current_app, has_app_context

    return (
        str(current_app.config.get("BASE_URL") or DEFAULT_BASE_URL)
        if has_app_context()
        else DEFAULT_BASE_URL
    )


def on_event(
    session: Session,
    case: Case,
    trigger: str,
    from_state: str | None,
    to_state: str,
    *,
    actor: User,
    action: Action | None = None,
) -> None:
    at = workdays.now()
    step = flow_for(case.case_type).declared(trigger)
    if step is None:
        return
    meet(session, case, step.meets, at)
    if step.section == "decision":
        _decided(session, case, trigger, to_state, at, actor)
    elif action is not None:
        _action_changed(session, case, trigger, action, at, actor)
    # What the route the step took opens (workflows/ivo_flow.py, deviation.py, record_steps.py).
    opened = step.opens(from_state, to_state, case)
    for start_event in opened:
        open_deadlines(session, case, start_event, at, actor=actor)
    if INVESTIGATION_COMPLETED in opened and case.case_type == "lex_maria":
        _graded(session, case, at, actor)
    if step.ends:
        waive_open(session, case, step.ends, at)
        if case.successor_case is not None:
            open_deadlines(session, case.successor_case, "report_received", at, actor=actor)


def _decided(
    session: Session, case: Case, trigger: str, to_state: str, at: datetime, actor: User
) -> None:
    if to_state == "under_investigation":
        # Back to the investigator: an early proposal that did not lead to filing leaves nothing
        # to send to IVO, and a returned investigation has to be completed again.
        waive_open(session, case, EARLY_DECLINED, at, keys=("investigation_to_ivo",))
        if not _open(session, case, ("investigation_complete",)):
            for rule in _rules(session, case, "investigation_started"):
                if rule.key == "investigation_complete":
                    open_deadline(session, case, rule, at, actor=actor)
    decision = case.latest_decision
    investigator = case.investigator
    if decision is None or investigator is None or investigator.id == actor.id:
        return
    notify(
        session,
        [investigator],
        Notice(
            kind="decision_made",
            case_id=case.id,
            reference=case.reference,
            key=f"decision:{decision.id}",
        ),
        at=at,
        base_url=base_url(),
    )


def _graded(session: Session, case: Case, at: datetime, actor: User) -> None:
    """The completed investigation's grade decides whether the patient must be informed
    (PSL 3 kap. 8 §: a patient "som har drabbats av en vårdskada"). A care injury found opens
    the information's deadline if none is running and nobody has been informed yet (a returned
    investigation re-graded, say); a grade that finds none waives the one opened at the start."""
    if not care_injury_found(case):
        waive_open(session, case, NO_CARE_INJURY, at, keys=("patient_information",))
        return
    if case.patient_information or _open(session, case, ("patient_information",)):
        return
    # One rule per key and case type: the one the investigation's start opens.
    for rule in _rules(session, case, "investigation_started"):
        if rule.key == "patient_information":
            open_deadline(session, case, rule, at, actor=actor)


def _action_changed(
    session: Session, case: Case, trigger: str, action: Action, at: datetime, actor: User
) -> None:
    mine = _open(session, case, ("action_due",), action_id=action.id)
    if action.status == "completed":
        for deadline in mine:
            _settle(deadline, "met", at)
    elif action.status == "handed_over":
        for deadline in mine:
            _settle(deadline, "waived", at, HANDED_OVER)
    elif not mine:
        open_deadlines(session, case, "action_created", at, actor=actor, action=action)


def _rules(session: Session, case: Case, start_event: str) -> list[DeadlineRule]:
    from .policy import current_rules

    return current_rules(session, case.case_type, start_event)


def open_deadlines(
    session: Session,
    case: Case,
    start_event: str,
    at: datetime,
    *,
    actor: User | None,
    action: Action | None = None,
    notify_new: bool = True,
) -> list[Deadline]:
    return [
        deadline
        for rule in _rules(session, case, start_event)
        if (
            deadline := open_deadline(
                session, case, rule, at, actor=actor, action=action, notify_new=notify_new
            )
        )
        is not None
    ]


def open_deadline(
    session: Session,
    case: Case,
    rule: DeadlineRule,
    at: datetime,
    *,
    actor: User | None,
    action: Action | None = None,
    notify_new: bool = True,
) -> Deadline | None:
    if rule.duration_unit == "own_date" and action is None:
        return None
    # One open deadline per obligation: a second proposal does not start a second clock.
    if _open(session, case, (rule.key,), action_id=action.id if action else None):
        return None
    start = _start(case, rule, at)
    role, user_id = responsible_for(session, case, rule, action.owner if action else None)
    due = _answer_by(case, rule) or due_time(
        rule, start, own_date=action.due_on if action else None, cap=_cap(case, rule)
    )
    deadline = Deadline(
        case_id=case.id,
        key=rule.key,
        rule=rule,
        action_id=action.id if action else None,
        start_at=start,
        due_at=due,
        responsible_role=role,
        responsible_user_id=user_id,
        status="open",
        created_at=at,
    )
    deadline.next_action_at = next_action_at(plan(rule, start, due), set())
    session.add(deadline)
    session.flush()
    if notify_new:
        users = responsible_users(Recipients(session), deadline)
        notify(
            session,
            users,
            Notice(
                kind="new_task",
                case_id=case.id,
                reference=case.reference,
                key=str(deadline.id),
                deadline_key=rule.key,
                deadline_id=deadline.id,
                due_at=due,
            ),
            at=at,
            base_url=base_url(),
            no_mail_to=actor.id if actor is not None else None,
        )
    return deadline


def _start(case: Case, rule: DeadlineRule, at: datetime) -> datetime:
    filing = case.latest_filing
    if rule.start_event == EARLY_FILING_RECORDED and filing is not None:
        # The law counts from the filing ("senast två månader efter det att anmälan har
        # gjorts"), so from the date on the Filing row, not from when it was recorded here: a
        # filing recorded a week late must not give the investigation a week more. The filing's
        # day counts whole, so the obligation falls due at the end of the same date two months on.
        return workdays.end_of_day(filing.filed_on)
    return at


def _answer_by(case: Case, rule: DeadlineRule) -> datetime | None:
    """A complaint that came through IVO is answered by the date IVO asked for (DOMAIN.md §4)."""
    complaint = case.complaint if case.case_type == "complaint" else None
    if rule.key == "complaint_answer" and complaint is not None and complaint.ivo_answer_by:
        return workdays.end_of_day(complaint.ivo_answer_by)
    return None


def _cap(case: Case, rule: DeadlineRule) -> datetime | None:
    if rule.cap_months is None:
        return None
    if rule.cap_anchor == "event" and case.occurred_on is not None:
        return workdays.add_months(workdays.end_of_day(case.occurred_on), rule.cap_months)
    # The event's date unknown: the report's arrival is the best anchor there is.
    return workdays.add_months(case.received_at, rule.cap_months)


def _open(
    session: Session, case: Case, keys: Iterable[str], *, action_id: int | None = None
) -> list[Deadline]:
    query = select(Deadline).where(
        Deadline.case_id == case.id,
        Deadline.key.in_(tuple(keys)),
        Deadline.status.in_(OPEN_STATUSES),
    )
    if action_id is not None:
        query = query.where(Deadline.action_id == action_id)
    return list(session.scalars(query))


def open_deadline_for(session: Session, case: Case, key: str) -> Deadline | None:
    """The case's running deadline of this kind (one at a time, see open_deadline): what the
    pages and the API show as its due time, instead of working it out again."""
    return next(iter(_open(session, case, (key,))), None)


def meet(session: Session, case: Case, keys: Iterable[str], at: datetime) -> None:
    keys = tuple(keys)
    if keys:
        for deadline in _open(session, case, keys):
            _settle(deadline, "met", at)


def waive_open(
    session: Session, case: Case, reason: str, at: datetime, *, keys: Iterable[str] | None = None
) -> None:
    query = select(Deadline).where(Deadline.case_id == case.id, Deadline.status.in_(OPEN_STATUSES))
    if keys is not None:
        query = query.where(Deadline.key.in_(tuple(keys)))
    for deadline in session.scalars(query):
        _settle(deadline, "waived", at, reason)


def _settle(deadline: Deadline, status: str, at: datetime, reason: str = "") -> None:
    deadline.status = status
    deadline.status_reason = reason
    deadline.next_action_at = None
    if status == "met":
        deadline.met_at = at


def overdue_case_ids(session: Session, case_ids: Iterable[int]) -> set[int]:
    """The flag on a case: one of its deadlines has passed unmet. Derived from the deadlines
    rather than stored on the case, so the sweep never bumps a case's version — a user's form
    must not turn stale because the clock ticked."""
    ids = tuple(case_ids)
    if not ids:
        return set()
    return set(
        session.scalars(
            select(Deadline.case_id)
            .where(Deadline.case_id.in_(ids), Deadline.status.in_(("overdue", "escalated")))
            .distinct()
        )
    )


def case_deadlines(session: Session, case: Case) -> list[Deadline]:
    return list(
        session.scalars(
            select(Deadline)
            .where(Deadline.case_id == case.id)
            .order_by(Deadline.due_at, Deadline.id)
        )
    )
