"""The sweep: as of a given time, remind, mark overdue and escalate every due deadline, once.

It reads only deadlines whose ``next_action_at`` has come (an index range scan), so its cost
follows the number of due deadlines, not the number of cases. On PostgreSQL the due rows are
locked with ``FOR UPDATE SKIP LOCKED``: two sweeps at once share the work instead of doing it
twice. Whatever the database, every act is journalled under a unique (deadline, act) pair
*before* anyone is told, in a savepoint per deadline: should two sweeps still meet, the second
insert fails, its notifications roll back with it, and it moves on. After downtime one sweep
performs every act that came due meanwhile, each once; reminders for a deadline that has
already passed are journalled but not sent.

The caller commits (the scheduler job, the CLI), then delivers the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from app.models import Case, Deadline, DeadlineAct, User
from app.models.deadlines import OPEN_STATUSES
from notifications.notify import Notice, notify
from notifications.recipients import Recipients

from .deadline_plan import Planned, next_action_at, plan
from .deadlines import base_url
from .responsibility import escalation_users, responsible_users

BATCH = 500


@dataclass
class SweepReport:
    acts: list[tuple[str, str, str]] = field(default_factory=list)  # (reference, key, act)
    notified: int = 0
    # Deadlines another sweep had already acted on (the unique journal refused the repeat).
    skipped: int = 0

    def __str__(self) -> str:
        lines = [f"{ref} {key}: {act}" for ref, key, act in self.acts]
        lines.append(
            f"{len(self.acts)} händelser, {self.notified} aviseringar, "
            f"{self.skipped} redan hanterade av en annan körning."
        )
        return "\n".join(lines)


def sweep(session: Session, now: datetime, *, batch: int = BATCH) -> SweepReport:
    report = SweepReport()
    recipients = Recipients(session)
    url = base_url()
    refused: set[int] = set()
    while True:
        query = (
            select(Deadline)
            .where(Deadline.next_action_at <= now, Deadline.status.in_(OPEN_STATUSES))
            .order_by(Deadline.next_action_at, Deadline.id)
            .limit(batch)
            # Acts, rules and cases for the whole batch in one query each.
            .options(
                selectinload(Deadline.acts),
                selectinload(Deadline.rule),
                selectinload(Deadline.responsible_user).selectinload(User.role_rows),
                selectinload(Deadline.case).selectinload(Case.assessment),
            )
            .with_for_update(skip_locked=True, of=Deadline)
            # Locked rows are read as they are now, not as this session may remember them.
            .execution_options(populate_existing=True)
        )
        if refused:
            query = query.where(Deadline.id.not_in(refused))
        due = list(session.scalars(query))
        if not due:
            break
        recipients.preload(d.case.unit_id for d in due)
        for deadline in due:
            try:
                with session.begin_nested():
                    _act(session, deadline, now, recipients, url, report)
            except IntegrityError:
                refused.add(deadline.id)
                report.skipped += 1
        if len(due) < batch:
            break
    return report


def _act(
    session: Session,
    deadline: Deadline,
    now: datetime,
    recipients: Recipients,
    url: str,
    report: SweepReport,
) -> None:
    planned = plan(deadline.rule, deadline.start_at, deadline.due_at)
    done = {a.act for a in deadline.acts}
    acts = [p for p in planned if p.at <= now and p.act not in done]
    past_due = deadline.due_at <= now
    for p in acts:
        stale_reminder = p.act.startswith("reminder") and past_due
        deadline.acts.append(
            DeadlineAct(act=p.act, scheduled_at=p.at, done_at=now, notified=not stale_reminder)
        )
    # The journal speaks first: a repeat fails here, before anybody is told anything.
    session.flush()
    for p in acts:
        if not (p.act.startswith("reminder") and past_due):
            report.notified += _perform(session, deadline, p, now, recipients, url)
        report.acts.append((deadline.case.reference, deadline.key, p.act))
    deadline.next_action_at = next_action_at(planned, done | {p.act for p in acts})


def _perform(
    session: Session,
    deadline: Deadline,
    p: Planned,
    now: datetime,
    recipients: Recipients,
    url: str,
) -> int:
    case = deadline.case
    if p.act == "overdue":
        deadline.status = "overdue"
    elif p.act.startswith("escalation"):
        deadline.status = "escalated"
        deadline.escalation_level = int(p.act[-1])
    if p.act.startswith("escalation"):
        users = escalation_users(recipients, deadline, int(p.act[-1]))
        kind = "escalation"
    else:
        users = responsible_users(recipients, deadline)
        kind = "reminder" if p.act.startswith("reminder") else "overdue"
    notice = Notice(
        kind=kind,
        case_id=case.id,
        reference=case.reference,
        key=f"{deadline.id}:{p.act}",
        deadline_key=deadline.key,
        deadline_id=deadline.id,
        due_at=deadline.due_at,
        level=int(p.act[-1]) if kind == "escalation" else 0,
    )
    return len(notify(session, users, notice, at=now, base_url=url))
