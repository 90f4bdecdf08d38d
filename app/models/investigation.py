"""Immediate measures, the investigation (SOSFS 2011:5 5 kap.) and the actions it plans."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
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
REPRESENTATIVE_CHOICES = ("yes", "no", "no_representative")
STATEMENT_KINDS = ("fact", "assessment")

# The items of each investigation (SOSFS 2011:5 5 kap. for lex Sarah, the event analysis for
# lex Maria) and the fields each is written in. Each item carries its own author, date, source
# and whether it states a fact or an assessment (InvestigationItem); the fields of an item are
# one statement, so a change to any of them makes its writer the item's author.
ITEMS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "lex_sarah": (
        ("what_happened", ("what_happened",)),
        ("how_noticed", ("how_noticed",)),
        ("when_occurred", ("when_occurred",)),
        ("causes", ("cause_areas", "underlying_causes", "causes_text")),
        ("happened_before", ("happened_before",)),
        ("risk", ("severity", "likelihood")),
        ("measures", ("measures_text",)),
        ("other_findings", ("other_findings",)),
        ("proposal", ("proposed_grade", "grade_motivation")),
    ),
    "lex_maria": (
        ("assignment", ("purpose", "commissioner", "assignment_date", "report_due_date")),
        ("analysis_team", ("analysis_team",)),
        ("method", ("method",)),
        ("what_happened", ("what_happened",)),
        ("causes", ("cause_areas", "causes_text")),
        ("underlying_causes", ("underlying_causes",)),
        ("contributing_factors", ("contributing_factors", "other_risks")),
        ("risk", ("severity", "likelihood")),
        ("measures", ("measures_text",)),
        ("analysis_evaluation", ("analysis_evaluation",)),
        ("commissioner_comment", ("commissioner_comment",)),
        ("proposal", ("proposed_grade", "grade_motivation")),
    ),
    "deviation": (),
}
ITEM_KEYS = tuple(dict.fromkeys(key for items in ITEMS.values() for key, _fields in items))
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
    """The nine items of SOSFS 2011:5 5 kap. (and lex Maria's event analysis); ``items`` records
    each item's author, date, source and kind, ``item_authors`` who last wrote each field."""

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
    # The person's representative (god man, förvaltare, a relative), told apart from the person.
    representative_informed: Mapped[str | None] = mapped_column(String(20))
    noted_in_record: Mapped[bool | None] = mapped_column()
    police_report: Mapped[str | None] = mapped_column(String(20))

    # Lex Maria's event analysis (händelseanalys): the assignment, the team, the method, and
    # what the analysis found beyond the items above.
    purpose: Mapped[str] = mapped_column(Text, default="")
    commissioner: Mapped[str] = mapped_column(String(200), default="")
    assignment_date: Mapped[date | None] = mapped_column(Date)
    report_due_date: Mapped[date | None] = mapped_column(Date)
    method: Mapped[str] = mapped_column(Text, default="")
    contributing_factors: Mapped[str] = mapped_column(Text, default="")
    other_risks: Mapped[str] = mapped_column(Text, default="")
    analysis_evaluation: Mapped[str] = mapped_column(Text, default="")
    commissioner_comment: Mapped[str] = mapped_column(Text, default="")

    item_authors: Mapped[dict[str, Any]] = mapped_column(default=dict)

    case: Mapped[Case] = relationship(back_populates="investigation")
    items: Mapped[list[InvestigationItem]] = relationship(
        back_populates="investigation",
        cascade="all, delete-orphan",
        order_by="InvestigationItem.id",
    )
    analysis_team: Mapped[list[AnalysisParticipant]] = relationship(
        back_populates="investigation",
        cascade="all, delete-orphan",
        order_by="AnalysisParticipant.position",
    )

    def item(self, key: str) -> InvestigationItem | None:
        return next((i for i in self.items if i.item == key), None)

    @property
    def risk_score(self) -> int | None:
        if self.severity is None or self.likelihood is None:
            return None
        return self.severity * self.likelihood

    @property
    def locked(self) -> bool:
        return self.completed_at is not None


class InvestigationItem(Base):
    """One item of the investigation as SOSFS 2011:5 5 kap. asks it to be recorded: who wrote it
    (name and title as they were then, so that a later change of name rewrites no history),
    when, where the information comes from, and whether it states a fact or an assessment."""

    __tablename__ = "investigation_items"
    __table_args__ = (
        UniqueConstraint("investigation_id", "item"),
        CheckConstraint("kind IN ('fact', 'assessment')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    investigation_id: Mapped[int] = mapped_column(
        ForeignKey("investigations.id", ondelete="CASCADE"), index=True
    )
    item: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str | None] = mapped_column(String(20))
    written_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    written_by_name: Mapped[str] = mapped_column(String(200), default="")
    written_by_title: Mapped[str] = mapped_column(String(200), default="")
    written_at: Mapped[datetime | None] = mapped_column()

    investigation: Mapped[Investigation] = relationship(back_populates="items")


class AnalysisParticipant(Base):
    """A member of a lex Maria event analysis's team (händelseanalys): name, role and unit."""

    __tablename__ = "analysis_participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    investigation_id: Mapped[int] = mapped_column(
        ForeignKey("investigations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(200), default="")
    unit: Mapped[str] = mapped_column(String(200), default="")

    investigation: Mapped[Investigation] = relationship(back_populates="analysis_team")


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
