"""Theft and financial abuse (DOMAIN.md §3.3, seed 001): always escalated, always a lex Sarah
case, always a police report."""

from __future__ import annotations

import pytest

from tests.factories import MEASURES, assessment, investigation_data, new_case_of
from workflows.engine import available_triggers, fire
from workflows.errors import InvalidData
from workflows.records import save_investigation

from .support import refused

THEFT = "Stöld/ekonomiska övergrepp"
MOTIVATION = {"comment": "Pengar saknas ur den boendes plånbok."}


def theft_case(session, world, legal_area="SoL"):
    case = new_case_of(
        session, world, "deviation", description="Pengar saknas ur den boendes plånbok."
    )
    fire(
        session,
        case,
        world.manager,
        "assess",
        assessment(session, THEFT, legal_area=legal_area, severity=1, likelihood=1),
    )
    return case


@pytest.mark.parametrize(("area", "target"), [("SoL", "sas"), ("HSL", "mas")])
def test_only_the_conversion_to_lex_sarah_is_offered(session, world, area, target):
    case = theft_case(session, world, area)
    assert case.state == "escalated"
    assert case.assessment.police_report
    assert available_triggers(session, getattr(world, target), case) == ["convert_to_lex_sarah"]


@pytest.mark.parametrize("trigger", ["convert_to_lex_maria", "return_to_manager"])
def test_a_theft_deviation_cannot_become_anything_else(session, world, trigger):
    case = theft_case(session, world)
    error = refused(
        session, case, InvalidData, lambda: fire(session, case, world.sas, trigger, MOTIVATION)
    )
    assert error.status == 422
    assert set(error.field_errors) == {"comment"}
    assert case.successor_case is None


def test_the_lex_sarah_case_starts_with_the_police_report_due(session, world):
    deviation = theft_case(session, world)
    fire(session, deviation, world.sas, "convert_to_lex_sarah", MOTIVATION)
    case = deviation.successor_case
    assert (deviation.state, case.case_type, case.state) == ("converted", "lex_sarah", "submitted")

    fire(session, case, world.manager, "record_immediate_measures", MEASURES)
    fire(session, case, world.sas, "start_investigation", {})
    assert case.investigation.police_report == "required"


def test_other_conversions_leave_the_police_report_to_the_investigator(session, world):
    deviation = new_case_of(session, world, "deviation")
    fire(session, deviation, world.manager, "assess", assessment(session, "Fall", severity=4))
    fire(session, deviation, world.sas, "convert_to_lex_sarah", MOTIVATION)
    case = deviation.successor_case
    fire(session, case, world.sas, "start_investigation", {})
    assert case.investigation.police_report is None


def test_the_police_report_cannot_be_waived_later(session, world):
    deviation = theft_case(session, world)
    fire(session, deviation, world.sas, "convert_to_lex_sarah", MOTIVATION)
    case = deviation.successor_case
    fire(session, case, world.manager, "record_immediate_measures", MEASURES)
    fire(session, case, world.sas, "start_investigation", {})
    # Other event types chosen, and the police report marked as not needed.
    save_investigation(session, case, world.sas, investigation_data(police_report="not_required"))
    error = refused(
        session,
        case,
        InvalidData,
        lambda: fire(session, case, world.sas, "complete_investigation", {}),
    )
    assert set(error.field_errors) == {"police_report"}

    save_investigation(session, case, world.sas, investigation_data(police_report="made"))
    fire(session, case, world.sas, "complete_investigation", {})
    assert case.state == "awaiting_decision"
