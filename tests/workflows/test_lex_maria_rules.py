"""The rules of DOMAIN.md §3.2 a state table cannot show: the event analysis, the grades of
health care, the MAS deciding by default, the patient information (PSL 3 kap. 8 §) and the
report to Läkemedelsverket before closing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.models import set_setting
from tests.factories import (
    CLOSE,
    FEEDBACK,
    FILING,
    PATIENT_INFORMATION,
    case_in,
    case_of,
    lex_maria_investigation,
    linked_rows,
)
from workflows.engine import available_triggers, fire
from workflows.errors import InvalidData, NotAllowed, WrongState
from workflows.feedback import record_feedback
from workflows.lex_maria_records import record_medical_device_report, record_patient_information
from workflows.permissions import visible_sections
from workflows.records import save_investigation

from .support import refused

SERIOUS = ("risk_of_serious_care_injury", "serious_care_injury")
NOT_SERIOUS = ("no_care_injury", "risk_of_care_injury", "care_injury")
TODAY = date.today().isoformat()


def investigated(session, world, grade="serious_care_injury", **overrides):
    case = case_of(session, world, "lex_maria", "under_investigation")
    save_investigation(session, case, world.mas, lex_maria_investigation(grade, **overrides))
    return case


def refused_with(session, case, error_type, action):
    """As support.refused, and lex Maria's own rows unchanged too."""
    before = linked_rows(session, case.id)
    error = refused(session, case, error_type, action)
    assert linked_rows(session, case.id) == before
    return error


# --- the investigation and the grades -----------------------------------------------------


@pytest.mark.parametrize(
    ("grade", "dest"),
    [(g, "awaiting_decision") for g in SERIOUS] + [(g, "follow_up") for g in NOT_SERIOUS],
)
def test_the_grades_of_health_care_choose_the_route(session, world, grade, dest):
    case = investigated(session, world, grade)
    event = fire(session, case, world.mas, "complete_investigation", {})
    assert case.state == dest
    assert event.data["proposed_grade"] == grade


MISSING = [
    ("what_happened", {"what_happened": ""}),
    ("analysis_team", {"analysis_team": []}),
    ("method", {"method": "  "}),
    # Every item of the event analysis is required before completion (rev. 2).
    ("purpose", {"purpose": ""}),
    ("commissioner", {"commissioner": ""}),
    ("assignment_date", {"assignment_date": ""}),
    ("report_due_date", {"report_due_date": ""}),
    ("underlying_causes", {"underlying_causes": []}),
    ("contributing_factors", {"contributing_factors": ""}),
    ("other_risks", {"other_risks": ""}),
    ("analysis_evaluation", {"analysis_evaluation": ""}),
    ("commissioner_comment", {"commissioner_comment": ""}),
    ("cause_areas", {"cause_areas": [], "causes_text": ""}),
    ("severity", {"severity": ""}),
    ("likelihood", {"likelihood": ""}),
    ("measures_text", {"measures_text": ""}),
    ("proposed_grade", {"proposed_grade": ""}),
    ("grade_motivation", {"grade_motivation": ""}),
]


@pytest.mark.parametrize(("field", "overrides"), MISSING, ids=[m[0] for m in MISSING])
def test_an_incomplete_event_analysis_cannot_be_completed(session, world, field, overrides):
    case = investigated(session, world, **overrides)
    error = refused_with(
        session,
        case,
        InvalidData,
        lambda: fire(session, case, world.mas, "complete_investigation", {}),
    )
    assert error.status == 422
    assert set(error.field_errors) == {field}


def test_the_team_and_the_method_are_both_needed(session, world):
    case = investigated(session, world, analysis_team=[], method="")
    error = refused_with(
        session,
        case,
        InvalidData,
        lambda: fire(session, case, world.mas, "complete_investigation", {}),
    )
    assert set(error.field_errors) == {"analysis_team", "method"}
    assert error.field_errors["analysis_team"] == [
        {"name": ["Ange minst en deltagare i analysteamet."]}
    ]


