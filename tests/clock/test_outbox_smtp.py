"""The outbox against a real SMTP server: mails arrive once; while the server is down they wait
with growing back-off and nothing is lost; after the restart each arrives exactly once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.models import OutboxMail
from notifications.outbox import backoff, deliver
from tests.clock.smtp import MailServer
from tests.clock.support import Clock, local, mails
from tests.factories import new_case
from workflows.sweep import sweep

MONDAY = local(2026, 12, 7, 9, 0)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, MONDAY)


@pytest.fixture
def server():
    server = MailServer().start()
    yield server
    server.stop()


def pending(session) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(
        select(func.count()).select_from(OutboxMail).where(OutboxMail.status != "sent")
    )


def test_backoff_doubles_up_to_an_hour():
    assert [backoff(n) for n in range(1, 9)] == [
        timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 60, 60)
    ]


def test_mails_arrive_once(session, world, clock, server):
    for _ in range(3):
        new_case(session, world)
    sweep(session, local(2026, 12, 8, 9, 0))
    outbox = mails(session)
    assert len(outbox) > 6

    report = deliver(session, local(2026, 12, 8, 9, 0), server.settings)
    assert (report.sent, report.failed) == (len(outbox), 0)
    assert deliver(session, local(2026, 12, 8, 9, 5), server.settings).sent == 0
    assert sorted(server.message_ids()) == sorted(
        f"<lexflode-outbox-{m.id}@exempelby.se>" for m in outbox
    )
    by_id = {f"<lexflode-outbox-{m.id}@exempelby.se>": m for m in outbox}
    for message in server.received:
        mail = by_id[str(message["Message-ID"])]
        assert (message["To"], message["Subject"]) == (mail.to_address, mail.subject)
        assert message.get_content().replace("\r\n", "\n") == mail.body
    session.expire_all()
    assert {(m.status, m.attempts, m.sent_at) for m in mails(session)} == {
        ("sent", 1, local(2026, 12, 8, 9, 0))
    }


def test_a_mail_outage_loses_nothing_and_doubles_nothing(session, world, clock, server):
    for _ in range(2):
        new_case(session, world)
    deliver(session, MONDAY, server.settings)  # the new tasks
    already = len(server.received)
    sweep(session, local(2026, 12, 8, 9, 0))
    waiting = pending(session)
    assert waiting > 0

    server.stop()
    moment = local(2026, 12, 8, 9, 0)
    for _ in range(12):
        report = deliver(session, moment, server.settings)
        assert (report.sent, report.failed) in ((0, 1), (0, 0))
        moment += timedelta(minutes=1)
    session.expire_all()
    failed = [m for m in mails(session) if m.status != "sent" and m.attempts]
    assert failed
    assert all(m.status == "pending" and "Error" in m.last_error for m in failed)
    # A mail tried n times waits 1, 2, 4 … minutes after its last attempt.
    for mail in failed:
        assert mail.next_attempt_at - mail.claimed_at == backoff(mail.attempts)
    assert max(m.attempts for m in failed) >= 2
    assert pending(session) == waiting
    assert len(server.received) == already

    server.start()
    report = deliver(session, moment + timedelta(hours=2), server.settings)
    assert (report.sent, report.failed) == (waiting, 0)
    assert pending(session) == 0
    ids = server.message_ids()
    assert len(ids) == len(set(ids)) == already + waiting
    assert deliver(session, moment + timedelta(hours=3), server.settings).sent == 0


def test_a_claimed_mail_is_not_sent_again_within_its_lease(session, world, clock, server):
    new_case(session, world)
    [first, *rest] = mails(session)
    # Another sender claimed it and may be sending it now (after the lease: tests/reliability/
    # test_outbox_lease.py).
    first.status, first.claimed_at = "sending", MONDAY
    session.flush()
    report = deliver(session, MONDAY + timedelta(minutes=5), server.settings)
    assert report.sent == len(rest)
    assert report.stuck == 0
    assert f"<lexflode-outbox-{first.id}@exempelby.se>" not in server.message_ids()
