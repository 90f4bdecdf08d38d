"""Deviations (avvikelser, SOSFS 2011:9 5 kap.): categories and the manager's assessment."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

if TYPE_CHECKING:
    from .cases import Case


class Category(Base):
    """A deviation category. The list is data the admin edits; some always escalate (theft and
    financial abuse become lex Sarah and a police report)."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    always_escalate: Mapped[bool] = mapped_column(default=False)
    # The case type an always-escalating category must become ('lex_sarah' / 'lex_maria').
    escalate_to: Mapped[str | None] = mapped_column(String(20))
    police_report: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    sort_order: Mapped[int] = mapped_column(default=0)


class DeviationAssessment(Base):
    __tablename__ = "deviation_assessments"
    __table_args__ = (
        CheckConstraint("severity BETWEEN 1 AND 4", name="severity_range"),
        CheckConstraint("likelihood BETWEEN 1 AND 4", name="likelihood_range"),
        CheckConstraint("legal_area IN ('SoL', 'LSS', 'HSL')", name="legal_area_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    legal_area: Mapped[str] = mapped_column(String(3))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    # Never null: "no deviation can pass without a severity" (38.5 % lacked one in seed 000).
    severity: Mapped[int]
    likelihood: Mapped[int]
    escalated: Mapped[bool] = mapped_column(default=False)
    police_report: Mapped[bool] = mapped_column(default=False)
    assessed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assessed_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="assessment")
    category: Mapped[Category] = relationship(lazy="joined")

    @property
    def score(self) -> int:
        return self.severity * self.likelihood


# The categories seen in the seeds (DOMAIN.md §3.3); (name, always_escalate, escalate_to, police).
SEED_CATEGORIES = (
    ("Fall", False, None, False),
    ("Läkemedel", False, None, False),
    ("Brister i bemötande", False, None, False),
    ("Brister i dokumentation", False, None, False),
    ("Brister i omvårdnad", False, None, False),
    ("Brister i rutiner/följsamhet till rutin", False, None, False),
    ("Hot och våld", False, None, False),
    ("Stöld/ekonomiska övergrepp", True, "lex_sarah", True),
    ("Utebliven insats", False, None, False),
    ("Teknik/larm", False, None, False),
    ("Tryckskada", False, None, False),
    ("Smitta", False, None, False),
    ("Medicintekniska produkter", False, None, False),
    ("Samverkan", False, None, False),
    ("Övrigt", False, None, False),
)
