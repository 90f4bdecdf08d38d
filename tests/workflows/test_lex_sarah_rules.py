"""The rules of DOMAIN.md §3.1 that a state table cannot show: immediate measures, a complete
investigation before completion, the grade choosing the route, and who decides."""

from __future__ import annotations

import pytest

from app.models import set_setting
from tests.factories import MEASURES, case_in, investigation_data, new_case
from workflows.engine import available_triggers, fire
from workflows.errors import InvalidData, NotAllowed
from workflows.records import investigation_writable, save_investigation

from .support import refused

SERIOUS = ("risk_of_serious_misconduct", "serious_misconduct")
NOT_SERIOUS = ("no_misconduct", "risk_of_misconduct", "misconduct")


def investigated(session, world, grade="serious_misconduct", **overrides):
    case = case_in(session, world, "under_investigation")
    save_investigation(session, case, world.sas, investigation_data(grade, **overrides))
    return case


@pytest.mark.parametrize(
    ("grade", "dest"),
    [(g, "awaiting_decision") for g in SERIOUS] + [(g, "follow_up") for g in NOT_SERIOUS],
)
def test_completion_goes_to_decision_only_for_a_serious_grade(session, world, grade, dest):
    case = investigated(session, world, grade)
    event = fire(session, case, world.sas, "complete_investigation", {})
    assert case.state == dest
    assert case.investigation.completed_at is not None
    assert not investigation_writable(case)
    assert event.data["proposed_grade"] == grade
    assert case.decisions == []


def test_sas_first_needs_the_managers_measures_before_completing(session, world):
    case = new_case(session, world)
    fire(session, case, world.sas, "start_investigation", {})
    assert case.state == "under_investigation"
    save_investigation(session, case, world.sas, investigation_data())

    error = refused(
        session,
        case,
        InvalidData,
        lambda: fire(session, case, world.sas, "complete_investigation", {}),
    )
    assert error.status == 422
    assert "immediate_measures" in error.field_errors

    # The manager of the parent unit answers for Solgården too; the state stays.
    event = fire(session, case, world.area_manager, "record_immediate_measures", MEASURES)
    assert (event.from_state, event.to_state, case.state) == (
        "under_investigation",
        "under_investigation",
        "under_investigation",
    )
    assert case.immediate_measures.recorded_by_id == world.area_manager.id

    again = refused(
        session,
        case,
        InvalidData,
        lambda: fire(session, case, world.manager, "record_immediate_measures", MEASURES),
    )
    assert "immediate_measures" in again.field_errors

    fire(session, case, world.sas, "complete_investigation", {})
    assert case.state == "awaiting_decision"


def test_measures_are_recorded_before_the_investigation_starts(session, world):
    case = new_case(session, world)
    fire(session, case, world.manager, "record_immediate_measures", MEASURES)
    assert case.state == "awaiting_investigation"
    measures = case.immediate_measures
    assert measures.measures == MEASURES["measures"]
    assert not measures.none_needed
    # Entered in Swedish time, stored in UTC.
    assert measures.taken_at.isoformat() == "2026-01-05T21:00:00+00:00"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"measures": "Extra tillsyn."}, "taken_at"),
        ({"taken_at": "2026-01-05T22:00"}, "measures"),
        ({"none_needed": True}, "none_needed_reason"),
        ({"none_needed": True, "none_needed_reason": "  "}, "none_needed_reason"),
    ],
)
def test_measures_need_what_and_when_or_a_reason(session, world, data, field):
    case = new_case(session, world)
    error = refused(
        session,
        case,
        InvalidData,
        lambda: fire(session, case, world.manager, "record_immediate_measures", data),
    )
    assert field in error.field_errors


def test_no_measures_needed_with_a_reason(session, world):
    case = new_case(session, world)
    fire(
        session,
        case,
        world.manager,
        "record_immediate_measures",
        {"none_needed": True, "none_needed_reason": "Personen var inte i fara."},
    )
    assert case.state == "awaiting_investigation"
    assert case.immediate_measures.none_needed
    assert case.immediate_measures.taken_at is None


# Each required item of SOSFS 2011:5 5 kap. left out, and the field error it must give.
MISSING_ITEMS = [
    ("what_happened", {"what_happened": ""}),
    ("how_noticed", {"how_noticed": ""}),
    ("when_occurred", {"when_occurred": "  "}),
    ("cause_areas", {"cause_areas": [], "causes_text": ""}),
    ("happened_before", {"happened_before": ""}),
    ("severity", {"severity": ""}),
    ("likelihood", {"likelihood": ""}),
    ("measures_text", {"measures_text": ""}),
    ("proposed_grade", {"proposed_grade": ""}),
    ("grade_motivation", {"grade_motivation": ""}),
    ("event_types", {"event_types": []}),
    ("person_informed", {"person_informed": None}),
    # Whether the person was heard, and whether their representative was informed, are each
    # required apart from whether the person was informed (rev. 2).
    ("person_heard", {"person_heard": None}),
    ("representative_informed", {"representative_informed": None}),
    ("noted_in_record", {"noted_in_record": None}),
    ("police_report", {"police_report": None}),
]


