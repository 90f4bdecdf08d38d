"""Faults on the way: the database failing in the middle of a transition, the mail server down,
the scheduler killed in the middle of a sweep. Nothing is half-written, lost or done twice."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.audit.verify import verify_all
from app.models import DeadlineAct, Notification, OutboxMail
from app.scheduler import run_clock
from notifications.outbox import backoff
from tests.clock.smtp import MailServer
from tests.factories import case_in, investigation_data, new_case
from workflows.sweep import sweep

from .processes import Scheduler
from .support import Org, changed_tables, committing, engine_of, outbox, snapshot

APPROVE = {"motivation": "Allvarligt missförhållande."}


@contextmanager
def failing_inserts(app: Flask, table: str) -> Iterator[None]:
    """A trigger in the database refuses every new row of ``table``, as a full disk would:
    the failure comes from the database itself, halfway through the transition's writes."""
    engine = engine_of(app)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(
                text(
                    "CREATE FUNCTION fail_insert() RETURNS trigger LANGUAGE plpgsql AS "
                    "$$ BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' "
                    "USING ERRCODE = 'disk_full'; END $$"
                )
            )
            conn.execute(
                text(
                    f"CREATE TRIGGER fail_insert BEFORE INSERT ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION fail_insert()"
                )
            )
        else:
            conn.execute(
                text(
                    f"CREATE TRIGGER fail_insert BEFORE INSERT ON {table} "
                    "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
                )
            )
    try:
        yield
    finally:
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(text(f"DROP TRIGGER fail_insert ON {table}"))
                conn.execute(text("DROP FUNCTION fail_insert()"))
            else:
                conn.execute(text("DROP TRIGGER fail_insert"))


# Where the failure strikes: the deadline the decision opens (after the case row, its history
# row and the chain head are written), and the mail to the SAS (the transition's last write).
@pytest.mark.parametrize("table", ["deadlines", "outbox_mails"])
def test_a_database_error_mid_transition_leaves_everything_as_before(
    own_app, org: Org, caplog, table
):
    own_app.config["PROPAGATE_EXCEPTIONS"] = False  # answer as in production
    with committing(own_app) as (session, world):
        case = case_in(session, world, "awaiting_decision")
        case_id, version = case.id, case.version
    client = own_app.test_client()
    body = {"trigger": "approve_filing", "data": APPROVE, "expected_version": version}
    url = f"/api/v1/cases/{case_id}/transitions"
    before = snapshot(own_app)

    with failing_inserts(own_app, table):
        response = client.post(url, json=body, headers=org.headers("chair"))

    assert response.status_code == 500
    assert response.get_json() == {
        "error": {"code": "internal_error", "message": "Ett oväntat fel inträffade.", "fields": {}}
    }
    assert "Traceback" not in response.get_data(as_text=True)
    # The cause is for the operators' log, with its traceback.
    [logged] = [r for r in caplog.records if r.exc_info]
    assert isinstance(logged.exc_info[1], DBAPIError)
    # Every row of every table as it was: the case and its version, history and chain head,
    # deadlines, notifications, outbox (only the access log has the chair's read).
    assert changed_tables(before, snapshot(own_app)) == set()

    again = client.post(url, json=body, headers=org.headers("chair"))
    assert again.status_code == 200, again.get_json()
    after = snapshot(own_app)
    assert len(after["case_events"]) == len(before["case_events"]) + 1
    assert {"cases", "case_events", "decisions", "deadlines", "outbox_mails"} <= changed_tables(
        before, after
    )
    with engine_of(own_app).connect() as conn:
        assert conn.scalar(text("SELECT state FROM cases WHERE id = :id"), {"id": case_id}) == (
            "awaiting_filing"
        )
    with committing(own_app) as (session, _world):
        assert all(r.finding is None for r in verify_all(session))


