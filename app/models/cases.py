"""A case and its report: what the reporter wrote, who was affected, attachments."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from .base import Base, utcnow
from .org import Unit, User

if TYPE_CHECKING:
    from .complaint import Complaint
    from .decision import Closure, Decision, Filing, IvoResponse
    from .deviation import DeviationAssessment
    from .feedback import Feedback
    from .history import CaseEvent
    from .investigation import Action, ImmediateMeasures, Investigation
    from .patient_information import PatientInformation

CASE_TYPES = ("lex_sarah", "lex_maria", "deviation", "complaint")
# Every case type's machine starts here (workflows/*.py: Flow.initial); a complaint is received.
INITIAL_STATE = "submitted"
INITIAL_STATES = (INITIAL_STATE, "received")

# Set only while workflows.engine moves a case (STYLE.md §7: state is never assigned outside
# workflows/); a ContextVar, so that one request's move does not open the door for another's.
_MOVING_STATE: ContextVar[bool] = ContextVar("lexflode_moving_state", default=False)


class StateOutsideWorkflow(RuntimeError):
    """Case.state was assigned by something other than the case type's machine."""


@contextmanager
def moving_state() -> Iterator[None]:
    """For workflows.engine alone: the one place a case's state changes."""
    token = _MOVING_STATE.set(True)
    try:
        yield
    finally:
        _MOVING_STATE.reset(token)


