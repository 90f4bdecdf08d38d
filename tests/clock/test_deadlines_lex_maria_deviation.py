"""Lex Maria and deviations: their own deadlines (patient information, the filing capped by the
event's date, the assessment and the local investigation) opened and met by their steps."""

from __future__ import annotations

from datetime import date

import pytest

from tests.clock.support import (
    LEX_MARIA_INVESTIGATION,
    PATIENT_INFORMATION,
    Clock,
    assessment,
    deadlines,
    lex_maria_investigated,
    local,
    new_deviation,
    new_lex_maria,
    notices,
    statuses,
)
from tests.factories import CLOSE, FEEDBACK, FILING, investigation_data, report_data
from workflows.deadlines import NO_CARE_INJURY, case_deadlines, waive_reasons
from workflows.engine import fire
from workflows.feedback import record_feedback
from workflows.intake import report_event
from workflows.lex_maria_records import record_patient_information
from workflows.records import save_investigation

MONDAY = local(2026, 12, 7, 9, 0)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, MONDAY)


def test_lex_maria_walk(session, world, clock):
    case = new_lex_maria(session, world, occurred_on="2026-10-20", discovered_on="2026-10-20")
    assert statuses(session, case) == {"immediate_measures": "open", "investigation_start": "open"}
    assert deadlines(session, case)["investigation_start"].responsible_role == "mas"

    started = clock.set(local(2026, 12, 7, 13, 0))
    lex_maria_investigated(session, world, case)
    d = deadlines(session, case)
    assert d["patient_information"].due_at == local(2026, 12, 14, 13, 0)  # 7 days
    assert d["patient_information"].responsible_user_id == world.mas.id
    assert d["investigation_complete"].start_at == started

    record_patient_information(session, case, world.mas, PATIENT_INFORMATION)
    assert deadlines(session, case)["patient_information"].status == "met"

    completed = clock.set(local(2026, 12, 7, 15, 0))
    fire(session, case, world.mas, "complete_investigation", {})
    d = deadlines(session, case)
    assert d["decision"].responsible_role == "mas"
    # Informed before the completion that found the care injury: nothing more to open.
    assert [x.key for x in case_deadlines(session, case)].count("patient_information") == 1
    assert (d["reporter_feedback"].start_at, d["reporter_feedback"].due_at) == (
        completed,
        local(2026, 12, 21, 15, 0),
    )
    fire(session, case, world.mas, "approve_filing", {"motivation": "Allvarlig vårdskada."})
    # The MAS decided on the MAS's own proposal: nobody needs telling.
    assert notices(session, case, "decision_made") == []
    # Seven days (14 December) come before the cap, two months after the event (20 December).
    assert deadlines(session, case)["ivo_filing"].due_at == local(2026, 12, 14, 15, 0)

    fire(session, case, world.mas, "record_filing", FILING)
    fire(
        session,
        case,
        world.mas,
        "record_ivo_response",
        {"received_on": date.today().isoformat(), "outcome": "closed_duty_fulfilled"},
    )
    record_feedback(session, case, world.mas, FEEDBACK)
    fire(session, case, world.mas, "close", CLOSE)
    assert set(statuses(session, case).values()) == {"met"}
    assert "reporter_feedback" in statuses(session, case)


def test_a_grade_without_a_care_injury_waives_the_patient_information(session, world, clock):
    """PSL 3 kap. 8 § applies to a patient "som har drabbats av en vårdskada" (rev. 2)."""
    case = new_lex_maria(session, world)
    lex_maria_investigated(session, world, case)
    assert deadlines(session, case)["patient_information"].status == "open"
    save_investigation(
        session, case, world.mas, {**LEX_MARIA_INVESTIGATION, "proposed_grade": "no_care_injury"}
    )
    fire(session, case, world.mas, "complete_investigation", {})
    d = deadlines(session, case)["patient_information"]
    assert (d.status, d.status_reason) == ("waived", NO_CARE_INJURY)
    assert NO_CARE_INJURY in waive_reasons()


