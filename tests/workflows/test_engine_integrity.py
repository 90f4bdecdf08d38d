"""fire() changes a case completely or not at all: stale versions, failing effects, unknown
triggers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import text

from tests.factories import CLOSE, FEEDBACK, case_in
from workflows.engine import fire
from workflows.errors import StaleVersion, UnknownTrigger
from workflows.feedback import record_feedback
from workflows.registry import flow_for

from .support import refused, snapshot


class Boom(RuntimeError):
    """The failure injected into a step's effect."""


@pytest.fixture
def failing_effect(session) -> Iterator[Any]:
    """Makes a step's effect do its work, flush it, and then fail."""
    patched: list[tuple[Any, Any]] = []

    def patch(trigger: str, *, flush: bool = True) -> Any:
        step = flow_for("lex_sarah").step(trigger)
        original = step.effect
        patched.append((step, original))

        def effect(ctx: Any) -> None:
            original(ctx)
            if flush:
                session.flush()
            raise Boom

        # Steps are frozen on purpose; only a test swaps one, and puts it back.
        object.__setattr__(step, "effect", effect)
        return lambda: object.__setattr__(step, "effect", original)

    yield patch
    for step, original in patched:
        object.__setattr__(step, "effect", original)


def test_stale_expected_version_is_refused(session, world):
    case = case_in(session, world, "awaiting_investigation")
    version = case.version
    error = refused(
        session,
        case,
        StaleVersion,
        lambda: fire(
            session, case, world.sas, "start_investigation", {}, expected_version=version - 1
        ),
    )
    assert error.status == 409
    fire(session, case, world.sas, "start_investigation", {}, expected_version=version)
    assert case.version > version


def test_a_concurrent_change_is_caught_on_write(session, world):
    case = case_in(session, world, "awaiting_investigation")
    before = snapshot(session, case.id)
    assert case.version == before["version"]  # loaded into the session
    # Someone else's transaction changes the row after this session read it.
    session.execute(text("UPDATE cases SET version = version + 1 WHERE id = :id"), {"id": case.id})
    with pytest.raises(StaleVersion):
        fire(session, case, world.sas, "start_investigation", {})
    after = snapshot(session, case.id)
    assert after == {**before, "version": before["version"] + 1}


@pytest.mark.parametrize(
    ("state", "trigger", "actor", "data", "flush"),
    [
        # Closing sets closed_at before the state moves: a flush in between breaks the CHECK
        # constraint, so here the effect fails with its rows still pending.
        ("follow_up", "close", "sas", CLOSE, False),
        ("awaiting_decision", "approve_filing", "chair", {"motivation": "Allvarligt."}, True),
        (
            "under_investigation",
            "reclassify",
            "sas",
            {"target_type": "deviation", "comment": "Fel."},
            True,
        ),
        ("awaiting_decision", "return_to_investigator", "chair", {"comment": "Komplettera."}, True),
        (
            "filed",
            "record_ivo_response",
            "sas",
            {"received_on": date.today().isoformat(), "outcome": "supplement_requested"},
            True,
        ),
    ],
)
def test_a_failing_effect_leaves_nothing_half_written(
    session, world, failing_effect, state, trigger, actor, data, flush
):
    case = case_in(session, world, state)
    if trigger == "close":
        record_feedback(session, case, world.sas, FEEDBACK)
    repair = failing_effect(trigger, flush=flush)
    refused(session, case, Boom, lambda: fire(session, case, getattr(world, actor), trigger, data))

    # The session is still usable, and the same step works once the fault is gone.
    repair()
    event = fire(session, case, getattr(world, actor), trigger, data)
    assert (event.trigger, event.from_state) == (trigger, state)


def test_an_unknown_trigger_is_refused(session, world):
    case = case_in(session, world, "submitted")
    error = refused(
        session, case, UnknownTrigger, lambda: fire(session, case, world.sas, "approve", {})
    )
    assert error.status == 422
