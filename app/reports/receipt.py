"""What a reporter is told a report became, and what happens next: the case's kind and reference,
and who is to look at it by when — the first open deadline's responsible role and due time (not
an action's: actions are the investigation's, which the reporter does not see)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.deadline_labels import RESPONSIBLE_LABELS
from app.labels import REPORT_KIND_LABELS, ROLE_LABELS
from app.models import Case, Deadline
from app.models.deadlines import OPEN_STATUSES


@dataclass(frozen=True)
class NextStep:
    role: str
    due_at: datetime


def next_steps(session: Session, case_ids: Iterable[int]) -> dict[int, NextStep]:
    """Each case's first open deadline, in one query."""
    ids = list(case_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(Deadline.case_id, Deadline.responsible_role, Deadline.due_at)
        .where(
            Deadline.case_id.in_(ids),
            Deadline.status.in_(OPEN_STATUSES),
            # An action's own deadline is the investigation's business, not the reporter's.
            Deadline.action_id.is_(None),
        )
        .order_by(Deadline.due_at, Deadline.id)
    ).all()
    found: dict[int, NextStep] = {}
    for case_id, role, due_at in rows:
        found.setdefault(case_id, NextStep(role, due_at))
    return found


def next_step_text(step: NextStep) -> str:
    due = current_app.jinja_env.filters["due"](step.due_at)
    return _(
        "%(role)s ska ha tagit ställning till den senast %(due)s.",
        role=ROLE_LABELS.get(step.role) or RESPONSIBLE_LABELS.get(step.role, step.role),
        due=due,
    )


def became(session: Session, cases: list[Case]) -> str:
    """The receipt's sentences, one per case the report became."""
    steps = next_steps(session, [case.id for case in cases])
    sentences = []
    for case in cases:
        sentences.append(
            _(
                "Rapporten %(reference)s gäller: %(kind)s.",
                reference=case.reference,
                kind=REPORT_KIND_LABELS.get(case.case_type, case.case_type),
            )
        )
        if case.id in steps:
            sentences.append(next_step_text(steps[case.id]))
    return " ".join(sentences)
