"""The decision on filing, the filing with IVO, IVO's response, and closing."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .org import User

if TYPE_CHECKING:
    from .cases import Case

DECISION_OUTCOMES = ("approve_filing", "decline_filing", "return_to_investigator")
FILING_CHANNELS = ("e_service", "post")
IVO_OUTCOMES = (
    "closed_duty_fulfilled",
    "closed_with_criticism",
    "supplement_requested",
    "supervision_opened",
)
FEEDBACK_CHANNELS = ("direct", "workplace_meeting", "both")


class Decision(Base):
    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[str] = mapped_column(String(30))
    motivation: Mapped[str] = mapped_column(Text)
    # The decider's own grade, required when declining to file a case proposed as serious.
    decider_grade: Mapped[str | None] = mapped_column(String(40))
    # The proposal the decision was taken on, as it stood then.
    proposed_grade: Mapped[str | None] = mapped_column(String(40))
    early: Mapped[bool] = mapped_column(default=False)
    decider_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decider_name: Mapped[str] = mapped_column(String(200))
    decider_role: Mapped[str] = mapped_column(String(20))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="decisions")
    decider: Mapped[User] = relationship()


class Filing(Base):
    """IVO takes reports only through its e-service or by post; this records that it was done."""

    __tablename__ = "filings"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    filed_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(20))
    ivo_case_number: Mapped[str] = mapped_column(String(50), default="")
    own_case_number: Mapped[str] = mapped_column(String(50), default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="filings")


class IvoResponse(Base):
    __tablename__ = "ivo_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    received_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="ivo_responses")


class Closure(Base):
    """What closing a case recorded; a reopened case gets a new one when closed again. The
    feedback to the reporter is its own step (Feedback), recorded before closing."""

    __tablename__ = "closures"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    person_informed: Mapped[str] = mapped_column(String(20))
    closed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="closures")