def test_a_database_error_outside_a_transition_is_a_clean_500_too(own_app, org: Org):
    """The SAS's save of the investigation fails as its history row is written. No savepoint
    catches it there: the request's whole transaction is lost, and the answer must still be
    given (it reads the user's language) as JSON."""
    own_app.config["PROPAGATE_EXCEPTIONS"] = False
    with committing(own_app) as (session, world):
        case = case_in(session, world, "under_investigation")
        case_id, version = case.id, case.version
    body = {**investigation_data(), "expected_version": version}
    url = f"/api/v1/cases/{case_id}/investigation"
    before = snapshot(own_app)

    with failing_inserts(own_app, "case_events"):
        response = own_app.test_client().put(url, json=body, headers=org.headers("sas"))

    assert response.status_code == 500
    assert response.get_json()["error"]["message"] == "Ett oväntat fel inträffade."
    assert changed_tables(before, snapshot(own_app)) == set()
    again = own_app.test_client().put(url, json=body, headers=org.headers("sas"))
    assert again.status_code == 200, again.get_json()


def test_the_mail_server_down_loses_nothing_and_sends_each_mail_once(own_app, org: Org):
    """A decision is made while the mail server is down: the request succeeds, its mails wait
    in the outbox through the scheduler's rounds with growing back-off, and once the server is
    back each arrives exactly once."""
    server = MailServer()  # its port, with nothing listening yet
    own_app.config.update(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=server.port,
        SMTP_TIMEOUT=5,
        MAIL_FROM="lexflode@exempelby.se",
        BASE_URL="https://lexflode.exempelby.se",
    )
    with committing(own_app) as (session, world):
        case = case_in(session, world, "awaiting_decision")
        case_id, version, reference = case.id, case.version, case.reference
        sas_email = world.sas.email
    earlier = set(outbox(own_app))

    response = own_app.test_client().post(
        f"/api/v1/cases/{case_id}/transitions",
        json={"trigger": "approve_filing", "data": APPROVE, "expected_version": version},
        headers=org.headers("chair"),
    )
    assert response.status_code == 200, response.get_json()
    decided = {i: m for i, m in outbox(own_app).items() if i not in earlier}
    # The investigating SAS is told of the decision (and given the filing to do), in the
    # decision's own transaction.
    subjects = {m.subject for m in decided.values()}
    assert f"Lexflöde: beslut fattat i ärende {reference}" in subjects
    assert all(subject.endswith(reference) for subject in subjects)
    assert {m.to_address for m in decided.values()} == {sas_email}
    assert {(m.status, m.attempts) for m in decided.values()} == {("pending", 0)}

    start = datetime.now(UTC) + timedelta(minutes=1)
    rounds = [start + timedelta(minutes=n) for n in range(8)]
    failed = 0
    for moment in rounds:
        sweep_report, delivery = run_clock(own_app, moment)
        assert (delivery.sent, sweep_report.acts) == (0, [])
        failed += delivery.failed
    mails = outbox(own_app)
    assert set(mails) == earlier | set(decided)
    assert {m.status for m in mails.values()} == {"pending"}
    assert sum(m.attempts for m in mails.values()) == failed >= len(rounds) - 1
    for mail in mails.values():
        if mail.attempts:
            assert mail.last_error.startswith("ConnectionRefusedError")
            assert mail.next_attempt_at - mail.claimed_at == backoff(mail.attempts)
    assert max(m.attempts for m in mails.values()) >= 2
    assert server.received == []

    server.start()
    try:
        _, delivery = run_clock(own_app, rounds[-1] + timedelta(hours=2))
        assert (delivery.sent, delivery.failed) == (len(mails), 0)
        _, delivery = run_clock(own_app, rounds[-1] + timedelta(hours=3))
        assert delivery.sent == 0
    finally:
        server.stop()
    received = server.message_ids()
    assert sorted(received) == sorted(f"<lexflode-outbox-{i}@exempelby.se>" for i in mails)
    by_id = {str(m["Message-ID"]): m for m in server.received}
    for mail_id, mail in decided.items():
        message = by_id[f"<lexflode-outbox-{mail_id}@exempelby.se>"]
        assert (message["To"], message["Subject"]) == (sas_email, mail.subject)
        assert f"https://lexflode.exempelby.se/arenden/{case_id}" in message.get_content()
    assert {m.status for m in outbox(own_app).values()} == {"sent"}