def test_each_participant_needs_a_name_and_a_role(session, world):
    team = [
        {"name": "Anna Berg", "role": "sjuksköterska", "unit": "Solgården"},
        {"name": "", "role": "", "unit": "Solgården"},
        {"name": "Karin Ek", "role": "", "unit": ""},
    ]
    case = investigated(session, world, analysis_team=team)
    error = refused_with(
        session,
        case,
        InvalidData,
        lambda: fire(session, case, world.mas, "complete_investigation", {}),
    )
    assert error.field_errors == {
        "analysis_team": [
            {},
            {"name": ["Ange deltagarens namn."], "role": ["Ange deltagarens roll."]},
            {"role": ["Ange deltagarens roll."]},
        ]
    }


def test_the_team_is_a_list_of_participants_in_order(session, world):
    team = [
        {"name": "Anna Berg", "role": "sjuksköterska", "unit": "Solgården"},
        {"name": "", "role": "", "unit": ""},  # an empty row is no participant
        {"name": "Per Ek", "role": "läkare", "unit": "", "remove": True},  # ticked away
        {"name": " Karin Ek ", "role": "undersköterska", "unit": ""},
    ]
    case = investigated(session, world, analysis_team=team)
    assert [(p.position, p.name, p.role, p.unit) for p in case.investigation.analysis_team] == [
        (0, "Anna Berg", "sjuksköterska", "Solgården"),
        (1, "Karin Ek", "undersköterska", ""),
    ]


def test_lex_sarah_s_items_are_not_asked_of_an_event_analysis(session, world):
    case = investigated(session, world)
    inv = case.investigation
    assert (inv.how_noticed, inv.happened_before, inv.event_types, inv.police_report) == (
        "",
        "",
        [],
        None,
    )
    fire(session, case, world.mas, "complete_investigation", {})
    assert case.state == "awaiting_decision"


def test_the_event_analysis_is_kept_item_by_item(session, world):
    case = investigated(session, world)
    inv = case.investigation
    data = lex_maria_investigation()
    for name in (
        "purpose",
        "commissioner",
        "method",
        "contributing_factors",
        "other_risks",
        "analysis_evaluation",
        "commissioner_comment",
        "what_happened",
    ):
        assert getattr(inv, name) == data[name], name
    assert inv.assignment_date == date.today()
    assert inv.report_due_date == date.today() + timedelta(days=30)
    assert [(p.name, p.role, p.unit) for p in inv.analysis_team] == [
        (p["name"], p["role"], p["unit"]) for p in data["analysis_team"]
    ]
    assert inv.item_authors["analysis_team"]["user_id"] == world.mas.id


@pytest.mark.parametrize("grade", ["serious_misconduct", "misconduct"])
def test_lex_sarah_s_grades_do_not_apply(session, world, grade):
    case = case_of(session, world, "lex_maria", "under_investigation")
    error = refused_with(
        session,
        case,
        InvalidData,
        lambda: save_investigation(session, case, world.mas, lex_maria_investigation(grade)),
    )
    assert set(error.field_errors) == {"proposed_grade"}
    early = {"proposed_grade": grade, "grade_motivation": "Uppenbart allvarligt."}
    error = refused_with(
        session,
        case,
        InvalidData,
        lambda: fire(session, case, world.mas, "propose_early_filing", early),
    )
    assert set(error.field_errors) == {"proposed_grade"}


@pytest.mark.parametrize("grade", SERIOUS)
def test_early_filing_with_a_serious_care_injury(session, world, grade):
    case = case_of(session, world, "lex_maria", "under_investigation")
    fire(
        session,
        case,
        world.mas,
        "propose_early_filing",
        {"proposed_grade": grade, "grade_motivation": "Uppenbart allvarligt."},
    )
    assert (case.state, case.early_filing, case.investigation.proposed_grade) == (
        "awaiting_decision",
        True,
        grade,
    )


