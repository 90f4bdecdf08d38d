"""Delivering the outbox after commit, over SMTP.

Each mail goes through three short transactions of its own: claim (pending → sending, committed
before anything is sent), send, then mark sent — or, when the server fails, back to pending with
an exponential back-off. The claim is a conditional UPDATE, so two senders racing for the same
row cannot both win, and on PostgreSQL ``FOR UPDATE SKIP LOCKED`` keeps them from even waiting
for each other.

A claim is a lease (SMTP_LEASE_SECONDS, ten minutes by default). A sender that is alive finishes
one mail long before it runs out — every step with the server is bounded by SMTP_TIMEOUT, and
the lease must be far longer (``MIN_LEASE_TIMEOUTS``) — so in the normal case no mail is sent
twice. A mail still ``sending`` after its lease belongs to a sender that died (killed, machine
restarted): the next run claims it again and sends it. That is at-least-once, not exactly-once,
and only for that mail: if the dead sender had already handed it to the server, it arrives
twice, with the same Message-ID, by which mail clients can tell the copy. Sending it again is
chosen over leaving it unsent, because a lost reminder of a legal deadline costs more than a
duplicate.

The connection is encrypted as SMTP_SECURITY says: ``starttls`` (port 587 or 25) or ``ssl``
(implicit TLS, port 465), both verifying the server's certificate and name against the system's
CAs or SMTP_CA_FILE (a municipality's internal CA); ``none`` only on a trusted local relay.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any, cast

from sqlalchemy import CursorResult, and_, or_, select, update
from sqlalchemy.orm import Session

from app.models import OutboxMail

BACKOFF_CAP = timedelta(hours=1)
SECURITY_MODES = ("none", "starttls", "ssl")
DEFAULT_LEASE = timedelta(minutes=10)
# One mail is a handful of exchanges with the server (connect, EHLO, STARTTLS, login, MAIL, RCPT,
# DATA), each bounded by the timeout: a lease shorter than this many timeouts could run out
# under a sender that is still alive, and the mail would go out twice.
MIN_LEASE_TIMEOUTS = 10


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    mail_from: str
    timeout: float = 10.0
    username: str = ""
    password: str = ""
    security: str = "none"
    ca_file: str = ""
    lease: timedelta = DEFAULT_LEASE

    def __post_init__(self) -> None:
        if self.security not in SECURITY_MODES:
            raise ValueError(
                f"SMTP_SECURITY must be one of {', '.join(SECURITY_MODES)}, not {self.security!r}"
            )
        if self.lease.total_seconds() < MIN_LEASE_TIMEOUTS * self.timeout:
            raise ValueError(
                f"SMTP_LEASE_SECONDS ({self.lease.total_seconds():g}) must be at least "
                f"{MIN_LEASE_TIMEOUTS} × SMTP_TIMEOUT ({self.timeout:g}): a shorter lease can "
                "run out while a mail is still being sent, and it would be sent twice"
            )

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SmtpSettings:
        return cls(
            host=str(config["SMTP_HOST"]),
            port=int(config["SMTP_PORT"]),
            mail_from=str(config["MAIL_FROM"]),
            timeout=float(config.get("SMTP_TIMEOUT", 10.0)),
            username=str(config.get("SMTP_USERNAME") or ""),
            password=str(config.get("SMTP_PASSWORD") or ""),
            security=security_from_config(config),
            ca_file=str(config.get("SMTP_CA_FILE") or ""),
            lease=timedelta(
                seconds=float(config.get("SMTP_LEASE_SECONDS", DEFAULT_LEASE.total_seconds()))
            ),
        )


def security_from_config(config: Mapping[str, Any]) -> str:
    """SMTP_SECURITY, or for a configuration written before it existed, SMTP_STARTTLS=True as
    "starttls". Saying "none" while SMTP_STARTTLS is on is refused rather than guessed: one of
    the two is a mistake, and guessing wrong would send mail unencrypted."""
    legacy = bool(config.get("SMTP_STARTTLS", False))
    chosen = str(config.get("SMTP_SECURITY") or "").strip().lower()
    if not chosen:
        return "starttls" if legacy else "none"
    if chosen == "none" and legacy:
        raise ValueError("SMTP_SECURITY is 'none' but SMTP_STARTTLS is on: set only SMTP_SECURITY")
    return chosen


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    # Of those sent: mails whose sender had died while sending them (lease run out), sent again.
    stuck: int = 0
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = f"skickade: {self.sent}, misslyckade: {self.failed}"
        if self.stuck:
            text += (
                ", varav skickade igen efter en avbruten sändning "
                f"(kan ha kommit fram två gånger): {self.stuck}"
            )
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
    clock = _running_from(now)
    try:
        while report.sent + report.failed < limit:
            claim = _claim(session, clock(), smtp.lease)
            if claim is None:
                break
            mail, instant, reclaimed = claim
            try:
                if connection is None:
                    connection = _connect(smtp)
                connection.send_message(_message(mail, smtp, now))
            except (smtplib.SMTPException, OSError) as exc:
                _release(session, mail, instant, exc)
                report.failed += 1
                report.errors.append(f"{type(exc).__name__}: {exc}")
                # The server is in trouble: leave the rest for the next round.
                break
            _mark_sent(session, mail, now)
            report.sent += 1
            report.stuck += reclaimed
    finally:
        if connection is not None:
            _quit(connection)
    session.commit()
    return report


def _running_from(now: datetime) -> Callable[[], datetime]:
    """``now`` moved on by the time this run has taken. A claim is stamped with the moment it
    is made, not the moment the run began: a run that takes longer than a lease must not hand
    out claims that look expired to the next sender the moment they are made."""
    started = time.monotonic()
    return lambda: now + timedelta(seconds=time.monotonic() - started)


def _claim(
    session: Session, instant: datetime, lease: timedelta
) -> tuple[OutboxMail, datetime, bool] | None:
    """The next due mail, claimed at ``instant``: a pending one whose time has come, or one
    whose sender died with it (``sending`` past its lease). Also whether it was the latter."""
    expired = and_(OutboxMail.status == "sending", OutboxMail.claimed_at < instant - lease)
    due = or_(and_(OutboxMail.status == "pending", OutboxMail.next_attempt_at <= instant), expired)
    while True:
        candidate = session.execute(
            select(OutboxMail.id, OutboxMail.status)
            .where(due)
            .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        ).first()
        if candidate is None:
            session.commit()
            return None
        # Conditional on what made it due: of two senders that both saw it, one wins.
        claimed = cast(
            "CursorResult[Any]",
            session.execute(
                update(OutboxMail)
                .where(OutboxMail.id == candidate.id, due)
                .values(status="sending", attempts=OutboxMail.attempts + 1, claimed_at=instant)
                .execution_options(synchronize_session=False)
            ),
        ).rowcount
        session.commit()
        if claimed:
            mail = session.get(OutboxMail, candidate.id, populate_existing=True)
            if mail is not None:
                return mail, instant, candidate.status == "sending"


def _mark_sent(session: Session, mail: OutboxMail, now: datetime) -> None:
    mail.status, mail.sent_at, mail.last_error = "sent", now, ""
    session.commit()


def _release(session: Session, mail: OutboxMail, attempted: datetime, exc: Exception) -> None:
    mail.status = "pending"
    mail.next_attempt_at = attempted + backoff(mail.attempts)
    mail.last_error = f"{type(exc).__name__}: {exc}"[:1000]
    session.commit()


def _tls_context(smtp: SmtpSettings) -> ssl.SSLContext:
    """Certificate and host name verified (create_default_context's defaults), against the
    system's CAs or the configured file."""
    return ssl.create_default_context(cafile=smtp.ca_file or None)


def _connect(smtp: SmtpSettings) -> smtplib.SMTP:
    connection: smtplib.SMTP
    if smtp.security == "ssl":
        connection = smtplib.SMTP_SSL(
            smtp.host, smtp.port, timeout=smtp.timeout, context=_tls_context(smtp)
        )
    else:
        connection = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    try:
        if smtp.security == "starttls":
            # Refuses a server that offers no STARTTLS rather than going on in the clear.
            connection.starttls(context=_tls_context(smtp))
        if smtp.username:
            connection.login(smtp.username, smtp.password)
    except BaseException:
        connection.close()
        raise
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