REFERENCE_PREFIX = {"lex_sarah": "LS", "lex_maria": "LM", "deviation": "AV", "complaint": "KL"}
INFORMED_CHOICES = ("yes", "no", "unknown")


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("case_type", "year", "seq", name="uq_cases_type_year_seq"),
        CheckConstraint(
            "case_type IN ('lex_sarah', 'lex_maria', 'deviation', 'complaint')", name="case_type"
        ),
        CheckConstraint("length(description) > 0", name="description_present"),
        # A closed case carries its closing time, an open one does not.
        CheckConstraint(
            "(state = 'closed') = (closed_at IS NOT NULL)", name="closed_state_has_time"
        ),
        # Lists are newest first, filtered by type, state or unit (bench/run.py, issue 8).
        Index("ix_cases_type_state_received", "case_type", "state", "received_at"),
        Index("ix_cases_type_received", "case_type", "received_at"),
        Index("ix_cases_unit_received", "unit_id", "received_at"),
        Index("ix_cases_unit_state", "unit_id", "state"),
        # Newest first with the id as tie-break: the API's cursor compares both.
        Index("ix_cases_received_id", "received_at", "id"),
        Index("ix_cases_reporter_received", "reporter_id", "received_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_type: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    year: Mapped[int]
    seq: Mapped[int]
    state: Mapped[str] = mapped_column(String(40))

    @validates("state")
    def _state_moves_only_through_the_machine(self, _key: str, value: str) -> str:
        # A new case starts in the machine's initial state; after that only the machine moves it.
        if _MOVING_STATE.get() or (value in INITIAL_STATES and not sa_inspect(self).persistent):
            return value
        raise StateOutsideWorkflow(
            f"{self.reference}: state {value!r} set outside workflows.engine.fire()"
        )

    version: Mapped[int] = mapped_column(default=1)

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Who reported, as they were when reporting (titles and employers change).
    reporter_name: Mapped[str] = mapped_column(String(200))
    reporter_title: Mapped[str] = mapped_column(String(200), default="")
    reporter_employer: Mapped[str] = mapped_column(String(200), default="")

    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    occurred_on: Mapped[date | None] = mapped_column(Date)
    occurred_time: Mapped[time | None] = mapped_column(Time)
    discovered_on: Mapped[date | None] = mapped_column(Date)
    location: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text)
    reporter_actions: Mapped[str] = mapped_column(Text, default="")
    person_informed: Mapped[str] = mapped_column(String(10), default="unknown")

    investigator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # Filing proposed before the investigation was complete; the investigation follows within
    # two months of the report (Socialstyrelsen's guidance).
    early_filing: Mapped[bool] = mapped_column(default=False)
    investigation_sent_to_ivo_on: Mapped[date | None] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = mapped_column()
    # Set by a retention run (gallring): personal data and free text are gone, figures remain.
    purged_at: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    # From the reporter's plain questions: who was affected, and was anyone harmed or at risk.
    affected: Mapped[str] = mapped_column(String(20), default="unknown")
    harm: Mapped[str] = mapped_column(String(20), default="unknown")
    # Lex Maria: a medical device was involved, so Läkemedelsverket is to be told separately.
    medical_device: Mapped[bool] = mapped_column(default=False)
    medical_device_reported_on: Mapped[date | None] = mapped_column(Date)
    # The committee's own case number (diarienummer), when it is known before the filing: the
    # IVO report carries it (DOMAIN.md §7 rev. 2).
    own_case_number: Mapped[str | None] = mapped_column(String(50))

    origin_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    successor_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    # One report about both laws: the lex Sarah and the lex Maria case point to each other.
    related_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    # A public submission a handler marked as spam (DOMAIN.md §3.5 rev. 2): kept, not counted.
    spam: Mapped[bool] = mapped_column(default=False, server_default=false())

    unit: Mapped[Unit] = relationship(lazy="joined")
    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])
    investigator: Mapped[User | None] = relationship(foreign_keys=[investigator_id])
    origin_case: Mapped[Case | None] = relationship(foreign_keys=[origin_case_id], remote_side=[id])
    successor_case: Mapped[Case | None] = relationship(
        foreign_keys=[successor_case_id], remote_side=[id]
    )
    related_case: Mapped[Case | None] = relationship(
        foreign_keys=[related_case_id], remote_side=[id]
    )
    assessment: Mapped[DeviationAssessment | None] = relationship(
        back_populates="case", cascade="all, delete-orphan"
    )
    patient_information: Mapped[list[PatientInformation]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="PatientInformation.id"
    )
    persons: Mapped[list[AffectedPerson]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="AffectedPerson.id"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Attachment.id"
    )
    immediate_measures: Mapped[ImmediateMeasures | None] = relationship(
        back_populates="case", cascade="all, delete-orphan"
    )
    investigation: Mapped[Investigation | None] = relationship(
        back_populates="case", cascade="all, delete-orphan"
    )
    actions: Mapped[list[Action]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Action.id"
    )
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Decision.id"
    )
    filings: Mapped[list[Filing]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Filing.id"
    )
    ivo_responses: Mapped[list[IvoResponse]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="IvoResponse.id"
    )
    closures: Mapped[list[Closure]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Closure.id"
    )
    feedback: Mapped[list[Feedback]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Feedback.id"
    )
    complaint: Mapped[Complaint | None] = relationship(
        back_populates="case", cascade="all, delete-orphan"
    )
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", order_by="CaseEvent.id", viewonly=True
    )

    # Optimistic locking: every UPDATE checks and bumps the version.
    __mapper_args__ = {"version_id_col": version}

    @property
    def latest_decision(self) -> Decision | None:
        return self.decisions[-1] if self.decisions else None

    @property
    def latest_filing(self) -> Filing | None:
        return self.filings[-1] if self.filings else None

    @property
    def latest_closure(self) -> Closure | None:
        return self.closures[-1] if self.closures else None


class AffectedPerson(Base):
    __tablename__ = "affected_persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    # Optional: a report about an unidentified person is allowed. Stored as YYYYMMDD-NNNN.
    personnummer: Mapped[str | None] = mapped_column(String(13))
    description: Mapped[str] = mapped_column(String(300), default="")
    case: Mapped[Case] = relationship(back_populates="persons")


class Attachment(Base):
    __tablename__ = "attachments"
    # The section a file belongs to (DOMAIN.md §3.1 rev. 2): the reporter's to the report, the
    # investigator's to the investigation, the decider's to the decision (workflows/record_steps.py:
    # ATTACHMENT_TRIGGERS).
    __table_args__ = (
        CheckConstraint("section IN ('report', 'investigation', 'decision')", name="section_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    section: Mapped[str] = mapped_column(String(20), default="report", server_default="report")
    case: Mapped[Case] = relationship(back_populates="attachments")


class ReferenceCounter(Base):
    """The last number handed out per case type and year; bumped inside the submitting transaction,
    so a rolled-back submission gives its number back and the series stays gapless."""

    __tablename__ = "reference_counters"

    case_type: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[int] = mapped_column(default=0)
