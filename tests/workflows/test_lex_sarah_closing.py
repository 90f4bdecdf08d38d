"""Closing, reopening and reclassifying a lex Sarah case."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.models import Case, CaseEvent
from tests.factories import CLOSE, FEEDBACK, action_for, case_in
from workflows.engine import fire
from workflows.errors import InvalidData, WrongState
from workflows.feedback import record_feedback
from workflows.records import update_action

from .support import refused

OPEN_STATES = (
    "submitted",
    "awaiting_investigation",
    "under_investigation",
    "awaiting_decision",
    "awaiting_filing",
    "filed",
    "follow_up",
)
REOPEN = {"comment": "Ny information om händelsen."}


def test_close_waits_for_every_action(session, world):
    case = case_in(session, world, "follow_up")
    record_feedback(session, case, world.sas, FEEDBACK)
    done, handed = action_for(session, world, case), action_for(session, world, case)
    error = refused(
        session, case, InvalidData, lambda: fire(session, case, world.sas, "close", CLOSE)
    )
    assert set(error.field_errors) == {"actions"}

    # The owner completes one, with the evaluation of its effect.
    update_action(
        session,
        done,
        world.manager,
        {
            "status": "completed",
            "completed_on": date.today().isoformat(),
            "effect_achieved": "yes",
            "effect_evaluation": "Rutinen följs.",
        },
    )
    refused(session, case, InvalidData, lambda: fire(session, case, world.sas, "close", CLOSE))

    update_action(
        session,
        handed,
        world.sas,
        {"status": "handed_over", "handed_over_note": "Enhetens kvalitetsplan 2026."},
    )
    fire(session, case, world.sas, "close", CLOSE)
    assert case.state == "closed"


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"status": "completed", "effect_achieved": "yes"}, {"completed_on"}),
        ({"status": "completed", "completed_on": date.today().isoformat()}, {"effect_achieved"}),
        ({"status": "handed_over"}, {"handed_over_note"}),
    ],
)
def test_an_action_is_settled_with_its_evaluation_or_its_plan(session, world, data, errors):
    case = case_in(session, world, "follow_up")
    action = action_for(session, world, case)
    error = refused(
        session, case, InvalidData, lambda: update_action(session, action, world.sas, data)
    )
    assert set(error.field_errors) == errors
    assert action.status == "planned"


def test_close_records_whether_the_person_was_informed(session, world):
    case = case_in(session, world, "follow_up")
    record_feedback(session, case, world.sas, FEEDBACK)
    error = refused(session, case, InvalidData, lambda: fire(session, case, world.sas, "close", {}))
    assert set(error.field_errors) == {"person_informed"}
    fire(session, case, world.sas, "close", CLOSE)
    closure = case.latest_closure
    assert closure.person_informed == "yes"
    assert case.closed_at is not None
    assert closure.closed_at == case.closed_at


def test_reopen_needs_a_comment_and_clears_the_closing_time(session, world):
    case = case_in(session, world, "closed")
    error = refused(
        session, case, InvalidData, lambda: fire(session, case, world.sas, "reopen", {})
    )
    assert set(error.field_errors) == {"comment"}

    event = fire(session, case, world.sas, "reopen", REOPEN)
    assert (case.state, case.closed_at) == ("follow_up", None)
    assert event.comment == REOPEN["comment"]

    fire(session, case, world.sas, "close", CLOSE)
    assert case.state == "closed"
    assert len(case.closures) == 2


@pytest.mark.parametrize(("target", "prefix"), [("deviation", "AV-"), ("lex_maria", "LM-")])
@pytest.mark.parametrize("state", OPEN_STATES)
def test_reclassify_creates_the_linked_case(session, world, state, target, prefix):
    old = case_in(session, world, state)
    event = fire(
        session, old, world.sas, "reclassify", {"target_type": target, "comment": "Fel ärendetyp."}
    )
    session.expire_all()

    new = old.successor_case
    assert old.state == "reclassified"
    assert event.comment == "Fel ärendetyp."
    assert event.data["successor_reference"] == new.reference
    assert (new.case_type, new.state, new.origin_case_id) == (target, "submitted", old.id)
    assert new.reference.startswith(f"{prefix}{date.today().year}-")
    assert (new.unit_id, new.reporter_id, new.description) == (
        old.unit_id,
        old.reporter_id,
        old.description,
    )
    assert (
        [(p.name, p.personnummer) for p in new.persons]
        == [(p.name, p.personnummer) for p in old.persons]
        == [("Anna Andersson", "19121212-1212")]
    )
    assert {p.id for p in new.persons}.isdisjoint({p.id for p in old.persons})

    created = session.scalars(select(CaseEvent).where(CaseEvent.case_id == new.id)).all()
    assert [(e.trigger, e.from_state, e.to_state) for e in created] == [
        ("created_from", None, "submitted")
    ]
    assert created[0].data == {"origin_case_id": old.id, "origin_reference": old.reference}
    assert created[0].actor_id == world.sas.id


@pytest.mark.parametrize("state", ["closed", "reclassified"])
def test_reclassify_is_refused_from_a_final_state(session, world, state):
    case = case_in(session, world, state)
    data = {"target_type": "deviation", "comment": "Fel ärendetyp."}
    refused(session, case, WrongState, lambda: fire(session, case, world.sas, "reclassify", data))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"target_type": "deviation"}, "comment"),
        ({"comment": "x"}, "target_type"),
        ({"target_type": "lex_sarah", "comment": "x"}, "target_type"),
    ],
)
def test_reclassify_needs_a_new_type_and_a_motivation(session, world, data, field):
    case = case_in(session, world, "submitted")
    cases_before = session.scalars(select(Case.id)).all()
    error = refused(
        session, case, InvalidData, lambda: fire(session, case, world.sas, "reclassify", data)
    )
    assert set(error.field_errors) == {field}
    assert session.scalars(select(Case.id)).all() == cases_before
