"""SCIM provisioning (app/scim/): the directory's bearer token, and what the directory said about
a user that has no column of its own."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from .base import Base, utcnow
from .org import User
from .tokens import hash_token


class ScimToken(Base):
    """The one bearer token the directory's SCIM client holds. Only its hash is kept; rotating
    it revokes the one before at once, so a leaked token is ended by making a new one."""

    __tablename__ = "scim_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Empty when made with `flask scim token rotate` on the server itself.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None]

    created_by: Mapped[User | None] = relationship()


def current_scim_token(session: Session) -> ScimToken | None:
    return session.scalar(
        select(ScimToken).where(ScimToken.revoked_at.is_(None)).order_by(ScimToken.id.desc())
    )


def rotate_scim_token(session: Session, actor: User | None) -> tuple[ScimToken, str]:
    """A new token, which replaces every one before; the token itself is shown once."""
    now = utcnow()
    for row in session.scalars(select(ScimToken).where(ScimToken.revoked_at.is_(None))):
        row.revoked_at = now
    token = "scim_" + secrets.token_urlsafe(32)
    row = ScimToken(token_hash=hash_token(token), created_at=now, created_by=actor)
    session.add(row)
    session.flush()
    return row, token


class ScimUserAttributes(Base):
    """The directory's own values for a user's SCIM attributes that Lexflöde keeps no column
    for (name parts, display name, e-mail addresses), so that a client reads back what it wrote.
    The columns of ``users`` stay the truth for what they hold (app/scim/resources.py)."""

    __tablename__ = "scim_user_attributes"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
