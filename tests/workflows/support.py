"""Helpers for the workflow tests: what a case looks like in the database, read afresh."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import (
    Action,
    AffectedPerson,
    Case,
    CaseEvent,
    Closure,
    Decision,
    Feedback,
    Filing,
    ImmediateMeasures,
    Investigation,
    IvoResponse,
    ReferenceCounter,
)

RELATED = (
    AffectedPerson,
    Action,
    Closure,
    Decision,
    Feedback,
    Filing,
    ImmediateMeasures,
    Investigation,
    IvoResponse,
)


def snapshot(session: Session, case_id: int) -> dict[str, Any]:
    """Everything a refused or failed step must leave as it was, read from the database."""
    session.expire_all()

    def count(model: Any, *where: Any) -> Any:
        return select(func.count()).select_from(model).where(*where).scalar_subquery()

    counts = {
        "events": count(CaseEvent, CaseEvent.case_id == case_id),
        "all_events": count(CaseEvent),
        "all_cases": count(Case),
        **{model.__tablename__: count(model, model.case_id == case_id) for model in RELATED},
    }
    row = (
        session.execute(
            select(
                Case.state,
                Case.version,
                Case.closed_at,
                Case.early_filing,
                Case.investigation_sent_to_ivo_on,
                Case.successor_case_id,
                Investigation.completed_at,
                Investigation.number,
                Investigation.proposed_grade,
                *(c.label(name) for name, c in counts.items()),
            )
            .outerjoin(Investigation, Investigation.case_id == Case.id)
            .where(Case.id == case_id)
        )
        .one()
        ._asdict()
    )
    row["counters"] = sorted(
        tuple(r)
        for r in session.execute(
            select(ReferenceCounter.case_type, ReferenceCounter.year, ReferenceCounter.last)
        )
    )
    return row


def refused(session: Session, case: Case, error: type[Exception], action: Any) -> Any:
    """Runs ``action``, expects ``error`` and checks that the case and its rows are unchanged."""

    before = snapshot(session, case.id)
    with pytest.raises(error) as caught:
        action()
    assert snapshot(session, case.id) == before
    return caught.value