# Every act of every deadline the reports open is due by then.
LATER = datetime.now(UTC) + timedelta(days=120)


@dataclass(frozen=True)
class Outcome:
    acts: frozenset[tuple[int, str]]
    notifications: frozenset[str]
    mails: frozenset[str]


def outcome(session: Session) -> Outcome:
    return Outcome(
        frozenset(
            tuple(r) for r in session.execute(select(DeadlineAct.deadline_id, DeadlineAct.act))
        ),
        frozenset(session.scalars(select(Notification.dedupe_key))),
        frozenset(session.scalars(select(OutboxMail.dedupe_key))),
    )


def stored(app: Flask) -> Outcome:
    with Session(engine_of(app)) as session:
        return outcome(session)


def swept_once(app: Flask) -> Outcome:
    """What one uninterrupted sweep writes, found by sweeping and rolling back."""
    with Session(engine_of(app)) as session:
        sweep(session, LATER)
        session.flush()
        result = outcome(session)
        session.rollback()
    return result


@pytest.fixture
def due(own_app: Flask, org: Org) -> Outcome:
    """Reports whose deadlines are all due by LATER, committed; returns what the database holds
    after one uninterrupted sweep."""
    with committing(own_app) as (session, world):
        for _ in range(4):
            new_case(session, world)
    before, expected = stored(own_app), swept_once(own_app)
    assert len(expected.acts - before.acts) >= 20
    return expected


@pytest.fixture
def scheduler(own_app: Flask) -> Iterator[Scheduler]:
    server = MailServer().start()
    try:
        yield Scheduler(own_app, server, LATER)
    finally:
        server.stop()


def assert_each_mail_arrived_once(app: Flask, server: MailServer) -> None:
    ids = server.message_ids()
    assert len(ids) == len(set(ids))
    assert sorted(ids) == sorted(f"<lexflode-outbox-{i}@exempelby.se>" for i in outbox(app))


def test_a_sweep_killed_midway_is_rolled_back_and_the_next_does_every_act_once(
    own_app, due: Outcome, scheduler: Scheduler
):
    before = stored(own_app)

    def nothing_committed_yet() -> None:
        # The acts are journalled, but the sweep is one transaction: nobody sees any of them.
        assert stored(own_app) == before

    scheduler.kill_when_paused("act", 1, nothing_committed_yet)
    assert stored(own_app) == before
    assert scheduler.server.received == []

    output = scheduler.run()
    assert f"{len(due.acts - before.acts)} händelser" in output
    assert "0 redan hanterade" in output
    assert stored(own_app) == due
    assert {m.status for m in outbox(own_app).values()} == {"sent"}
    assert_each_mail_arrived_once(own_app, scheduler.server)


def test_a_scheduler_killed_while_mailing_repeats_nothing(
    own_app, due: Outcome, scheduler: Scheduler
):
    """Killed after the sweep committed, as it hands the third mail to the server and before it
    marks it sent: the restart acts on nothing again, sends the rest, and does not resend the
    one it cannot know the fate of (it stays 'sending', for an operator)."""
    scheduler.kill_when_paused("mail", 3, lambda: None)
    assert stored(own_app) == due
    statuses = [m.status for m in outbox(own_app).values()]
    assert (statuses.count("sent"), statuses.count("sending")) == (2, 1)
    assert len(scheduler.server.received) == 3

    output = scheduler.run()
    assert "0 händelser" in output
    assert stored(own_app) == due
    statuses = [m.status for m in outbox(own_app).values()]
    assert (statuses.count("sending"), statuses.count("pending")) == (1, 0)
    assert_each_mail_arrived_once(own_app, scheduler.server)
