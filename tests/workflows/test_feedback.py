"""Feedback to the reporter (återkoppling) is its own recorded step (DOMAIN.md §3.1 rev. 2):
possible from the investigation's completion on, repeatable, shown to the reporter; closing checks
that it exists instead of recording it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.factories import CLOSE, FEEDBACK, case_in, case_of
from workflows.engine import available_records, fire
from workflows.errors import InvalidData, NotAllowed, WrongState
from workflows.feedback import record_feedback
from workflows.permissions import visible_sections

from .support import refused

AFTER_COMPLETION = ("awaiting_decision", "awaiting_filing", "filed", "follow_up")


@pytest.mark.parametrize("state", AFTER_COMPLETION)
def test_feedback_is_recorded_from_the_investigation_s_completion_on(session, world, state):
    case = case_in(session, world, state)
    version = case.version
    feedback = record_feedback(session, case, world.sas, FEEDBACK)
    assert (feedback.given_on, feedback.channel, feedback.text, feedback.recorded_by_id) == (
        date.today(),
        "workplace_meeting",
        FEEDBACK["feedback_text"],
        world.sas.id,
    )
    assert case.state == state
    assert case.version > version
    event = case.events[-1]
    assert (event.trigger, event.from_state, event.to_state, event.actor_role) == (
        "record_feedback",
        state,
        state,
        "sas",
    )
    # The history keeps when and how; the text is for the reporter, in its own section.
    assert event.data == {"feedback_on": date.today().isoformat(), "channel": "workplace_meeting"}
    assert "record_feedback" in available_records(session, world.sas, case)


@pytest.mark.parametrize("state", ["submitted", "awaiting_investigation", "under_investigation"])
def test_no_feedback_before_the_investigation_is_completed(session, world, state):
    case = case_in(session, world, state)
    refused(session, case, WrongState, lambda: record_feedback(session, case, world.sas, FEEDBACK))
    assert "record_feedback" not in available_records(session, world.sas, case)


def test_a_closed_case_takes_no_more_feedback(session, world):
    case = case_in(session, world, "closed")
    refused(session, case, WrongState, lambda: record_feedback(session, case, world.sas, FEEDBACK))


def test_feedback_is_repeatable(session, world):
    case = case_in(session, world, "follow_up")
    record_feedback(session, case, world.sas, {**FEEDBACK, "feedback_channel": "direct"})
    record_feedback(session, case, world.sas, FEEDBACK)
    assert [f.channel for f in case.feedback] == ["direct", "workplace_meeting"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"feedback_on": ""}, "feedback_on"),
        ({"feedback_on": (date.today() + timedelta(days=1)).isoformat()}, "feedback_on"),
        ({"feedback_channel": ""}, "feedback_channel"),
        ({"feedback_channel": "carrier_pigeon"}, "feedback_channel"),
        ({"feedback_text": "  "}, "feedback_text"),
    ],
    ids=["no-date", "future-date", "no-channel", "unknown-channel", "no-text"],
)
def test_the_feedback_needs_its_content(session, world, change, field):
    case = case_in(session, world, "follow_up")
    error = refused(
        session,
        case,
        InvalidData,
        lambda: record_feedback(session, case, world.sas, {**FEEDBACK, **change}),
    )
    assert set(error.field_errors) == {field}
    assert case.feedback == []


@pytest.mark.parametrize("who", ["reporter", "manager", "chair", "mas", "admin"])
def test_only_the_case_s_handler_records_lex_sarah_feedback(session, world, who):
    case = case_in(session, world, "follow_up")
    refused(
        session,
        case,
        NotAllowed,
        lambda: record_feedback(session, case, getattr(world, who), FEEDBACK),
    )


def test_the_deviation_s_manager_gives_its_feedback(session, world):
    case = case_of(session, world, "deviation", "follow_up")
    refused(session, case, NotAllowed, lambda: record_feedback(session, case, world.sas, FEEDBACK))
    feedback = record_feedback(session, case, world.manager, FEEDBACK)
    assert case.events[-1].actor_role == "manager"
    assert feedback in case.feedback


@pytest.mark.parametrize("case_type", ["lex_sarah", "lex_maria", "deviation"])
def test_closing_needs_feedback_and_records_none_itself(session, world, case_type):
    case = case_of(session, world, case_type, "follow_up")
    handler = {"lex_sarah": world.sas, "lex_maria": world.mas, "deviation": world.manager}[
        case_type
    ]
    error = refused(
        session, case, InvalidData, lambda: fire(session, case, handler, "close", CLOSE)
    )
    assert "feedback" in error.field_errors
    assert "Återkopplingen" in error.field_errors["feedback"][0]
    record_feedback(session, case, handler, FEEDBACK)
    if case_type == "lex_maria":
        from tests.factories import PATIENT_INFORMATION
        from workflows.lex_maria_records import record_patient_information

        record_patient_information(session, case, handler, PATIENT_INFORMATION)
    fire(session, case, handler, "close", CLOSE)
    assert case.state == "closed"
    assert len(case.feedback) == 1


def test_the_reporter_sees_the_feedback_section(session, world):
    case = case_in(session, world, "follow_up")
    record_feedback(session, case, world.sas, FEEDBACK)
    sections = visible_sections(session, world.reporter, case)
    assert "feedback" in sections
    assert "investigation" not in sections
