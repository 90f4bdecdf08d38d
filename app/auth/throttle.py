"""Login throttling: after too many failed attempts for one e-mail, or from one address, within
a window, that e-mail or address is locked out for a while.

Counted by the e-mail as typed, whether or not an account has it, so that a lockout tells
nothing about which accounts exist. A successful login starts the e-mail's count afresh; the
address's count is not reset by one, or an attacker with one account could clear it. Attempts
refused while locked out are not recorded, so a lockout ends when it says it will.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from app.models import LoginAttempt


@dataclass(frozen=True)
class Limits:
    per_email: int = 5
    per_address: int = 20
    window: timedelta = timedelta(minutes=15)
    lockout: timedelta = timedelta(minutes=15)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Limits:
        return cls(
            per_email=int(config["LOGIN_MAX_FAILURES_PER_EMAIL"]),
            per_address=int(config["LOGIN_MAX_FAILURES_PER_ADDRESS"]),
            window=timedelta(minutes=float(config["LOGIN_FAILURE_WINDOW_MINUTES"])),
            lockout=timedelta(minutes=float(config["LOGIN_LOCKOUT_MINUTES"])),
        )


def normal_email(value: str) -> str:
    return value.strip().lower()[:254]


def lock_end(failures: Sequence[datetime], limit: int, limits: Limits) -> datetime | None:
    """When the lockout the failures (oldest first) caused ends: ``lockout`` after any failure
    that made ``limit`` of them within ``window``."""
    ends = [
        failures[i] + limits.lockout
        for i in range(limit - 1, len(failures))
        if failures[i] - failures[i - limit + 1] <= limits.window
    ]
    return max(ends, default=None)


def _failures(session: Session, key: ColumnElement[bool], since: datetime) -> list[datetime]:
    return list(
        session.scalars(
            select(LoginAttempt.at)
            .where(key, LoginAttempt.succeeded.is_(False), LoginAttempt.at > since)
            .order_by(LoginAttempt.at, LoginAttempt.id)
        )
    )


def locked_until(
    session: Session, email: str, address: str, now: datetime, limits: Limits
) -> datetime | None:
    since = now - limits.window - limits.lockout
    last_success = session.scalar(
        select(func.max(LoginAttempt.at)).where(
            LoginAttempt.email == email, LoginAttempt.succeeded.is_(True)
        )
    )
    ends = [
        lock_end(
            _failures(session, LoginAttempt.email == email, max(since, last_success or since)),
            limits.per_email,
            limits,
        )
    ]
    if address:
        ends.append(
            lock_end(
                _failures(session, LoginAttempt.address == address, since),
                limits.per_address,
                limits,
            )
        )
    until = max((end for end in ends if end is not None), default=None)
    return until if until is not None and until > now else None


def record(session: Session, email: str, address: str, *, succeeded: bool, at: datetime) -> None:
    session.add(LoginAttempt(at=at, email=email, address=address[:64], succeeded=succeeded))
    session.flush()
