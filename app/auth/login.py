"""Checking a login: the lockout first, then the password (against a dummy hash when there is
no such user), the attempt recorded either way, and a hash made by an older method renewed
while the password is at hand."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import User

from . import passwords, throttle


@dataclass(frozen=True)
class Outcome:
    user: User | None = None
    # Set when the e-mail or the address is locked out: how long until it may try again.
    locked_for: timedelta | None = None


def authenticate(
    session: Session,
    email: str,
    password: str,
    address: str,
    now: datetime,
    limits: throttle.Limits,
    second_step: Callable[[User], bool] | None = None,
) -> Outcome:
    """``second_step(user)`` true: a second factor follows the password, and records the
    success or failure itself (app/auth/second_step.py); a right password is then no success
    yet, or it would clear the count of wrong codes given before it."""
    email = throttle.normal_email(email)
    until = throttle.locked_until(session, email, address, now, limits)
    if until is not None:
        return Outcome(locked_for=until - now)
    user = session.scalar(select(User).where(func.lower(User.email) == email))
    matches = passwords.verify(user.password_hash if user else None, password)
    # A deactivated account is refused exactly like a wrong password.
    accepted = user if user is not None and user.active and matches else None
    if accepted is None or second_step is None or not second_step(accepted):
        throttle.record(session, email, address, succeeded=accepted is not None, at=now)
    if accepted is not None and passwords.needs_rehash(accepted.password_hash):
        accepted.password_hash = passwords.hash_password(password)
    return Outcome(user=accepted)
