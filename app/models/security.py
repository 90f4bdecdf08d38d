"""Login attempts, kept to throttle guessing and lock an address or account out for a while;
and fixed-window counters that rate-limit the API and password reset requests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class LoginAttempt(Base):
    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_at", "email", "at"),
        Index("ix_login_attempts_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    # As typed (lower-cased), whether or not such a user exists: a lockout must not tell.
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64), default="")
    succeeded: Mapped[bool] = mapped_column(default=False)


class RateCounter(Base):
    """One row per thing counted ("api:address:10.0.0.1", "reset:email:…"), reused window after
    window: the request's one upsert either adds one to the current window's count or starts the
    next window at one (app/auth/ratelimit.py). A row in the database, not a counter in a worker's
    memory, so that all gunicorn workers share the count."""

    __tablename__ = "rate_counters"

    key: Mapped[str] = mapped_column(String(320), primary_key=True)
    # The window's number: seconds since the epoch divided by the window's length.
    window: Mapped[int]
    count: Mapped[int]
