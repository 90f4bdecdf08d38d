"""A local account's second factor (DOMAIN.md §2 rev. 2): a TOTP secret (RFC 6238) and the
one-time recovery codes that stand in for a lost phone. Sign-in through the directory does not
use them; the identity provider does its own strong authentication."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class SecondFactor(Base):
    __tablename__ = "second_factors"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    # Base32, as the authenticator app gets it. Kept readable: a TOTP check needs the secret
    # itself, not a hash of it.
    secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # None while enrolment waits for its first code: until then the factor is not asked for.
    confirmed_at: Mapped[datetime | None]
    # The newest 30-second time-step whose code was accepted: that code, and every older one,
    # is refused from then on (RFC 6238 §5.2), so an overheard code cannot be used again.
    last_step: Mapped[int | None]


class RecoveryCode(Base):
    """Shown once at enrolment; only the hash is kept. Each works once."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]
