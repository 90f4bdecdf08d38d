"""Counts from the years before the system was taken into use (DOMAIN.md §8 rev. 2), imported
from a CSV so that the annual report's three-year comparison works from its first year.

One row per year, case type and unit; a row without a unit counts the whole municipality (the
old register did not always say which unit). Re-importing the same year, type and unit replaces
the row (app/statistics/history_import.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

if TYPE_CHECKING:
    from .org import Unit


class ImportedCount(Base):
    __tablename__ = "imported_counts"
    __table_args__ = (
        UniqueConstraint("year", "case_type", "unit_id"),
        CheckConstraint("count >= 0", name="count_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    case_type: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    count: Mapped[int] = mapped_column()
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Who imported it: the signed-in administrator's name, or "CLI (os user)".
    imported_by: Mapped[str] = mapped_column(String(200))

    unit: Mapped[Unit | None] = relationship(lazy="joined")