# --- the deciding role ----------------------------------------------------------------------


def test_the_mas_decides_by_default(session, world):
    case = case_of(session, world, "lex_maria", "awaiting_decision")
    assert visible_sections(session, world.chair, case) == frozenset()
    refused_with(
        session,
        case,
        NotAllowed,
        lambda: fire(session, case, world.chair, "approve_filing", {"motivation": "x"}),
    )
    fire(session, case, world.mas, "approve_filing", {"motivation": "Allvarlig vårdskada."})
    decision = case.latest_decision
    assert (decision.decider_id, decision.decider_role, decision.outcome) == (
        world.mas.id,
        "mas",
        "approve_filing",
    )


@pytest.mark.parametrize(
    ("trigger", "data", "dest"),
    [
        ("approve_filing", {"motivation": "Anmäls."}, "awaiting_filing"),
        (
            "decline_filing",
            {"decider_grade": "care_injury", "motivation": "Inte allvarlig."},
            "follow_up",
        ),
        ("return_to_investigator", {"comment": "Komplettera."}, "under_investigation"),
    ],
)
def test_the_deciding_role_is_a_setting(session, world, trigger, data, dest):
    set_setting(session, "deciding_role.lex_maria", "chair")
    case = case_of(session, world, "lex_maria", "under_investigation")
    # The chair sees a case only once it awaits their decision.
    assert visible_sections(session, world.chair, case) == frozenset()
    save_investigation(session, case, world.mas, lex_maria_investigation())
    fire(session, case, world.mas, "complete_investigation", {})
    assert case.state == "awaiting_decision"

    decisions = {"approve_filing", "decline_filing", "return_to_investigator"}
    assert set(available_triggers(session, world.chair, case)) == decisions
    assert decisions.isdisjoint(available_triggers(session, world.mas, case))
    refused_with(session, case, NotAllowed, lambda: fire(session, case, world.mas, trigger, data))

    fire(session, case, world.chair, trigger, data)
    assert case.state == dest
    assert (case.latest_decision.decider_id, case.latest_decision.decider_role) == (
        world.chair.id,
        "chair",
    )
    # The MAS still investigates and files.
    if dest == "awaiting_filing":
        fire(session, case, world.mas, "record_filing", FILING)
        assert case.state == "filed"


def test_declining_takes_a_grade_of_health_care_that_is_not_serious(session, world):
    case = case_of(session, world, "lex_maria", "awaiting_decision")
    for grade in ("serious_care_injury", "misconduct", ""):
        error = refused_with(
            session,
            case,
            InvalidData,
            lambda g=grade: fire(
                session,
                case,
                world.mas,
                "decline_filing",
                {"decider_grade": g, "motivation": "Nej."},
            ),
        )
        assert set(error.field_errors) == {"decider_grade"}


# --- patient information and the medical device ----------------------------------------------


def test_close_needs_the_patient_information(session, world):
    case = case_of(session, world, "lex_maria", "follow_up")
    record_feedback(session, case, world.mas, FEEDBACK)
    error = refused_with(
        session, case, InvalidData, lambda: fire(session, case, world.mas, "close", CLOSE)
    )
    assert error.status == 422
    assert set(error.field_errors) == {"patient_information"}

    record_patient_information(session, case, world.mas, PATIENT_INFORMATION)
    fire(session, case, world.mas, "close", CLOSE)
    assert case.state == "closed"


