"""Early filing: IVO is told as soon as seriousness is evident; the investigation follows."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import CLOSE, FEEDBACK, FILING, case_in, investigation_data
from workflows.engine import fire
from workflows.errors import InvalidData, WrongState
from workflows.feedback import record_feedback
from workflows.records import investigation_writable, record_investigation_sent, save_investigation

from .support import refused

PROPOSAL = {
    "proposed_grade": "risk_of_serious_misconduct",
    "grade_motivation": "Allvarligheten är uppenbar redan nu.",
}
RESPONSE = {"received_on": date.today().isoformat(), "outcome": "closed_duty_fulfilled"}
SENT = {"sent_on": date.today().isoformat()}


def proposed_early(session, world):
    case = case_in(session, world, "under_investigation")
    save_investigation(session, case, world.sas, {"what_happened": "Det som hittills är känt."})
    fire(session, case, world.sas, "propose_early_filing", PROPOSAL)
    return case


def test_early_filing_from_proposal_to_closing(session, world):
    case = proposed_early(session, world)
    assert case.state == "awaiting_decision"
    assert case.early_filing
    assert case.investigation.proposed_grade == "risk_of_serious_misconduct"
    assert case.investigation.completed_at is None
    assert investigation_writable(case)

    fire(session, case, world.chair, "approve_filing", {"motivation": "Anmäls direkt."})
    assert case.state == "awaiting_filing"
    assert case.latest_decision.early
    fire(session, case, world.sas, "record_filing", FILING)
    assert case.state == "filed"

    # The investigation goes on after filing.
    assert investigation_writable(case)
    save_investigation(
        session,
        case,
        world.sas,
        {"what_happened": "Det som hittills är känt.", "how_noticed": "Vid tillsyn."},
    )
    assert case.investigation.how_noticed == "Vid tillsyn."

    # Sending it needs it complete, and sending nothing changes nothing.
    error = refused(
        session,
        case,
        InvalidData,
        lambda: record_investigation_sent(session, case, world.sas, SENT),
    )
    assert {"when_occurred", "severity", "proposed_grade", "event_types"} <= set(error.field_errors)
    assert "how_noticed" not in error.field_errors

    fire(session, case, world.sas, "record_ivo_response", RESPONSE)
    assert case.state == "follow_up"
    assert investigation_writable(case)

    # Closing waits for the investigation to reach IVO.
    error = refused(
        session, case, InvalidData, lambda: fire(session, case, world.sas, "close", CLOSE)
    )
    assert "investigation" in error.field_errors
    # Nor can the reporter be given feedback on an investigation still going on (rev. 2).
    with pytest.raises(WrongState):
        record_feedback(session, case, world.sas, FEEDBACK)

    save_investigation(session, case, world.sas, investigation_data("risk_of_serious_misconduct"))
    record_investigation_sent(session, case, world.sas, SENT)
    assert case.investigation_sent_to_ivo_on == date.today()
    assert case.investigation.completed_at is not None
    assert not investigation_writable(case)
    session.expire_all()
    assert case.events[-1].trigger == "record_investigation_sent"
    with pytest.raises(WrongState):
        save_investigation(session, case, world.sas, investigation_data())
    with pytest.raises(WrongState):
        record_investigation_sent(session, case, world.sas, SENT)

    # Sent, the investigation is complete: feedback may be given, and closing needs it.
    error = refused(
        session, case, InvalidData, lambda: fire(session, case, world.sas, "close", CLOSE)
    )
    assert set(error.field_errors) == {"feedback"}
    record_feedback(session, case, world.sas, FEEDBACK)
    fire(session, case, world.sas, "close", CLOSE)
    assert case.state == "closed"


def test_investigation_sent_needs_a_date(session, world):
    case = proposed_early(session, world)
    fire(session, case, world.chair, "approve_filing", {"motivation": "Anmäls direkt."})
    fire(session, case, world.sas, "record_filing", FILING)
    save_investigation(session, case, world.sas, investigation_data())
    error = refused(
        session, case, InvalidData, lambda: record_investigation_sent(session, case, world.sas, {})
    )
    assert set(error.field_errors) == {"sent_on"}


def test_a_regularly_filed_case_has_nothing_to_send(session, world):
    case = case_in(session, world, "filed")
    refused(
        session, case, WrongState, lambda: record_investigation_sent(session, case, world.sas, SENT)
    )


def test_early_proposal_needs_a_serious_grade_and_motivation(session, world):
    case = case_in(session, world, "under_investigation")
    for data, field in (
        ({**PROPOSAL, "proposed_grade": "misconduct"}, "proposed_grade"),
        ({**PROPOSAL, "grade_motivation": ""}, "grade_motivation"),
    ):
        error = refused(
            session,
            case,
            InvalidData,
            lambda d=data: fire(session, case, world.sas, "propose_early_filing", d),
        )
        assert set(error.field_errors) == {field}


def test_declined_early_proposal_goes_back_to_the_investigation(session, world):
    case = proposed_early(session, world)
    fire(
        session,
        case,
        world.chair,
        "decline_filing",
        {"decider_grade": "misconduct", "motivation": "Inte uppenbart allvarligt än."},
    )
    assert case.state == "under_investigation"
    assert not case.early_filing
    assert case.latest_decision.early
    assert investigation_writable(case)

    save_investigation(session, case, world.sas, investigation_data("misconduct"))
    fire(session, case, world.sas, "complete_investigation", {})
    assert case.state == "follow_up"


def test_returned_early_proposal_keeps_the_investigation_number(session, world):
    case = proposed_early(session, world)
    fire(session, case, world.chair, "return_to_investigator", {"comment": "Vänta med anmälan."})
    assert case.state == "under_investigation"
    assert not case.early_filing
    assert (case.investigation.completed_at, case.investigation.number) == (None, 1)
