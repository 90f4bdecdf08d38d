"""The clock (DOMAIN.md §4): a versioned deadline policy, deadlines as rows, and the journal of
what the sweep did with each deadline.

A deadline points at the rule (and so the policy version) it was created under: editing the
policy writes a new version and never moves a running deadline.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .org import User

if TYPE_CHECKING:
    from .cases import Case
    from .investigation import Action

DURATION_UNITS = ("hours", "calendar_days", "working_days", "months", "own_date")
RESPONSIBLE = ("manager", "investigator", "decider", "action_owner")
# superior: the managers of the unit above the case's unit; oversight: the SAS or MAS of the
# case; head_of_administration: the managers of the administration at the top of the tree.
ESCALATION_TARGETS = ("superior", "oversight", "head_of_administration")
BASIS_KINDS = ("law", "local_routine")
CAP_ANCHORS = ("report_received", "event")
STATUSES = ("open", "met", "overdue", "escalated", "waived")
OPEN_STATUSES = ("open", "overdue", "escalated")
ACTS = ("reminder_1", "reminder_2", "overdue", "escalation_1", "escalation_2")


def one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class DeadlinePolicy(Base):
    """One version of the whole policy; the highest version applies to new deadlines."""

    __tablename__ = "deadline_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(unique=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    rules: Mapped[list[DeadlineRule]] = relationship(
        back_populates="policy", cascade="all, delete-orphan", order_by="DeadlineRule.id"
    )


class DeadlineRule(Base):
    __tablename__ = "deadline_rules"
    __table_args__ = (
        UniqueConstraint("policy_id", "key", "case_type", name="uq_deadline_rules_policy_key_type"),
        CheckConstraint(one_of("duration_unit", DURATION_UNITS), name="duration_unit_known"),
        CheckConstraint(
            one_of("second_escalation_unit", DURATION_UNITS[:3]), name="delay_unit_known"
        ),
        CheckConstraint(one_of("responsible", RESPONSIBLE), name="responsible_known"),
        CheckConstraint(one_of("escalation_target", ESCALATION_TARGETS), name="target_known"),
        CheckConstraint(
            "second_escalation_target IS NULL OR "
            + one_of("second_escalation_target", ESCALATION_TARGETS),
            name="second_target_known",
        ),
        CheckConstraint(one_of("basis_kind", BASIS_KINDS), name="basis_kind_known"),
        CheckConstraint(
            "duration_value >= 0 AND second_escalation_after >= 0", name="durations_positive"
        ),
        CheckConstraint("(cap_months IS NULL) = (cap_anchor IS NULL)", name="cap_complete"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(
        ForeignKey("deadline_policies.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(40))
    case_type: Mapped[str] = mapped_column(String(20))
    # The event that creates the deadline (a name the code knows, see workflows/deadlines.py).
    start_event: Mapped[str] = mapped_column(String(40))
    duration_value: Mapped[int]
    duration_unit: Mapped[str] = mapped_column(String(20))
    responsible: Mapped[str] = mapped_column(String(20))
    # "half" (halfway), "<n>h", "<n>d" or "<n>wd" before the due time; at most two are used.
    reminders: Mapped[list[str]] = mapped_column(default=list)
    escalation_target: Mapped[str] = mapped_column(String(30))
    second_escalation_target: Mapped[str | None] = mapped_column(String(30))
    second_escalation_after: Mapped[int] = mapped_column(default=2)
    second_escalation_unit: Mapped[str] = mapped_column(String(20), default="working_days")
    # "Never later than": the ivo_filing deadline takes the earlier of its duration and the cap.
    cap_months: Mapped[int | None]
    cap_anchor: Mapped[str | None] = mapped_column(String(20))
    legal_basis: Mapped[str] = mapped_column(Text)
    basis_kind: Mapped[str] = mapped_column(String(20))
    enabled: Mapped[bool] = mapped_column(default=True)

    policy: Mapped[DeadlinePolicy] = relationship(back_populates="rules")


class Deadline(Base):
    __tablename__ = "deadlines"
    __table_args__ = (
        CheckConstraint(one_of("status", STATUSES), name="status_known"),
        CheckConstraint(
            "status != 'waived' OR length(status_reason) > 0", name="waived_has_reason"
        ),
        CheckConstraint("status != 'met' OR met_at IS NOT NULL", name="met_has_time"),
        # Settled deadlines leave the sweep's index: the sweep's cost follows the due rows.
        CheckConstraint(
            "status IN ('open', 'overdue', 'escalated') OR next_action_at IS NULL",
            name="settled_has_no_next_action",
        ),
        CheckConstraint("escalation_level BETWEEN 0 AND 2", name="escalation_level_range"),
        Index("ix_deadlines_case_key", "case_id", "key"),
        # A case's nearest open deadline: the inbox's order, the list filters, /tidsfrister.
        Index(
            "ix_deadlines_open_case_due",
            "case_id",
            "due_at",
            postgresql_where=text("status IN ('open', 'overdue', 'escalated')"),
            sqlite_where=text("status IN ('open', 'overdue', 'escalated')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    rule_id: Mapped[int] = mapped_column(ForeignKey("deadline_rules.id"), index=True)
    action_id: Mapped[int | None] = mapped_column(
        ForeignKey("actions.id", ondelete="CASCADE"), index=True
    )
    start_at: Mapped[datetime]
    due_at: Mapped[datetime]
    responsible_role: Mapped[str] = mapped_column(String(20))
    responsible_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="open")
    status_reason: Mapped[str] = mapped_column(Text, default="")
    met_at: Mapped[datetime | None]
    escalation_level: Mapped[int] = mapped_column(default=0)
    next_action_at: Mapped[datetime | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship()
    rule: Mapped[DeadlineRule] = relationship()
    action: Mapped[Action | None] = relationship()
    responsible_user: Mapped[User | None] = relationship()
    acts: Mapped[list[DeadlineAct]] = relationship(
        back_populates="deadline", cascade="all, delete-orphan", order_by="DeadlineAct.id"
    )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def late(self) -> bool:
        """Met after its due time, or still open past it."""
        if self.status == "waived":
            return False
        return self.met_at > self.due_at if self.met_at is not None else self.status != "open"


class DeadlineAct(Base):
    """What the sweep did, once: the unique pair makes a second reminder (or escalation) for
    the same deadline impossible, even when two sweeps run at the same moment."""

    __tablename__ = "deadline_acts"
    __table_args__ = (
        UniqueConstraint("deadline_id", "act", name="uq_deadline_acts_deadline_act"),
        CheckConstraint(one_of("act", ACTS), name="act_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deadline_id: Mapped[int] = mapped_column(ForeignKey("deadlines.id", ondelete="CASCADE"))
    act: Mapped[str] = mapped_column(String(20))
    scheduled_at: Mapped[datetime]
    done_at: Mapped[datetime]
    # False for a reminder a catch-up sweep found already overtaken by the due time: recorded,
    # but nobody is reminded of a deadline that has already passed.
    notified: Mapped[bool] = mapped_column(default=True)

    deadline: Mapped[Deadline] = relationship(back_populates="acts")
