"""A mail whose sender died while sending it (left ``sending``) is sent again once its lease has
run out, and not before: a claim still within its lease belongs to a sender that may be about to
mark it sent. Against a real SMTP server, and with a real `flask deadlines sweep` killed with
SIGKILL in the middle of mailing."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from app.models import OutboxMail
from notifications.outbox import SmtpSettings, deliver
from tests.clock.smtp import MailServer, _Collect, free_port
from tests.factories import new_case

from .processes import Scheduler
from .support import committing, outbox

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
LEASE = timedelta(minutes=10)
# Every deadline of a new report is due by then (tests/reliability/test_faults.py).
LATER = datetime.now(UTC) + timedelta(days=120)


@pytest.fixture
def server() -> Iterator[MailServer]:
    server = MailServer().start()
    yield server
    server.stop()


def outbox_mail(session, key: str, **values: Any) -> OutboxMail:
    row = OutboxMail(
        to_address=f"{key}@exempelby.se",
        subject="Påminnelse",
        body="En tidsfrist närmar sig.",
        dedupe_key=key,
        next_attempt_at=NOW - timedelta(minutes=30),
        **values,
    )
    session.add(row)
    session.commit()
    return row


def reread(session, mail: OutboxMail) -> OutboxMail:
    session.expire_all()
    return session.scalars(select(OutboxMail).where(OutboxMail.id == mail.id)).one()


def message_id(mail: OutboxMail) -> str:
    return f"<lexflode-outbox-{mail.id}@exempelby.se>"


def test_a_mail_left_sending_past_its_lease_is_sent_by_the_next_run(session, server):
    dead = outbox_mail(
        session, "dead", status="sending", attempts=1, claimed_at=NOW - LEASE - timedelta(seconds=1)
    )
    report = deliver(session, NOW, server.settings)
    assert (report.sent, report.failed, report.stuck) == (1, 0, 1)
    assert "två gånger" in str(report)
    assert server.message_ids() == [message_id(dead)]
    row = reread(session, dead)
    assert (row.status, row.attempts, row.sent_at) == ("sent", 2, NOW)
    # Sent, so never again.
    assert deliver(session, NOW + 2 * LEASE, server.settings).sent == 0
    assert server.message_ids() == [message_id(dead)]


def test_a_mail_within_its_lease_is_left_to_its_sender(session, server):
    busy = outbox_mail(
        session, "busy", status="sending", attempts=1, claimed_at=NOW - LEASE + timedelta(minutes=1)
    )
    waiting = outbox_mail(session, "waiting")
    report = deliver(session, NOW, server.settings)
    assert (report.sent, report.stuck) == (1, 0)
    assert server.message_ids() == [message_id(waiting)]
    row = reread(session, busy)
    assert (row.status, row.attempts) == ("sending", 1)


def test_the_lease_is_the_configured_one(session, server):
    claimed = NOW - timedelta(minutes=11)
    mail = outbox_mail(session, "slow", status="sending", attempts=1, claimed_at=claimed)
    longer = replace(server.settings, lease=timedelta(minutes=30))
    assert deliver(session, NOW, longer).sent == 0
    assert reread(session, mail).status == "sending"
    assert deliver(session, NOW, server.settings).sent == 1  # the default ten minutes


def test_a_lease_too_short_for_one_mail_is_refused():
    with pytest.raises(ValueError, match="SMTP_LEASE_SECONDS"):
        SmtpSettings(host="h", port=25, mail_from="a@b.se", timeout=10, lease=timedelta(seconds=60))
    with pytest.raises(ValueError, match="SMTP_LEASE_SECONDS"):
        SmtpSettings.from_config(
            {"SMTP_HOST": "h", "SMTP_PORT": 25, "MAIL_FROM": "a@b.se", "SMTP_LEASE_SECONDS": 30}
        )


class _Slow(_Collect):
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        await asyncio.sleep(0.3)
        return await super().handle_DATA(server, session, envelope)


def test_each_claim_is_stamped_when_it_is_made_not_when_the_run_began(session):
    """Otherwise the last mails of a run longer than the lease would be claimed already
    'expired', and a second sender would send them again while this one still is."""
    port = free_port()
    received: list[Any] = []
    controller = Controller(_Slow(received), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        mails = [outbox_mail(session, f"m{i}") for i in range(3)]
        settings = SmtpSettings(host="127.0.0.1", port=port, mail_from="l@exempelby.se", timeout=5)
        assert deliver(session, NOW, settings).sent == 3
    finally:
        controller.stop()
    claims = [reread(session, m).claimed_at for m in mails]
    claims = [c.replace(tzinfo=UTC) if c.tzinfo is None else c for c in claims]
    assert claims[0] - NOW < timedelta(seconds=0.3)
    assert claims[1] - claims[0] >= timedelta(seconds=0.3)
    assert claims[2] - claims[1] >= timedelta(seconds=0.3)


# --- a sender really killed while it hands a mail to the server ----------------------------------


@pytest.fixture
def killed_while_mailing(own_app, org) -> Iterator[tuple[Scheduler, int]]:
    """The real `flask deadlines sweep`, SIGKILLed right after the server took its third mail and
    before it could mark it sent; returns the scheduler and that mail's id."""
    with committing(own_app) as (session, world):
        for _ in range(2):
            new_case(session, world)
    server = MailServer().start()
    try:
        scheduler = Scheduler(own_app, server, LATER)
        scheduler.kill_when_paused("mail", 3, lambda: None)
        [dead] = [i for i, m in outbox(own_app).items() if m.status == "sending"]
        assert len(server.received) == 3
        yield scheduler, dead
    finally:
        server.stop()


def test_the_mail_of_a_killed_sender_waits_for_its_lease(killed_while_mailing):
    scheduler, dead = killed_while_mailing
    scheduler.now = LATER + LEASE - timedelta(minutes=1)
    scheduler.run()
    assert outbox(scheduler.app)[dead].status == "sending"
    assert scheduler.server.message_ids().count(f"<lexflode-outbox-{dead}@exempelby.se>") == 1


def test_the_mail_of_a_killed_sender_is_sent_again_after_its_lease(killed_while_mailing):
    """At-least-once: the killed sender had handed it over, so it arrives twice, with one
    Message-ID; every other mail arrives once."""
    scheduler, dead = killed_while_mailing
    scheduler.now = LATER + LEASE + timedelta(minutes=1)
    output = scheduler.run()
    assert "två gånger" in output
    mails = outbox(scheduler.app)
    assert {m.status for m in mails.values()} == {"sent"}
    assert mails[dead].attempts == 2
    ids = scheduler.server.message_ids()
    assert sorted(ids) == sorted(
        [f"<lexflode-outbox-{i}@exempelby.se>" for i in mails]
        + [f"<lexflode-outbox-{dead}@exempelby.se>"]
    )
