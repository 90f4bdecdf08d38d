"""A deviation investigated locally is the manager's own (DOMAIN.md §2, §3.3): the manager
writes the investigation, owns its actions, closes and reopens; the SAS and MAS do not."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.factories import CLOSE, FEEDBACK, case_of, deviation_investigation
from workflows.engine import available_triggers, fire
from workflows.errors import InvalidData, NotAllowed, WrongState
from workflows.feedback import record_feedback
from workflows.permissions import ALL_SECTIONS, visible_sections
from workflows.records import add_action, save_investigation, update_action

from .support import refused

REOPEN = {"comment": "Larmet har krånglat igen."}


def action_data(world):
    return {
        "description": "Kontrollera batterierna varje vecka.",
        "owner_id": world.manager.id,
        "due_on": (date.today() + timedelta(days=14)).isoformat(),
    }


def test_the_manager_investigates_and_owns_the_actions(session, world):
    case = case_of(session, world, "deviation", "local_investigation")
    assert visible_sections(session, world.manager, case) == ALL_SECTIONS
    assert visible_sections(session, world.other_manager, case) == frozenset()

    inv = save_investigation(session, case, world.manager, deviation_investigation())
    assert inv.item_authors["what_happened"]["user_id"] == world.manager.id
    action = add_action(session, case, world.manager, action_data(world))
    assert action.created_by_id == world.manager.id

    # Not the SAS's (nor the MAS's) to write, though the SAS, who oversees SoL deviations, reads it.
    assert "investigation" in visible_sections(session, world.sas, case)
    for who in ("sas", "mas", "other_manager", "reporter"):
        user = getattr(world, who)
        refused(
            session,
            case,
            NotAllowed,
            lambda u=user: save_investigation(session, case, u, deviation_investigation()),
        )
        refused(
            session,
            case,
            NotAllowed,
            lambda u=user: add_action(session, case, u, action_data(world)),
        )


def test_an_escalated_deviation_has_no_local_investigation_to_write(session, world):
    case = case_of(session, world, "deviation", "escalated")
    refused(
        session,
        case,
        WrongState,
        lambda: save_investigation(session, case, world.manager, deviation_investigation()),
    )


def test_close_waits_for_every_action(session, world):
    case = case_of(session, world, "deviation", "local_investigation")
    save_investigation(session, case, world.manager, deviation_investigation())
    action = add_action(session, case, world.manager, action_data(world))
    fire(session, case, world.manager, "complete_investigation", {})
    assert case.state == "follow_up"
    # The investigation is finished: no more changes.
    refused(
        session,
        case,
        WrongState,
        lambda: save_investigation(session, case, world.manager, deviation_investigation()),
    )

    error = refused(
        session, case, InvalidData, lambda: fire(session, case, world.manager, "close", CLOSE)
    )
    # Neither the actions nor the feedback to the reporter are settled yet.
    assert set(error.field_errors) == {"actions", "feedback"}
    record_feedback(session, case, world.manager, FEEDBACK)
    error = refused(
        session, case, InvalidData, lambda: fire(session, case, world.manager, "close", CLOSE)
    )
    assert set(error.field_errors) == {"actions"}

    update_action(
        session,
        action,
        world.manager,
        {"status": "completed", "completed_on": date.today().isoformat(), "effect_achieved": "yes"},
    )
    fire(session, case, world.manager, "close", CLOSE)
    assert case.state == "closed"
    assert case.closed_at is not None
    assert [f.text for f in case.feedback] == [FEEDBACK["feedback_text"]]
    assert case.latest_closure.person_informed == "yes"


@pytest.mark.parametrize("missing", ["feedback_on", "feedback_channel", "feedback_text"])
def test_the_feedback_needs_its_date_channel_and_text(session, world, missing):
    case = case_of(session, world, "deviation", "follow_up")
    data = {k: v for k, v in FEEDBACK.items() if k != missing}
    error = refused(
        session, case, InvalidData, lambda: record_feedback(session, case, world.manager, data)
    )
    assert set(error.field_errors) == {missing}


def test_close_needs_whether_the_person_was_informed(session, world):
    case = case_of(session, world, "deviation", "follow_up")
    record_feedback(session, case, world.manager, FEEDBACK)
    error = refused(
        session, case, InvalidData, lambda: fire(session, case, world.manager, "close", {})
    )
    assert set(error.field_errors) == {"person_informed"}


def test_reopen_needs_a_motivation(session, world):
    case = case_of(session, world, "deviation", "closed")
    error = refused(
        session, case, InvalidData, lambda: fire(session, case, world.manager, "reopen", {})
    )
    assert set(error.field_errors) == {"comment"}
    # The parent unit's manager answers for Solgården too.
    fire(session, case, world.area_manager, "reopen", REOPEN)
    assert (case.state, case.closed_at) == ("follow_up", None)
    assert available_triggers(session, world.manager, case) == ["close"]
    fire(session, case, world.manager, "close", CLOSE)
    assert len(case.closures) == 2