def test_a_care_injury_found_at_completion_opens_the_patient_information(session, world, clock):
    case = new_lex_maria(session, world)
    lex_maria_investigated(session, world, case)
    save_investigation(
        session,
        case,
        world.mas,
        {**LEX_MARIA_INVESTIGATION, "proposed_grade": "risk_of_serious_care_injury"},
    )
    fire(session, case, world.mas, "complete_investigation", {})
    first = deadlines(session, case)["patient_information"]
    assert first.status == "waived"
    fire(session, case, world.mas, "return_to_investigator", {"comment": "Patienten skadades."})
    save_investigation(session, case, world.mas, LEX_MARIA_INVESTIGATION)  # serious_care_injury
    found = clock.set(local(2026, 12, 9, 10, 0))
    fire(session, case, world.mas, "complete_investigation", {})
    again = deadlines(session, case)["patient_information"]
    assert again.id != first.id
    assert (again.status, again.start_at, again.due_at) == (
        "open",
        found,
        local(2026, 12, 16, 10, 0),
    )
    record_patient_information(session, case, world.mas, PATIENT_INFORMATION)
    assert again.status == "met"


def test_lex_maria_filing_is_capped_by_the_event(session, world, clock):
    case = new_lex_maria(session, world, occurred_on="2026-10-09", discovered_on="2026-10-09")
    lex_maria_investigated(session, world, case)
    fire(session, case, world.mas, "complete_investigation", {})
    fire(session, case, world.mas, "approve_filing", {"motivation": "Allvarlig vårdskada."})
    # Two months after the event (9 October): 9 December at the end of the day.
    assert deadlines(session, case)["ivo_filing"].due_at == local(2026, 12, 9, 23, 59)


def test_one_report_about_both_laws_starts_two_clocks(session, world, clock):
    cases = report_event(session, world.reporter, report_data(world.solgarden, affected="both"))
    assert [c.case_type for c in cases] == ["lex_sarah", "lex_maria"]
    for case in cases:
        assert statuses(session, case) == {
            "immediate_measures": "open",
            "investigation_start": "open",
        }
    assert {deadlines(session, c)["investigation_start"].responsible_role for c in cases} == {
        "sas",
        "mas",
    }


def test_deviation_assessed_locally(session, world, clock):
    case = new_deviation(session, world)
    d = deadlines(session, case)
    assert set(d) == {"deviation_assessment"}
    assert d["deviation_assessment"].due_at == local(2026, 12, 10, 9, 0)  # 3 working days
    assert d["deviation_assessment"].responsible_role == "manager"

    assessed = clock.set(local(2026, 12, 8, 9, 0))
    fire(session, case, world.manager, "assess", assessment(session))
    d = deadlines(session, case)
    assert d["deviation_assessment"].status == "met"
    assert (d["local_investigation"].start_at, d["local_investigation"].due_at) == (
        assessed,
        local(2027, 1, 7, 9, 0),
    )  # 30 days

    save_investigation(session, case, world.manager, investigation_data(grade=""))
    fire(session, case, world.manager, "complete_investigation", {})
    d = deadlines(session, case)
    assert d["local_investigation"].status == "met"
    # A deviation's reporter gets feedback too, from the completed investigation (§4 rev. 2).
    assert (d["reporter_feedback"].status, d["reporter_feedback"].responsible_role) == (
        "open",
        "manager",
    )
    record_feedback(session, case, world.manager, FEEDBACK)
    fire(session, case, world.manager, "close", CLOSE)
    assert statuses(session, case) == {
        "deviation_assessment": "met",
        "local_investigation": "met",
        "reporter_feedback": "met",
    }


def test_deviation_escalated_then_converted_or_returned(session, world, clock):
    converted = new_deviation(session, world)
    fire(session, converted, world.manager, "assess", assessment(session, severity=4, likelihood=3))
    assert converted.state == "escalated"
    assert statuses(session, converted) == {"deviation_assessment": "met"}
    fire(session, converted, world.sas, "convert_to_lex_sarah", {"comment": "Missförhållande."})
    new = converted.successor_case
    assert statuses(session, new) == {"immediate_measures": "open", "investigation_start": "open"}

    returned = new_deviation(session, world)
    fire(session, returned, world.manager, "assess", assessment(session, severity=4, likelihood=3))
    fire(session, returned, world.sas, "return_to_manager", {"comment": "Utreds lokalt."})
    assert statuses(session, returned) == {
        "deviation_assessment": "met",
        "local_investigation": "open",
    }
