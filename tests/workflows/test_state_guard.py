"""State is never assigned outside workflows/ (STYLE.md §7): at runtime, not only by convention."""

from __future__ import annotations

import pytest

from app.models.cases import StateOutsideWorkflow
from tests.factories import case_in
from workflows.engine import fire


def test_assigning_a_state_outside_the_machine_raises(world, session):  # type: ignore[no-untyped-def]
    case = case_in(session, world, "submitted")
    with pytest.raises(StateOutsideWorkflow):
        case.state = "closed"
    assert case.state == "submitted"


def test_the_machine_moves_it(world, session):  # type: ignore[no-untyped-def]
    case = case_in(session, world, "awaiting_investigation")
    fire(session, case, world.sas, "start_investigation", {})
    assert case.state == "under_investigation"
    with pytest.raises(StateOutsideWorkflow):
        case.state = "awaiting_investigation"
