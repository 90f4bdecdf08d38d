"""What retention runs (gallring, DOMAIN.md §9) removed, kept after the content is gone."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow


class RetentionRun(Base):
    __tablename__ = "retention_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    # Who started it: a user's name, or "system" for the scheduler.
    started_by: Mapped[str] = mapped_column(String(200))
    # The settings in force: years after closing per case type.
    limits: Mapped[dict[str, Any]] = mapped_column(default=dict)
    case_count: Mapped[int] = mapped_column(default=0)

    records: Mapped[list[RetentionRecord]] = relationship(
        back_populates="run", order_by="RetentionRecord.id"
    )
    skips: Mapped[list[RetentionSkip]] = relationship(
        back_populates="run", order_by="RetentionSkip.id"
    )


class RetentionRecord(Base):
    """One purged case: which, when it closed, and what was removed from it."""

    __tablename__ = "retention_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("retention_runs.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    reference: Mapped[str] = mapped_column(String(20))
    case_type: Mapped[str] = mapped_column(String(20))
    closed_at: Mapped[datetime] = mapped_column()
    removed: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # For a case the plan keeps: the delivery to the e-archive that allowed the purge.
    archive_delivery_id: Mapped[int | None] = mapped_column(ForeignKey("archive_deliveries.id"))

    run: Mapped[RetentionRun] = relationship(back_populates="records")


class RetentionSkip(Base):
    """A case that was due but left alone by a run, and why (archive before purge, DOMAIN.md §9
    rev. 2: ``not_delivered``, kept by the plan and not yet delivered to the e-archive). Which
    plan was in force is on the administrative trail (retention_plan.*)."""

    __tablename__ = "retention_skips"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("retention_runs.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    reference: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(30))

    run: Mapped[RetentionRun] = relationship(back_populates="skips")
