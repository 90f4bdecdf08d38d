"""Feedback to the reporter (återkoppling, DOMAIN.md §3.1 rev. 2): its own recorded step, given
from the investigation's completion on and as often as needed; closing checks that there is one."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

if TYPE_CHECKING:
    from .cases import Case

FEEDBACK_CHANNELS = ("direct", "workplace_meeting", "both")


class Feedback(Base):
    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    given_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(30))
    # Shown to the reporter in "Mina rapporter": nothing from the investigation goes here.
    text: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="feedback")
