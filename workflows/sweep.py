"""The sweep: as of a given time, remind, mark overdue and escalate every due deadline, once.

It reads only deadlines whose ``next_action_at`` has come (an index range scan), so its cost
follows the number of due deadlines, not the number of cases. On PostgreSQL the due rows are
locked with ``FOR UPDATE SKIP LOCKED``: two sweeps at once share the work instead of doing it
twice. Whatever the database, every act is journalled under a unique (deadline, act) pair
*before* anyone is told, a batch of deadlines in one INSERT … ON CONFLICT DO NOTHING: should two
sweeps still meet, the second gets nothing back for that deadline, keeps none of its acts and
tells nobody. Notifications, mails and the deadlines' next times go in with one flush per
batch, so the statements follow the batches and the rows, not one round trip per deadline.
After downtime one sweep performs every act that came due meanwhile, each once; reminders for
a deadline that has already passed are journalled but not sent.

The caller commits (the scheduler job, the CLI), then delivers the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
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
        work = [(d, *_due_acts(d, now)) for d in due]
        journalled = _journal(session, [(d, acts) for d, _planned, acts in work], now)
        for deadline, planned, acts in work:
            if any((deadline.id, p.act) not in journalled for p in acts):
                refused.add(deadline.id)
                report.skipped += 1
                continue
            past_due = deadline.due_at <= now
            for p in acts:
                if not (p.act.startswith("reminder") and past_due):
                    report.notified += _perform(session, deadline, p, now, recipients, url)
                report.acts.append((deadline.case.reference, deadline.key, p.act))
            done = {a.act for a in deadline.acts} | {p.act for p in acts}
            deadline.next_action_at = next_action_at(planned, done)
            # The journal went in beside the ORM: whoever reads the acts next reads them anew.
            session.expire(deadline, ["acts"])
        # Notifications, mails and deadline changes of the whole batch in one flush.
        session.flush()
        if len(due) < batch:
            break
    return report


def _due_acts(deadline: Deadline, now: datetime) -> tuple[list[Planned], list[Planned]]:
    planned = plan(deadline.rule, deadline.start_at, deadline.due_at)
    done = {a.act for a in deadline.acts}
    return planned, [p for p in planned if p.at <= now and p.act not in done]


def _journal(
    session: Session, work: list[tuple[Deadline, list[Planned]]], now: datetime
) -> set[tuple[int, str]]:
    """Journals the batch's acts in one statement and returns the (deadline, act) pairs that
    went in. The unique (deadline, act) pair refuses what another sweep already did; a
    deadline with any act refused keeps none of its own, so that its acts stay all or nothing
    and nobody is told twice."""
    rows = [
        {
            "deadline_id": deadline.id,
            "act": p.act,
            "scheduled_at": p.at,
            "done_at": now,
            "notified": not (p.act.startswith("reminder") and deadline.due_at <= now),
        }
        for deadline, acts in work
        for p in acts
    ]
    if not rows:
        return set()
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = (
        insert(DeadlineAct)
        .on_conflict_do_nothing(index_elements=["deadline_id", "act"])
        .returning(DeadlineAct.id, DeadlineAct.deadline_id, DeadlineAct.act)
    )
    went_in = {(r.deadline_id, r.act): r.id for r in session.execute(stmt, rows)}
    incomplete = {
        row["deadline_id"] for row in rows if (row["deadline_id"], row["act"]) not in went_in
    }
    undo = [i for (deadline_id, _act), i in went_in.items() if deadline_id in incomplete]
    if undo:
        session.execute(delete(DeadlineAct).where(DeadlineAct.id.in_(undo)))
    return {pair for pair in went_in if pair[0] not in incomplete}


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
