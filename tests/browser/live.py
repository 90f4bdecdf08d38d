"""Other people's work done through the real operations on the live server's database, where a
journey is about someone else: the SAS who closes the case a reporter follows, the SAS whose
investigation the chair reads. The same operations the views call, committed as a request would.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import db
from app.models import Case, OutboxMail, Unit, User
from tests.factories import CLOSE, FEEDBACK, investigation_data, report_data
from workflows.engine import fire
from workflows.feedback import record_feedback
from workflows.intake import report_event
from workflows.records import save_investigation

REPORTER = "medarbetare@exempelby.se"
MANAGER = "enhetschef@exempelby.se"
SAS = "sas@exempelby.se"
SOLGARDEN = "Solgårdens särskilda boende"
MEASURES = {
    "measures": "Extra tillsyn infördes samma kväll och den boende fick träffa sjuksköterska.",
    "taken_at": "2026-01-05T22:00",
}


@contextmanager
def operations(app: Flask) -> Iterator[Session]:
    """A session on the live database, committed at the end like one request."""
    with app.app_context():
        session = db.session()
        yield session
        session.commit()


def person(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == email))
    assert user is not None, email
    return user


def case_by_reference(session: Session, reference: str) -> Case:
    case = session.scalar(select(Case).where(Case.reference == reference))
    assert case is not None, reference
    return case


def report(session: Session, description: str, **answers: Any) -> Case:
    """A report from the demo reporter at Solgården, its type proposed from the plain answers as
    the report form does: harm to a care recipient unless the answers say otherwise."""
    unit = session.scalar(select(Unit).where(Unit.name == SOLGARDEN))
    assert unit is not None
    data = report_data(unit, description=description, report_kind="auto", **answers)
    [case] = report_event(session, person(session, REPORTER), data)
    return case


def investigate(session: Session, case: Case, grade: str) -> None:
    """The unit manager's measures and the SAS's whole investigation, proposing ``grade``."""
    sas = person(session, SAS)
    fire(session, case, person(session, MANAGER), "record_immediate_measures", MEASURES)
    fire(session, case, sas, "start_investigation", {})
    save_investigation(session, case, sas, investigation_data(grade))
    fire(session, case, sas, "complete_investigation", {})


def proposal_for_chair(app: Flask, description: str) -> str:
    """A lex Sarah case investigated to a proposal to file with IVO; its reference."""
    with operations(app) as session:
        case = report(session, description)
        investigate(session, case, "serious_misconduct")
        assert case.state == "awaiting_decision", case.state
        return case.reference


def close_with_feedback(app: Flask, reference: str, feedback: str) -> None:
    """The SAS investigates the report, finds no serious misconduct and closes the case with
    feedback to the reporter."""
    with operations(app) as session:
        case = case_by_reference(session, reference)
        investigate(session, case, "misconduct")
        assert case.state == "follow_up", case.state
        sas = person(session, SAS)
        record_feedback(session, case, sas, {**FEEDBACK, "feedback_text": feedback})
        fire(session, case, sas, "close", CLOSE)


def last_mail_to(app: Flask, email: str) -> str:
    with operations(app) as session:
        body = session.scalar(
            select(OutboxMail.body)
            .where(OutboxMail.to_address == email)
            .order_by(OutboxMail.id.desc())
            .limit(1)
        )
        assert body is not None, f"no mail to {email}"
        return body
