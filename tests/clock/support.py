"""Helpers for the clock's tests: a frozen clock for the transitions, the deadlines of a case read
afresh, and lex Maria and deviation cases walked by the people who would do it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Case, Category, Deadline, DeadlineAct, Notification, OutboxMail
from tests.factories import (
    MEASURES,
    World,
    investigation_data,
    lex_maria_investigation,
    report_data,
)
from workflows import workdays
from workflows.engine import fire
from workflows.intake import report_event
from workflows.records import save_investigation, submit_report

STOCKHOLM = workdays.STOCKHOLM


def local(*args: int) -> datetime:
    """A moment given in Swedish time, as UTC."""
    return datetime(*args, tzinfo=STOCKHOLM).astimezone(UTC)  # type: ignore[misc]


class Clock:
    """What workdays.now() answers while a test walks a case: set it, and the transitions
    start their deadlines then."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, start: datetime) -> None:
        self.now = start
        monkeypatch.setattr(workdays, "now", lambda: self.now)

    def set(self, moment: datetime) -> datetime:
        self.now = moment
        return moment


def deadlines(session: Session, case: Case) -> dict[str, Deadline]:
    """The case's deadlines by key (the latest of each)."""
    session.flush()
    rows = session.scalars(
        select(Deadline).where(Deadline.case_id == case.id).order_by(Deadline.id)
    )
    return {d.key: d for d in rows}


def statuses(session: Session, case: Case) -> dict[str, str]:
    return {key: d.status for key, d in deadlines(session, case).items()}


def acts(session: Session, case: Case) -> list[tuple[str, str]]:
    return sorted(
        session.execute(
            select(Deadline.key, DeadlineAct.act)
            .join(DeadlineAct.deadline)
            .where(Deadline.case_id == case.id)
        ).all()
    )


def notices(session: Session, case: Case, kind: str | None = None) -> list[Notification]:
    query = select(Notification).where(Notification.case_id == case.id)
    if kind:
        query = query.where(Notification.kind == kind)
    return list(session.scalars(query.order_by(Notification.id)))


def mails(session: Session) -> list[OutboxMail]:
    return list(session.scalars(select(OutboxMail).order_by(OutboxMail.id)))


def new_lex_maria(session: Session, world: World, **overrides: Any) -> Case:
    data = report_data(world.solgarden, affected="patient", harm="harmed", **overrides)
    [case] = report_event(session, world.reporter, data)
    assert case.case_type == "lex_maria"
    return case


LEX_MARIA_INVESTIGATION = {
    **investigation_data("serious_care_injury"),
    # Every item of the event analysis is required (rev. 2).
    **lex_maria_investigation("serious_care_injury"),
    "method": "Händelseanalys.",
}
PATIENT_INFORMATION = {
    "informed_on": date.today().isoformat(),
    "informed_by": "MAS",
    "recipient": "patient",
    # PSL 3 kap. 8 §: all six (DOMAIN.md §3.2 rev. 2).
    "topics": [
        "injury_occurred",
        "planned_measures",
        "how_to_complain",
        "patient_advisory_committee",
        "ivo_complaint",
        "compensation",
    ],
    "noted_in_patient_record": True,
}


def lex_maria_investigated(session: Session, world: World, case: Case) -> Case:
    fire(session, case, world.manager, "record_immediate_measures", MEASURES)
    fire(session, case, world.mas, "start_investigation", {})
    save_investigation(session, case, world.mas, LEX_MARIA_INVESTIGATION)
    return case


def new_deviation(session: Session, world: World) -> Case:
    return submit_report(
        session, world.reporter, report_data(world.solgarden), case_type="deviation"
    )


def category(session: Session, name: str) -> Category:
    return session.scalars(select(Category).where(Category.name == name)).one()


def assessment(
    session: Session, name: str = "Fall", severity: int = 1, likelihood: int = 1
) -> dict[str, Any]:
    return {
        "legal_area": "SoL",
        "category_id": category(session, name).id,
        "severity": severity,
        "likelihood": likelihood,
    }
