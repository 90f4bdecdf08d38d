"""Complaints and views (synpunkter och klagomål, SOSFS 2011:9 5 kap. 3–6 §§, PSL 3 kap.
8 a–b §§): DOMAIN.md §3.4 (rev. 2).

A complaint is a case (``case_type='complaint'``) whose own content lives here: what kind it is,
who sent it and how, the units it concerns (several units are answered once, jointly), the themes
the investigation found it concerned, what was found and the answer sent.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .deadlines import one_of
from .org import Unit

if TYPE_CHECKING:
    from .cases import Case

# Stable keys (the API, exports and statistics use them); labels in app/labels.py.
COMPLAINT_KINDS = ("complaint", "suggestion", "question", "praise")
# Kinds that may be answered at once, without an investigation (DOMAIN.md §3.4).
ANSWER_AT_ONCE = ("question", "praise")
SENDER_ROLES = ("care_recipient", "patient", "relative", "staff", "organisation", "anonymous")
CHANNELS = ("e_service", "letter", "phone", "in_person", "patient_committee", "ivo")
ANSWER_CHANNELS = ("letter", "email", "phone", "in_person", "e_service", "ivo")

# One complaint about several units is answered once, jointly (seed 001).
complaint_units = Table(
    "complaint_units",
    Base.metadata,
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id"), primary_key=True, index=True),
)

complaint_theme_links = Table(
    "complaint_theme_links",
    Base.metadata,
    Column("complaint_id", ForeignKey("complaints.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("complaint_themes.id"), primary_key=True),
)


class ComplaintTheme(Base):
    """What a complaint concerned. The list is data the admin edits, like deviation categories."""

    __tablename__ = "complaint_themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    sort_order: Mapped[int] = mapped_column(default=0)


class Complaint(Base):
    __tablename__ = "complaints"
    __table_args__ = (
        CheckConstraint(one_of("kind", COMPLAINT_KINDS), name="kind_known"),
        CheckConstraint(one_of("sender_role", SENDER_ROLES), name="sender_role_known"),
        CheckConstraint(one_of("channel", CHANNELS), name="channel_known"),
        # IVO's case number and answer date belong to a complaint that came through IVO.
        CheckConstraint(
            "channel = 'ivo' OR (ivo_case_number = '' AND ivo_answer_by IS NULL)",
            name="ivo_fields_only_via_ivo",
        ),
        # An answer is its date, its channel and its text together.
        CheckConstraint("(answered_on IS NULL) = (answer_channel IS NULL)", name="answer_complete"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    sender_role: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))
    sender_name: Mapped[str] = mapped_column(String(200), default="")
    sender_contact: Mapped[str] = mapped_column(String(300), default="")
    ivo_case_number: Mapped[str] = mapped_column(String(60), default="")
    ivo_answer_by: Mapped[date | None] = mapped_column(Date)
    # Who registered it; None when it came through the public e-service.
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    acknowledged_at: Mapped[datetime | None] = mapped_column()
    receipt_sent: Mapped[bool] = mapped_column(default=False)

    findings: Mapped[str] = mapped_column(Text, default="")

    answered_on: Mapped[date | None] = mapped_column(Date)
    answer_channel: Mapped[str | None] = mapped_column(String(20))
    answer_text: Mapped[str] = mapped_column(Text, default="")

    # A sender who left no contact and used no receipt code cannot be answered (§3.4).
    unanswerable_at: Mapped[datetime | None] = mapped_column()
    # Kept, never counted (§3.5).
    spam_at: Mapped[datetime | None] = mapped_column()
    spam_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="complaint")
    units: Mapped[list[Unit]] = relationship(
        secondary=complaint_units,
        primaryjoin="Complaint.case_id == complaint_units.c.case_id",
        secondaryjoin="Unit.id == complaint_units.c.unit_id",
        order_by="Unit.name",
    )
    themes: Mapped[list[ComplaintTheme]] = relationship(
        secondary=complaint_theme_links, order_by="ComplaintTheme.sort_order"
    )

    @property
    def spam(self) -> bool:
        return self.spam_at is not None

    @property
    def reachable(self) -> bool:
        return bool(self.sender_contact.strip())


SEED_THEMES = (
    "Bemötande",
    "Utförande av insats",
    "Tider",
    "Handläggning",
    "Information",
    "Kvalitet",
    "Annat",
)