def test_close_needs_the_medical_device_report_too(session, world):
    case = case_of(session, world, "lex_maria", "follow_up", medical_device=True)
    record_feedback(session, case, world.mas, FEEDBACK)
    assert case.medical_device
    error = refused_with(
        session, case, InvalidData, lambda: fire(session, case, world.mas, "close", CLOSE)
    )
    assert set(error.field_errors) == {"patient_information", "medical_device"}

    record_patient_information(session, case, world.mas, PATIENT_INFORMATION)
    error = refused_with(
        session, case, InvalidData, lambda: fire(session, case, world.mas, "close", CLOSE)
    )
    assert set(error.field_errors) == {"medical_device"}

    record_medical_device_report(session, case, world.mas, {"reported_on": TODAY})
    assert case.medical_device_reported_on == date.today()
    assert case.events[-1].trigger == "record_medical_device_report"
    fire(session, case, world.mas, "close", CLOSE)
    assert case.state == "closed"


def test_a_medical_device_report_alone_does_not_close_the_case(session, world):
    case = case_of(session, world, "lex_maria", "follow_up", medical_device=True)
    record_feedback(session, case, world.mas, FEEDBACK)
    record_medical_device_report(session, case, world.mas, {"reported_on": TODAY})
    error = refused_with(
        session, case, InvalidData, lambda: fire(session, case, world.mas, "close", CLOSE)
    )
    assert set(error.field_errors) == {"patient_information"}


@pytest.mark.parametrize("grade", ["no_care_injury", "risk_of_care_injury"])
def test_close_needs_no_patient_information_when_no_care_injury_was_found(session, world, grade):
    """PSL 3 kap. 8 § concerns a patient "som har drabbats av en vårdskada" (rev. 2)."""
    case = investigated(session, world, grade)
    fire(session, case, world.mas, "complete_investigation", {})
    assert case.state == "follow_up"
    record_feedback(session, case, world.mas, FEEDBACK)
    fire(session, case, world.mas, "close", CLOSE)
    assert (case.state, case.patient_information) == ("closed", [])


def test_close_needs_the_patient_information_when_a_care_injury_was_found(session, world):
    case = investigated(session, world, "care_injury")
    fire(session, case, world.mas, "complete_investigation", {})
    record_feedback(session, case, world.mas, FEEDBACK)
    error = refused_with(
        session, case, InvalidData, lambda: fire(session, case, world.mas, "close", CLOSE)
    )
    assert set(error.field_errors) == {"patient_information"}
    assert "PSL 3 kap. 8 §" in error.field_errors["patient_information"][0]


@pytest.mark.parametrize(
    "state",
    [
        "submitted",
        "awaiting_assessment",
        "under_investigation",
        "awaiting_decision",
        "awaiting_filing",
        "filed",
        "follow_up",
    ],
)
def test_the_patient_information_is_recorded_in_any_open_state(session, world, state):
    case = case_of(session, world, "lex_maria", state)
    version = case.version
    info = record_patient_information(session, case, world.mas, PATIENT_INFORMATION)
    assert case.state == state
    assert case.version > version
    assert (info.informed_on, info.informed_by, info.recipient, info.recipient_name) == (
        date.today(),
        "Anna Berg, sjuksköterska",
        "patient",
        "",
    )
    assert info.topics == PATIENT_INFORMATION["topics"]
    assert info.noted_in_patient_record
    assert info.patient_account == PATIENT_INFORMATION["patient_account"]
    assert info.recorded_by_id == world.mas.id
    event = case.events[-1]
    assert (event.trigger, event.from_state, event.to_state, event.actor_role) == (
        "record_patient_information",
        state,
        state,
        "mas",
    )


