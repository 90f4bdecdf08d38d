"""Rows and figures the ops tests share."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import AccessLogEntry, SchedulerHeartbeat


def beat(session: Session, age: timedelta, name: str = "clock") -> SchedulerHeartbeat:
    row = session.get(SchedulerHeartbeat, name) or SchedulerHeartbeat(name=name)
    row.last_beat_at = datetime.now(UTC) - age
    row.sweep_seconds, row.acts, row.mails_sent, row.mails_failed = 0.25, 7, 2, 1
    row.pid, row.host = 4242, "scheduler-host"
    session.add(row)
    session.flush()
    return row


def access_log_rows(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(AccessLogEntry)) or 0)
