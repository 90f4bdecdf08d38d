"""Immediate measures, the investigation (SOSFS 2011:5 5 kap.) and the actions it plans."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .org import User

if TYPE_CHECKING:
    from .cases import Case

CAUSE_AREAS = (
    "communication",
    "environment_organisation",
    "processes_routines",
    "technology_equipment",
    "training_competence",
)
UNDERLYING_CAUSES = (
    "communication_failure",
    "time_pressure",
    "lack_of_knowledge",
    "routine_missing_or_not_followed",
    "technical_fault",
    "other",
)
EVENT_TYPES = (
    "physical_or_psychological_abuse",
    "care_support_service_failure",
    "financial_irregularity",
    "treatment_integrity_failure",
    "legal_certainty_failure",
)
LEX_SARAH_GRADES = (
    "no_misconduct",
    "risk_of_misconduct",
    "misconduct",
    "risk_of_serious_misconduct",
    "serious_misconduct",
)
LEX_MARIA_GRADES = (
    "no_care_injury",
    "risk_of_care_injury",
    "care_injury",
    "risk_of_serious_care_injury",
    "serious_care_injury",
)
GRADES = {"lex_sarah": LEX_SARAH_GRADES, "lex_maria": LEX_MARIA_GRADES}
SERIOUS_GRADES = (
    "risk_of_serious_misconduct",
    "serious_misconduct",
    "risk_of_serious_care_injury",
    "serious_care_injury",
)
POLICE_REPORT_CHOICES = ("not_required", "required", "made")
ACTION_STATUSES = ("planned", "completed", "handed_over")
EFFECT_CHOICES = ("yes", "partly", "no")


class ImmediateMeasures(Base):
    __tablename__ = "immediate_measures"
    __table_args__ = (
        # Either what was done, or why nothing was needed: never neither.
        CheckConstraint(
            "(none_needed AND length(none_needed_reason) > 0)"
            " OR (NOT none_needed AND length(measures) > 0)",
            name="measures_or_reason",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    none_needed: Mapped[bool] = mapped_column(default=False)
    measures: Mapped[str] = mapped_column(Text, default="")
    none_needed_reason: Mapped[str] = mapped_column(Text, default="")
    taken_at: Mapped[datetime | None] = mapped_column()
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="immediate_measures")
    recorded_by: Mapped[User] = relationship()


class Investigation(Base):
    """The nine items of SOSFS 2011:5 5 kap.; ``item_authors`` keeps who last wrote each item."""

    __tablename__ = "investigations"
    __table_args__ = (
        CheckConstraint("severity BETWEEN 1 AND 4", name="severity_range"),
        CheckConstraint("likelihood BETWEEN 1 AND 4", name="likelihood_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The statistics count investigations by the year they were completed.
    completed_at: Mapped[datetime | None] = mapped_column(index=True)
    number: Mapped[int] = mapped_column(default=1)

    what_happened: Mapped[str] = mapped_column(Text, default="")  # 1
    how_noticed: Mapped[str] = mapped_column(Text, default="")  # 2
    when_occurred: Mapped[str] = mapped_column(Text, default="")  # 3
    cause_areas: Mapped[list[str]] = mapped_column(default=list)  # 4
    underlying_causes: Mapped[list[str]] = mapped_column(default=list)
    causes_text: Mapped[str] = mapped_column(Text, default="")
    happened_before: Mapped[str] = mapped_column(Text, default="")  # 5
    severity: Mapped[int | None] = mapped_column()  # 6
    likelihood: Mapped[int | None] = mapped_column()
    measures_text: Mapped[str] = mapped_column(Text, default="")  # 7
    other_findings: Mapped[str] = mapped_column(Text, default="")  # 8
    proposed_grade: Mapped[str | None] = mapped_column(String(40))  # 9
    grade_motivation: Mapped[str] = mapped_column(Text, default="")

    event_types: Mapped[list[str]] = mapped_column(default=list)
    person_informed: Mapped[bool | None] = mapped_column()
    person_heard: Mapped[bool | None] = mapped_column()
    noted_in_record: Mapped[bool | None] = mapped_column()
    police_report: Mapped[str | None] = mapped_column(String(20))

    # Lex Maria's event analysis (händelseanalys): the assignment, the team, the method, and
    # what the analysis found beyond the items above.
    purpose: Mapped[str] = mapped_column(Text, default="")
    commissioner: Mapped[str] = mapped_column(String(200), default="")
    assignment_date: Mapped[date | None] = mapped_column(Date)
    report_due_date: Mapped[date | None] = mapped_column(Date)
    team: Mapped[str] = mapped_column(Text, default="")
    method: Mapped[str] = mapped_column(Text, default="")
    contributing_factors: Mapped[str] = mapped_column(Text, default="")
    other_risks: Mapped[str] = mapped_column(Text, default="")
    analysis_evaluation: Mapped[str] = mapped_column(Text, default="")
    commissioner_comment: Mapped[str] = mapped_column(Text, default="")

    item_authors: Mapped[dict[str, Any]] = mapped_column(default=dict)

    case: Mapped[Case] = relationship(back_populates="investigation")

    @property
    def risk_score(self) -> int | None:
        if self.severity is None or self.likelihood is None:
            return None
        return self.severity * self.likelihood

    @property
    def locked(self) -> bool:
        return self.completed_at is not None


class Action(Base):
    """A planned measure: owner, due date and, later, whether it had the intended effect."""

    __tablename__ = "actions"
    __table_args__ = (
        CheckConstraint("status IN ('planned', 'completed', 'handed_over')", name="status_known"),
        CheckConstraint(
            "status != 'completed' OR completed_on IS NOT NULL", name="completed_has_date"
        ),
        # An owner's planned actions put their cases in the inbox.
        Index("ix_actions_owner_status", "owner_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    completed_on: Mapped[date | None] = mapped_column(Date)
    effect_achieved: Mapped[str | None] = mapped_column(String(10))
    effect_evaluation: Mapped[str] = mapped_column(Text, default="")
    handed_over_note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="actions")
    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