def test_a_relative_may_be_informed_when_named(session, world):
    case = case_of(session, world, "lex_maria", "follow_up")
    data = {**PATIENT_INFORMATION, "recipient": "relative"}
    error = refused_with(
        session,
        case,
        InvalidData,
        lambda: record_patient_information(session, case, world.mas, data),
    )
    assert set(error.field_errors) == {"recipient_name"}
    info = record_patient_information(
        session, case, world.mas, {**data, "recipient_name": "Dottern Lisa"}
    )
    assert (info.recipient, info.recipient_name) == ("relative", "Dottern Lisa")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"topics": []}, "topics"),
        ({"informed_on": ""}, "informed_on"),
        ({"informed_by": " "}, "informed_by"),
        ({"recipient": ""}, "recipient"),
        ({"recipient": "neighbour"}, "recipient"),
        ({"topics": ["gossip"]}, "topics"),
        ({"informed_on": (date.today() + timedelta(days=1)).isoformat()}, "informed_on"),
        # PSL 3 kap. 8 §: all six topics, and the note in the patient record (rev. 2).
        *(
            ({"topics": [t for t in PATIENT_INFORMATION["topics"] if t != topic]}, "topics")
            for topic in PATIENT_INFORMATION["topics"]
        ),
        ({"noted_in_patient_record": False}, "noted_in_patient_record"),
    ],
    ids=[
        "no-topics",
        "no-date",
        "no-informer",
        "no-recipient",
        "unknown-recipient",
        "unknown-topic",
        "future-date",
        *(f"without-{topic}" for topic in PATIENT_INFORMATION["topics"]),
        "not-noted-in-the-patient-record",
    ],
)
def test_the_patient_information_needs_its_content(session, world, change, field):
    case = case_of(session, world, "lex_maria", "follow_up")
    error = refused_with(
        session,
        case,
        InvalidData,
        lambda: record_patient_information(
            session, case, world.mas, {**PATIENT_INFORMATION, **change}
        ),
    )
    assert error.status == 422
    assert set(error.field_errors) == {field}


@pytest.mark.parametrize("who", ["reporter", "manager", "area_manager", "sas", "chair", "admin"])
def test_only_the_mas_records_the_patient_information(session, world, who):
    case = case_of(session, world, "lex_maria", "follow_up")
    error = refused_with(
        session,
        case,
        NotAllowed,
        lambda: record_patient_information(session, case, getattr(world, who), PATIENT_INFORMATION),
    )
    assert error.status == 403
    refused_with(
        session,
        case,
        NotAllowed,
        lambda: record_medical_device_report(
            session, case, getattr(world, who), {"reported_on": TODAY}
        ),
    )


@pytest.mark.parametrize(
    ("case_type", "who"),
    [("lex_sarah", "sas"), ("lex_sarah", "mas"), ("deviation", "mas"), ("deviation", "sas")],
)
def test_the_patient_information_belongs_to_lex_maria(session, world, case_type, who):
    case = case_of(session, world, case_type, "submitted")
    error = refused_with(
        session,
        case,
        WrongState,
        lambda: record_patient_information(session, case, getattr(world, who), PATIENT_INFORMATION),
    )
    assert error.status == 409


@pytest.mark.parametrize("state", ["closed", "reclassified"])
def test_nothing_is_recorded_in_a_finished_case(session, world, state):
    case = case_of(session, world, "lex_maria", state, medical_device=True)
    refused_with(
        session,
        case,
        WrongState,
        lambda: record_patient_information(session, case, world.mas, PATIENT_INFORMATION),
    )


def test_the_medical_device_report_needs_a_device_and_a_date(session, world):
    case = case_of(session, world, "lex_maria", "follow_up")
    refused_with(
        session,
        case,
        WrongState,
        lambda: record_medical_device_report(session, case, world.mas, {"reported_on": TODAY}),
    )

    with_device = case_of(session, world, "lex_maria", "follow_up", medical_device=True)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    for data in ({}, {"reported_on": tomorrow}):
        error = refused_with(
            session,
            with_device,
            InvalidData,
            lambda d=data: record_medical_device_report(session, with_device, world.mas, d),
        )
        assert set(error.field_errors) == {"reported_on"}


def test_lex_sarah_closes_without_patient_information(session, world):
    case = case_in(session, world, "follow_up")
    record_feedback(session, case, world.sas, FEEDBACK)
    fire(session, case, world.sas, "close", CLOSE)
    assert case.state == "closed"
