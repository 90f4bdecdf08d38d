"""What the throttles keep, kept only as long as it counts: the scheduler prunes login attempts
(an address and the e-mail typed: personal data) after LOGIN_ATTEMPTS_KEEP_DAYS, and rate
counters whose window has passed, which the next request of the same key would start again at
one anyway. Without it both tables grew by a row per address and per token ever seen."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Delete, delete
from sqlalchemy.orm import Session

from app.models.security import LoginAttempt, RateCounter


def counter_windows(config: Mapping[str, Any]) -> dict[str, int]:
    """Each counter key's prefix and its window in seconds (app/api/auth.py, app/auth/reset.py)."""
    return {
        "api:": int(config["API_RATE_WINDOW_SECONDS"]),
        "reset:": int(float(config["RESET_RATE_WINDOW_MINUTES"]) * 60),
    }


def _deleted(session: Session, statement: Delete) -> int:
    return int(cast(CursorResult[Any], session.execute(statement)).rowcount)


def prune(session: Session, now: datetime, config: Mapping[str, Any]) -> int:
    """Deletes what no longer counts; the number of rows deleted. The caller commits."""
    deleted = 0
    for prefix, window in counter_windows(config).items():
        current = int(now.timestamp() // window)
        deleted += _deleted(
            session,
            delete(RateCounter).where(
                RateCounter.key.startswith(prefix, autoescape=True), RateCounter.window < current
            ),
        )
    # The lockout looks back a window and a lockout; a month more is for whoever looks into
    # an attack afterwards.
    looked_at = timedelta(
        minutes=int(config["LOGIN_FAILURE_WINDOW_MINUTES"]) + int(config["LOGIN_LOCKOUT_MINUTES"])
    )
    keep = max(timedelta(days=int(config["LOGIN_ATTEMPTS_KEEP_DAYS"])), looked_at)
    deleted += _deleted(session, delete(LoginAttempt).where(LoginAttempt.at < now - keep))
    return deleted