@pytest.mark.parametrize(("field", "overrides"), MISSING_ITEMS, ids=[m[0] for m in MISSING_ITEMS])
def test_an_incomplete_investigation_cannot_be_completed(session, world, field, overrides):
    case = investigated(session, world, **overrides)
    error = refused(
        session,
        case,
        InvalidData,
        lambda: fire(session, case, world.sas, "complete_investigation", {}),
    )
    assert error.status == 422
    assert set(error.field_errors) == {field}
    assert case.investigation.completed_at is None


def test_the_person_and_the_representative_are_asked_in_their_own_words(session, world):
    case = investigated(
        session, world, person_informed=None, person_heard=None, representative_informed=None
    )
    error = refused(
        session,
        case,
        InvalidData,
        lambda: fire(session, case, world.sas, "complete_investigation", {}),
    )
    assert error.field_errors == {
        "person_informed": ["Ange om den enskilde har informerats."],
        "person_heard": ["Ange om den enskilde har fått lämna synpunkter."],
        "representative_informed": [
            "Ange om den enskildes företrädare (god man, förvaltare eller anhörig) har"
            " informerats, eller att den enskilde inte har någon företrädare."
        ],
    }


def test_a_person_without_a_representative_may_be_completed(session, world):
    case = investigated(session, world, representative_informed="no_representative")
    fire(session, case, world.sas, "complete_investigation", {})
    assert case.investigation.representative_informed == "no_representative"
    assert case.investigation.completed_at is not None


def test_causes_in_free_text_are_enough(session, world):
    case = investigated(session, world, cause_areas=[], underlying_causes=[])
    fire(session, case, world.sas, "complete_investigation", {})
    assert case.state == "awaiting_decision"


def test_theft_and_financial_abuse_are_always_reported_to_the_police(session, world):
    case = investigated(
        session, world, event_types=["financial_irregularity"], police_report="not_required"
    )
    error = refused(
        session,
        case,
        InvalidData,
        lambda: fire(session, case, world.sas, "complete_investigation", {}),
    )
    assert set(error.field_errors) == {"police_report"}

    save_investigation(
        session,
        case,
        world.sas,
        investigation_data(event_types=["financial_irregularity"], police_report="made"),
    )
    fire(session, case, world.sas, "complete_investigation", {})
    assert case.state == "awaiting_decision"


def test_the_deciding_role_is_a_setting(session, world):
    set_setting(session, "deciding_role.lex_sarah", "sas")
    case = case_in(session, world, "awaiting_decision")
    data = {"motivation": "Delegerat beslut."}

    refused(
        session, case, NotAllowed, lambda: fire(session, case, world.chair, "approve_filing", data)
    )
    assert "approve_filing" not in available_triggers(session, world.chair, case)
    assert "approve_filing" in available_triggers(session, world.sas, case)

    fire(session, case, world.sas, "approve_filing", data)
    assert case.state == "awaiting_filing"
    assert (case.latest_decision.decider_id, case.latest_decision.decider_role) == (
        world.sas.id,
        "sas",
    )


def test_an_inactive_user_may_do_nothing(session, world):
    case = case_in(session, world, "awaiting_investigation")
    world.sas.active = False
    session.flush()
    assert available_triggers(session, world.sas, case) == []
    refused(
        session, case, NotAllowed, lambda: fire(session, case, world.sas, "start_investigation", {})
    )


def test_an_investigator_can_be_assigned(session, world):
    from tests.factories import make_user

    colleague = make_user(session, "sas2@test.se", ["sas"])
    case = case_in(session, world, "awaiting_investigation")
    fire(session, case, world.sas, "start_investigation", {"investigator_id": colleague.id})
    assert case.investigator_id == colleague.id
    assert case.investigation.started_by_id == world.sas.id


@pytest.mark.parametrize("who", ["chair", "manager", "unknown"])
def test_the_investigator_must_be_an_active_sas(session, world, who):
    case = case_in(session, world, "awaiting_investigation")
    investigator_id = getattr(world, who).id if who != "unknown" else 999_999
    error = refused(
        session,
        case,
        InvalidData,
        lambda: fire(
            session, case, world.sas, "start_investigation", {"investigator_id": investigator_id}
        ),
    )
    assert "investigator_id" in error.field_errors


def test_no_case_is_closed_without_immediate_measures(session, world):
    """Whichever way the case goes, the measures the law asks for 'genast' are on record."""
    case = new_case(session, world)
    fire(session, case, world.sas, "start_investigation", {})
    proposal = {"proposed_grade": "serious_misconduct", "grade_motivation": "Uppenbart allvarligt."}
    error = refused(
        session,
        case,
        InvalidData,
        lambda: fire(session, case, world.sas, "propose_early_filing", proposal),
    )
    assert "immediate_measures" in error.field_errors

    fire(session, case, world.manager, "record_immediate_measures", MEASURES)
    fire(session, case, world.sas, "propose_early_filing", proposal)
    assert case.state == "awaiting_decision"
