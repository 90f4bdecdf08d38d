"""The scheduler's heartbeat: one row per scheduler, rewritten after every run of the clock.

Readiness (/readyz) and the metrics read it, so the web workers know whether the one process
that sweeps and mails is alive without sharing anything with it but the database.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class SchedulerHeartbeat(Base):
    __tablename__ = "scheduler_heartbeats"

    # The scheduler's name (SCHEDULER_NAME): a second scheduler by mistake shows as a second row.
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_beat_at: Mapped[datetime]
    # The last run of the clock: how long the sweep took, what it did, what the outbox sent.
    sweep_seconds: Mapped[float] = mapped_column(Float)
    acts: Mapped[int]
    mails_sent: Mapped[int]
    mails_failed: Mapped[int]
    # Where it runs, for the operator looking for the process.
    pid: Mapped[int]
    host: Mapped[str] = mapped_column(String(255))
