"""Ways in for those without an account (DOMAIN.md §3.5 rev. 2): the published links, the
receipt a sender keeps to follow their case, and the messages between sender and handler."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .deadlines import one_of

if TYPE_CHECKING:
    from .cases import Case
    from .org import Unit, User

MESSAGE_DIRECTIONS = ("from_sender", "to_sender")


class PublicLink(Base):
    """A link the municipality publishes (and prints as a QR code): for one unit, or for the
    whole administration when ``unit_id`` is empty. The token is what makes it unguessable;
    rotating it gives a new token and retires the old one."""

    __tablename__ = "public_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit | None] = relationship()


class Receipt(Base):
    """What a sender without an account holds: the code (shown, unique, not sequential) and a
    secret only they know (its scrypt hash is kept, never the secret)."""

    __tablename__ = "public_receipts"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship()


class CaseMessage(Base):
    """One message between the sender and the handler. Case content: read only by the case's
    handlers (access-logged) and the sender with their receipt; its history row says only that
    a message was sent."""

    __tablename__ = "case_messages"
    __table_args__ = (
        CheckConstraint(one_of("direction", MESSAGE_DIRECTIONS), name="direction_known"),
        # A handler's message has its author; the sender has no account.
        CheckConstraint(
            "(direction = 'to_sender') = (author_id IS NOT NULL)", name="author_for_handler"
        ),
        Index("ix_case_messages_case_created", "case_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(20))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship()
