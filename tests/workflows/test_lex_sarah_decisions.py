"""The deciding role's three answers to a proposal, and IVO's answer to a filing."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import case_in
from workflows.engine import fire
from workflows.errors import InvalidData
from workflows.records import investigation_writable

from .support import refused

DECLINE = {"decider_grade": "misconduct", "motivation": "Bedöms inte som allvarligt."}


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"motivation": "Inte allvarligt."}, {"decider_grade"}),
        ({"decider_grade": "misconduct"}, {"motivation"}),
        ({"decider_grade": "misconduct", "motivation": "   "}, {"motivation"}),
        # Declining means the decider finds it not serious: a serious own grade is no choice.
        ({"decider_grade": "serious_misconduct", "motivation": "x"}, {"decider_grade"}),
        ({"decider_grade": "risk_of_serious_misconduct", "motivation": "x"}, {"decider_grade"}),
    ],
)
def test_declining_needs_the_deciders_own_grade_and_motivation(session, world, data, fields):
    case = case_in(session, world, "awaiting_decision")
    error = refused(
        session, case, InvalidData, lambda: fire(session, case, world.chair, "decline_filing", data)
    )
    assert set(error.field_errors) == fields


def test_declined_proposal_goes_to_follow_up(session, world):
    case = case_in(session, world, "awaiting_decision")
    event = fire(session, case, world.chair, "decline_filing", DECLINE)
    assert case.state == "follow_up"
    decision = case.latest_decision
    assert (decision.outcome, decision.decider_grade, decision.proposed_grade) == (
        "decline_filing",
        "misconduct",
        "serious_misconduct",
    )
    assert decision.motivation == DECLINE["motivation"]
    assert (decision.decider_id, decision.decider_name, decision.decider_role) == (
        world.chair.id,
        world.chair.name,
        "chair",
    )
    assert decision.decided_at is not None
    assert event.data["decider_grade"] == "misconduct"


def test_approval_needs_a_motivation(session, world):
    case = case_in(session, world, "awaiting_decision")
    error = refused(
        session, case, InvalidData, lambda: fire(session, case, world.chair, "approve_filing", {})
    )
    assert set(error.field_errors) == {"motivation"}
    fire(session, case, world.chair, "approve_filing", {"motivation": "Allvarligt."})
    assert case.state == "awaiting_filing"
    assert case.latest_decision.outcome == "approve_filing"


def test_return_needs_a_comment(session, world):
    case = case_in(session, world, "awaiting_decision")
    error = refused(
        session,
        case,
        InvalidData,
        lambda: fire(session, case, world.chair, "return_to_investigator", {}),
    )
    assert set(error.field_errors) == {"comment"}
    # A comment passed beside the form does not replace the form's own field.
    refused(
        session,
        case,
        InvalidData,
        lambda: fire(
            session, case, world.chair, "return_to_investigator", {"comment": " "}, comment="x"
        ),
    )


def test_return_reopens_the_investigation_under_a_new_number(session, world):
    case = case_in(session, world, "awaiting_decision")
    inv = case.investigation
    assert (inv.completed_at is not None, inv.number) == (True, 1)

    event = fire(
        session,
        case,
        world.chair,
        "return_to_investigator",
        {"comment": "Komplettera orsaksanalysen."},
    )
    assert case.state == "under_investigation"
    assert event.comment == "Komplettera orsaksanalysen."
    assert (inv.completed_at, inv.number) == (None, 2)
    assert investigation_writable(case)
    assert case.latest_decision.outcome == "return_to_investigator"

    completed = fire(session, case, world.sas, "complete_investigation", {})
    assert case.state == "awaiting_decision"
    assert completed.data["investigation_number"] == 2


def test_supplement_request_keeps_the_case_filed(session, world):
    case = case_in(session, world, "filed")
    assert case.latest_filing.ivo_case_number == ""
    event = fire(
        session,
        case,
        world.sas,
        "record_ivo_response",
        {
            "received_on": date.today().isoformat(),
            "outcome": "supplement_requested",
            "text": "IVO begär komplettering.",
            "ivo_case_number": "3.1.1-12345/2026",
        },
    )
    assert (event.from_state, event.to_state, case.state) == ("filed", "filed", "filed")
    assert case.latest_filing.ivo_case_number == "3.1.1-12345/2026"

    fire(
        session,
        case,
        world.sas,
        "record_ivo_response",
        {
            "received_on": date.today().isoformat(),
            "outcome": "closed_with_criticism",
            "text": "Avslutat med kritik.",
            "ivo_case_number": "annat",
        },
    )
    assert case.state == "follow_up"
    assert [r.outcome for r in case.ivo_responses] == [
        "supplement_requested",
        "closed_with_criticism",
    ]
    # A number once recorded is not overwritten by a later answer.
    assert case.latest_filing.ivo_case_number == "3.1.1-12345/2026"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"outcome": "closed_duty_fulfilled"}, "received_on"),
        ({"received_on": date.today().isoformat()}, "outcome"),
        ({"received_on": date.today().isoformat(), "outcome": "no_such_outcome"}, "outcome"),
        ({"received_on": "2999-01-01", "outcome": "closed_duty_fulfilled"}, "received_on"),
    ],
)
def test_ivo_response_needs_date_and_outcome(session, world, data, field):
    case = case_in(session, world, "filed")
    error = refused(
        session,
        case,
        InvalidData,
        lambda: fire(session, case, world.sas, "record_ivo_response", data),
    )
    assert field in error.field_errors


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"channel": "e_service"}, "filed_on"),
        ({"filed_on": date.today().isoformat()}, "channel"),
        # IVO takes no e-mail.
        ({"filed_on": date.today().isoformat(), "channel": "email"}, "channel"),
    ],
)
def test_filing_needs_date_and_channel(session, world, data, field):
    case = case_in(session, world, "awaiting_filing")
    error = refused(
        session, case, InvalidData, lambda: fire(session, case, world.sas, "record_filing", data)
    )
    assert field in error.field_errors
