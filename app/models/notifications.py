"""The in-app inbox and the e-mail outbox (DOMAIN.md §6).

Both are written in the transaction of the change that causes them; the outbox is delivered
after commit. A unique dedupe key on each makes a repeated write fail instead of notifying twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .deadlines import one_of

if TYPE_CHECKING:
    from .cases import Case
    from .org import User

NOTIFICATION_KINDS = (
    "new_task",
    "reminder",
    "overdue",
    "escalation",
    "decision_made",
    "sender_message",
)
MAIL_STATUSES = ("pending", "sending", "sent")


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint(one_of("kind", NOTIFICATION_KINDS), name="kind_known"),
        Index("ix_notifications_user_read", "user_id", "read_at"),
        # The read ones, newest first (notifications.inbox).
        Index("ix_notifications_user_created", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    deadline_id: Mapped[int | None] = mapped_column(
        ForeignKey("deadlines.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    # What it is about, as a code the UI labels (a deadline key); never case content.
    subject: Mapped[str] = mapped_column(String(40), default="")
    due_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    dedupe_key: Mapped[str] = mapped_column(String(120), unique=True)

    user: Mapped[User] = relationship()
    case: Mapped[Case | None] = relationship()


class OutboxMail(Base):
    """A mail to send after commit. It carries no personal data and no case content."""

    __tablename__ = "outbox_mails"
    __table_args__ = (
        CheckConstraint(one_of("status", MAIL_STATUSES), name="status_known"),
        CheckConstraint("status != 'sent' OR sent_at IS NOT NULL", name="sent_has_time"),
        Index("ix_outbox_mails_status_next_attempt", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    dedupe_key: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
