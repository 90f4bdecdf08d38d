"""Information to the patient after a care injury (PSL 3 kap. 8 §)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

if TYPE_CHECKING:
    from .cases import Case

# What PSL 3 kap. 8 § says the patient is to be told.
INFORMATION_TOPICS = (
    "injury_occurred",
    "planned_measures",
    "how_to_complain",
    "patient_advisory_committee",
    "ivo_complaint",
    "compensation",
)
RECIPIENTS = ("patient", "relative")


class PatientInformation(Base):
    __tablename__ = "patient_information"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    informed_on: Mapped[date] = mapped_column(Date)
    informed_by: Mapped[str] = mapped_column(String(200))
    recipient: Mapped[str] = mapped_column(String(20))
    recipient_name: Mapped[str] = mapped_column(String(200), default="")
    topics: Mapped[list[str]] = mapped_column(default=list)
    noted_in_patient_record: Mapped[bool] = mapped_column(default=False)
    patient_account: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="patient_information")
