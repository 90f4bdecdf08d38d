"""The statistics PDF, rendered in the background (DOMAIN.md §8): WeasyPrint takes seconds for
the year's tables and charts, so a request asks for it, a page shows how far it has come, and the
finished file is kept for the same figures.

One row per period, scope (the whole municipality, or the units a manager answers for), figures
and language: ``figures_hash`` is the hash of the tables as they were
when asked for, so asking again for unchanged figures finds the same row (and its PDF, when
done), and changed figures get a new one. The unique constraint makes two simultaneous requests
share one row; the worker claims a row by moving it from queued to running, so a second worker
leaves it alone.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow

PDF_JOB_STATUSES = ("queued", "running", "done", "failed")


class StatisticsPdf(Base):
    __tablename__ = "statistics_pdfs"
    __table_args__ = (
        UniqueConstraint("year", "period", "number", "scope", "figures_hash", "locale"),
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status_known"),
        CheckConstraint("(status = 'done') = (content IS NOT NULL)", name="done_has_content"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column()
    # The period (app/statistics/periods.py) and whose figures: "all", or a manager's unit ids.
    period: Mapped[str] = mapped_column(String(10), default="year")
    number: Mapped[int] = mapped_column(default=1)
    scope: Mapped[str] = mapped_column(Text, default="all")
    figures_hash: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="queued")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    error: Mapped[str] = mapped_column(Text, default="")
