"""Login throttling: too many failed attempts within a window lock out, for a while, the e-mail
(from every address), the e-mail from the one address that failed, or, at a much higher count,
the address itself.

A municipality's staff often reach us from one public address (NAT): 30 people each mistyping
twice is 60 failures from one address, and a lockout of that address would lock the whole town
hall out. So an address is judged account by account — per (address, e-mail) pair — and only a
ceiling far above what an office produces (LOGIN_MAX_FAILURES_PER_ADDRESS, 200) locks it as a
whole; that ceiling is what stops one address from trying one password on many accounts.

Counted by the e-mail as typed, whether or not an account has it, so that a lockout tells
nothing about which accounts exist. A successful login starts the e-mail's count afresh; the
pair's count only by a success of that pair, so that the owner's own logins elsewhere do not
give someone guessing from another address fresh tries; the address's count is never reset by
one, or an attacker with one account could clear it. Attempts refused while locked out are not
recorded, so a lockout ends when it says it will.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import LoginAttempt


@dataclass(frozen=True)
class Limits:
    per_email: int = 5
    per_address_and_email: int = 5
    per_address: int = 200
    window: timedelta = timedelta(minutes=15)
    lockout: timedelta = timedelta(minutes=15)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Limits:
        return cls(
            per_email=int(config["LOGIN_MAX_FAILURES_PER_EMAIL"]),
            per_address_and_email=int(config["LOGIN_MAX_FAILURES_PER_ADDRESS_AND_EMAIL"]),
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


def _since_last_success(
    attempts: Sequence[tuple[datetime, str, bool]], address: str | None
) -> list[datetime]:
    """The failures after the last success (of the e-mail, or of the pair when ``address`` is
    given), oldest first."""
    failures: list[datetime] = []
    for at, where, succeeded in attempts:
        if address is not None and where != address:
            continue
        if succeeded:
            failures = []
        else:
            failures.append(at)
    return failures


def locked_until(
    session: Session, email: str, address: str, now: datetime, limits: Limits
) -> datetime | None:
    """Two queries: the e-mail's attempts (both its own count and the pair's come from them) and
    the address's failures."""
    since = now - limits.window - limits.lockout
    attempts = [
        (row.at, row.address, row.succeeded)
        for row in session.execute(
            select(LoginAttempt.at, LoginAttempt.address, LoginAttempt.succeeded)
            .where(LoginAttempt.email == email, LoginAttempt.at > since)
            .order_by(LoginAttempt.at, LoginAttempt.id)
        )
    ]
    ends = [lock_end(_since_last_success(attempts, None), limits.per_email, limits)]
    if address:
        pair = _since_last_success(attempts, address[:64])
        ends.append(lock_end(pair, limits.per_address_and_email, limits))
        from_address = list(
            session.scalars(
                select(LoginAttempt.at)
                .where(
                    LoginAttempt.address == address[:64],
                    LoginAttempt.succeeded.is_(False),
                    LoginAttempt.at > since,
                )
                .order_by(LoginAttempt.at, LoginAttempt.id)
            )
        )
        ends.append(lock_end(from_address, limits.per_address, limits))
    until = max((end for end in ends if end is not None), default=None)
    return until if until is not None and until > now else None


def record(session: Session, email: str, address: str, *, succeeded: bool, at: datetime) -> None:
    session.add(LoginAttempt(at=at, email=email, address=address[:64], succeeded=succeeded))
    session.flush()
