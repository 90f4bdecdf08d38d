"""Steps that record without moving the state are taken like the others (engine.recording):
the declaration says who and when, the caller's version must be current, and a refusal leaves
the case as it was — no row, no history, no version bump."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.models import Action, CaseEvent
from tests.api_client import Api
from tests.factories import action_for, case_in
from workflows.engine import available_records
from workflows.errors import InvalidData, NotAllowed, StaleVersion, WrongState
from workflows.records import add_action, update_action

ACTION = {"description": "Ny rutin för nattpersonal.", "owner_id": None, "due_on": "2030-01-31"}


def _count(session, model, case):
    return session.scalar(select(func.count()).select_from(model).where(model.case_id == case.id))


def test_a_stale_version_adds_nothing(session, world):
    case = case_in(session, world, "under_investigation")
    before = (_count(session, Action, case), _count(session, CaseEvent, case), case.version)
    with pytest.raises(StaleVersion):
        add_action(
            session,
            case,
            world.sas,
            {**ACTION, "owner_id": world.manager.id},
            expected_version=case.version - 1,
        )
    assert (_count(session, Action, case), _count(session, CaseEvent, case), case.version) == before


def test_refused_data_leaves_no_history_and_no_new_version(session, world):
    case = case_in(session, world, "under_investigation")
    version, events = case.version, _count(session, CaseEvent, case)
    with pytest.raises(InvalidData) as caught:
        add_action(session, case, world.sas, {**ACTION, "description": ""})
    assert "description" in caught.value.field_errors
    assert (case.version, _count(session, CaseEvent, case)) == (version, events)


def test_the_owner_updates_their_own_action_only(session, world):
    case = case_in(session, world, "follow_up")
    action = action_for(session, world, case)
    other = Action(
        description="Annan åtgärd.",
        owner_id=world.sas.id,
        due_on=action.due_on,
        created_by_id=world.sas.id,
    )
    case.actions.append(other)
    session.flush()
    done = {"status": "completed", "completed_on": "2026-01-10", "effect_achieved": "yes"}
    assert action.owner_id == world.manager.id
    update_action(session, action, world.manager, done)
    assert action.status == "completed"
    # The manager takes update_action as the owner of one action, which is not the other's.
    with pytest.raises(NotAllowed):
        update_action(session, other, world.manager, done)
    assert other.status != "completed"


def test_a_declared_step_in_the_wrong_state_is_409(session, world):
    case = case_in(session, world, "submitted")
    with pytest.raises(WrongState):
        add_action(session, case, world.sas, {**ACTION, "owner_id": world.sas.id})


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("sas", {"update_investigation", "add_action", "update_action"}),
        ("manager", set()),
        ("reporter", set()),
    ],
)
def test_available_records_follow_the_declaration(session, world, who, expected):
    case = case_in(session, world, "under_investigation")
    offered = set(available_records(session, getattr(world, who), case))
    assert expected <= offered
    # Nobody but a handler of the investigation is offered its text.
    if who != "sas":
        assert "update_investigation" not in offered
        assert "add_investigation_attachment" not in offered


def test_the_api_lists_the_records_beside_the_triggers(client, session, world):
    api = Api(client, session)
    case = case_in(session, world, "under_investigation")
    body = api.get(world.sas, f"cases/{case.id}").get_json()
    assert "complete_investigation" in body["available_triggers"]
    assert {"update_investigation", "add_action"} <= set(body["available_records"])
    reporter = api.get(world.reporter, f"cases/{case.id}").get_json()
    assert "update_investigation" not in reporter["available_records"]
