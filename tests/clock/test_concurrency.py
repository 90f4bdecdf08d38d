"""Two schedulers at once on one PostgreSQL: each sweeps and mails in its own connection and
commits for real. Every act, notification and mail happens once, and each mail arrives once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.db import make_engine
from app.models import Case, Deadline, DeadlineAct, Notification, OutboxMail, Unit, User
from notifications.outbox import deliver
from tests.clock.smtp import MailServer
from tests.clock.support import local
from tests.factories import make_user
from workflows.deadlines import on_event
from workflows.sweep import sweep

CASES = 30
DOMAIN = "concurrent.test"
# Long after every act of the two report deadlines (second escalations included).
LATER = local(2026, 12, 21, 9, 0)


@pytest.fixture
def committed_cases(app, database_url, is_postgres):
    """Units, people and cases with due deadlines committed for real (outside the test's
    rolled-back transaction); all of it is removed afterwards."""
    if not is_postgres:
        pytest.skip(
            "needs PostgreSQL (row locks between connections): set LEXFLODE_TEST_DATABASE_URL"
        )
    engine = make_engine(database_url, pool_size=8)
    with Session(engine) as session, session.begin():
        area = Unit(name="Samtidighetens område", kind="area")
        unit = Unit(name="Samtidighetens enhet", kind="unit", parent=area)
        unit.legal_areas = ["SoL"]
        session.add_all([area, unit])
        session.flush()
        reporter = make_user(session, f"reporter@{DOMAIN}", ["reporter"])
        make_user(session, f"manager@{DOMAIN}", ["manager"], [unit])
        make_user(session, f"area@{DOMAIN}", ["manager"], [area])
        make_user(session, f"sas@{DOMAIN}", ["sas"])
        received = local(2026, 12, 7, 9, 0)
        for n in range(CASES):
            case = Case(
                case_type="lex_sarah",
                state="submitted",
                unit_id=unit.id,
                reporter_id=reporter.id,
                reporter_name=reporter.name,
                received_at=received,
                description="Samtidighet.",
                reference=f"LS-1999-{n + 1:04d}",
                year=1999,
                seq=n + 1,
                occurred_on=date(2026, 12, 6),
            )
            session.add(case)
            session.flush()
            on_event(session, case, "submit", None, "submitted", actor=reporter)
        ids = SimpleNamespace(engine=engine, unit_ids=[unit.id, area.id])
    yield ids
    with engine.begin() as conn:
        # Deadlines, their acts and notifications go with the cases (ON DELETE CASCADE).
        conn.execute(delete(Case.__table__).where(Case.unit_id == ids.unit_ids[0]))
        conn.execute(delete(OutboxMail.__table__).where(OutboxMail.to_address.like(f"%@{DOMAIN}")))
        conn.execute(delete(User.__table__).where(User.email.like(f"%@{DOMAIN}")))
        conn.execute(delete(Unit.__table__).where(Unit.id.in_(ids.unit_ids)))
    engine.dispose()


def _scheduler_round(app, engine, barrier: threading.Barrier, smtp) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """What one scheduler process does: sweep, commit, deliver — in its own connection."""
    with app.app_context(), Session(engine) as session:
        barrier.wait(timeout=30)
        # Small batches, so that the two sweeps interleave over the due rows.
        report = sweep(session, LATER, batch=4)
        session.commit()
        delivery = deliver(session, LATER, smtp)
    return len(report.acts), report.notified, delivery.sent


def _count(session: Session, model, *where) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


@pytest.mark.postgres
def test_two_schedulers_at_once_act_and_mail_once(app, committed_cases):
    engine = committed_cases.engine
    server = MailServer().start()
    try:
        barrier = threading.Barrier(2)
        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = [
                pool.submit(_scheduler_round, app, engine, barrier, server.settings)
                for _ in range(2)
            ]
            results = [f.result(timeout=120) for f in futures]
    finally:
        server.stop()

    in_unit = Case.unit_id == committed_cases.unit_ids[0]
    with Session(engine) as session:
        case_ids = select(Case.id).where(in_unit).scalar_subquery()
        deadline_ids = select(Deadline.id).where(Deadline.case_id.in_(case_ids)).scalar_subquery()
        acts = _count(session, DeadlineAct, DeadlineAct.deadline_id.in_(deadline_ids))
        told = _count(
            session,
            Notification,
            Notification.case_id.in_(case_ids),
            Notification.kind != "new_task",
        )
        outbox = session.scalars(
            select(OutboxMail).where(OutboxMail.to_address.like(f"%@{DOMAIN}"))
        ).all()

    # Per case: four acts on each of its two deadlines; the stale reminders tell nobody, so
    # three notices each (overdue and two escalations).
    assert sum(r[0] for r in results) == acts == CASES * 8
    assert sum(r[1] for r in results) == told == CASES * 6
    # Every mail (the new tasks from the reports included) sent, by one of the two, once.
    assert {m.status for m in outbox} == {"sent"}
    assert sum(r[2] for r in results) == len(outbox)
    ids = [i for i in server.message_ids() if any(str(m.id) in i for m in outbox)]
    assert len(ids) == len(set(ids)) == len(outbox)
    assert all(m.attempts == 1 for m in outbox)
