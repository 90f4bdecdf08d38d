"""Delivering the outbox after commit, over SMTP.

Each mail goes through three short transactions of its own: claim (pending → sending, committed
before anything is sent), send, then mark sent — or, when the server fails, back to pending with
an exponential back-off. A claimed mail is never picked again, so no mail is sent twice; a
failure loses nothing. The claim is a conditional UPDATE, so two senders racing for the same row
cannot both win, and on PostgreSQL ``FOR UPDATE SKIP LOCKED`` keeps them from even waiting for
each other.

If the process dies between sending and marking, the mail stays ``sending``: re-sending it could
send it twice, so it is left for an operator (``flask outbox send`` reports such mails).
"""

from __future__ import annotations

import smtplib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from app.models import OutboxMail

BACKOFF_CAP = timedelta(hours=1)
STUCK_AFTER = timedelta(minutes=30)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    mail_from: str
    timeout: float = 10.0
    username: str = ""
    password: str = ""
    starttls: bool = False

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SmtpSettings:
        return cls(
            host=str(config["SMTP_HOST"]),
            port=int(config["SMTP_PORT"]),
            mail_from=str(config["MAIL_FROM"]),
            timeout=float(config.get("SMTP_TIMEOUT", 10.0)),
            username=str(config.get("SMTP_USERNAME") or ""),
            password=str(config.get("SMTP_PASSWORD") or ""),
            starttls=bool(config.get("SMTP_STARTTLS", False)),
        )


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    stuck: int = 0
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = f"skickade: {self.sent}, misslyckade: {self.failed}"
        if self.stuck:
            text += f", fastnade under sändning (kontrollera manuellt): {self.stuck}"
        return text


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after the n-th failed attempt, never more than an hour."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), BACKOFF_CAP)


def deliver(
    session: Session, now: datetime, smtp: SmtpSettings, *, limit: int = 500
) -> DeliveryReport:
    """Send due mails. Call only after the transaction that wrote them has committed: this
    commits, mail by mail."""
    report = DeliveryReport()
    connection: smtplib.SMTP | None = None
    try:
        while report.sent + report.failed < limit:
            mail = _claim(session, now)
            if mail is None:
                break
            try:
                if connection is None:
                    connection = _connect(smtp)
                connection.send_message(_message(mail, smtp, now))
            except (smtplib.SMTPException, OSError) as exc:
                _release(session, mail, now, exc)
                report.failed += 1
                report.errors.append(f"{type(exc).__name__}: {exc}")
                # The server is in trouble: leave the rest for the next round.
                break
            _mark_sent(session, mail, now)
            report.sent += 1
    finally:
        if connection is not None:
            _quit(connection)
    report.stuck = (
        session.scalar(
            select(func.count())
            .select_from(OutboxMail)
            .where(OutboxMail.status == "sending", OutboxMail.claimed_at < now - STUCK_AFTER)
        )
        or 0
    )
    session.commit()
    return report


def _claim(session: Session, now: datetime) -> OutboxMail | None:
    while True:
        candidate = session.scalars(
            select(OutboxMail.id)
            .where(OutboxMail.status == "pending", OutboxMail.next_attempt_at <= now)
            .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        ).first()
        if candidate is None:
            session.commit()
            return None
        claimed = cast(
            "CursorResult[Any]",
            session.execute(
                update(OutboxMail)
                .where(OutboxMail.id == candidate, OutboxMail.status == "pending")
                .values(status="sending", attempts=OutboxMail.attempts + 1, claimed_at=now)
                .execution_options(synchronize_session=False)
            ),
        ).rowcount
        session.commit()
        if claimed:
            return session.get(OutboxMail, candidate, populate_existing=True)


def _mark_sent(session: Session, mail: OutboxMail, now: datetime) -> None:
    mail.status, mail.sent_at, mail.last_error = "sent", now, ""
    session.commit()


def _release(session: Session, mail: OutboxMail, now: datetime, exc: Exception) -> None:
    mail.status = "pending"
    mail.next_attempt_at = now + backoff(mail.attempts)
    mail.last_error = f"{type(exc).__name__}: {exc}"[:1000]
    session.commit()


def _connect(smtp: SmtpSettings) -> smtplib.SMTP:
    connection = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    if smtp.starttls:
        connection.starttls()
    if smtp.username:
        connection.login(smtp.username, smtp.password)
    return connection


def _quit(connection: smtplib.SMTP) -> None:
    try:
        connection.quit()
    except (smtplib.SMTPException, OSError):
        connection.close()


def _message(mail: OutboxMail, smtp: SmtpSettings, now: datetime) -> EmailMessage:
    message = EmailMessage()
    message["From"] = smtp.mail_from
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(now)
    # Stable per outbox row, so a receiving system can recognise a mail it already has.
    domain = smtp.mail_from.rsplit("@", 1)[-1].strip(">") or "lexflode"
    message["Message-ID"] = f"<lexflode-outbox-{mail.id}@{domain}>"
    message.set_content(mail.body)
    return message
