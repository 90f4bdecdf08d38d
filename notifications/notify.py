"""Writing notifications: one inbox row and one outbox mail per recipient, in the caller's
transaction. The dedupe keys are unique in the database, so the same notice can never be
written twice for the same person."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from app.models import Notification, OutboxMail, User

from .mails import render


@dataclass(frozen=True)
class Notice:
    kind: str  # new_task, reminder, overdue, escalation, decision_made, sender_message
    case_id: int
    reference: str
    # Unique per occasion, e.g. "12:reminder_1" for a deadline's first reminder; the recipient's
    # id is appended.
    key: str
    deadline_key: str = ""
    deadline_id: int | None = None
    due_at: datetime | None = None
    level: int = 0


def notify(
    session: Session,
    users: Iterable[User],
    notice: Notice,
    *,
    at: datetime,
    base_url: str,
    no_mail_to: int | None = None,
) -> list[Notification]:
    """In-app for everyone; by mail to everyone with an address except ``no_mail_to`` (the
    person who just did the thing does not need a mail about it)."""
    written: list[Notification] = []
    seen: set[int] = set()
    for user in users:
        if user.id in seen or not user.active:
            continue
        seen.add(user.id)
        dedupe = f"{notice.kind}:{notice.key}:{user.id}"
        row = Notification(
            user_id=user.id,
            case_id=notice.case_id,
            deadline_id=notice.deadline_id,
            kind=notice.kind,
            subject=notice.deadline_key,
            due_at=notice.due_at,
            dedupe_key=dedupe,
            created_at=at,
        )
        session.add(row)
        written.append(row)
        if user.email and user.id != no_mail_to:
            mail = render(
                notice.kind,
                reference=notice.reference,
                case_id=notice.case_id,
                base_url=base_url,
                key=notice.deadline_key,
                due_at=notice.due_at,
                level=notice.level,
            )
            session.add(
                OutboxMail(
                    user_id=user.id,
                    to_address=user.email,
                    subject=mail.subject,
                    body=mail.body,
                    dedupe_key=dedupe,
                    next_attempt_at=at,
                    created_at=at,
                )
            )
    return written
