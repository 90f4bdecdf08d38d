"""The steps are the one list of what can be done to a case: each declares its section, and
the deadlines it meets and opens name rules that exist for its case type (DOMAIN.md §4)."""

from __future__ import annotations

from sqlalchemy import select

from app.models import DeadlineRule
from workflows.permissions import ALL_SECTIONS
from workflows.policy import current_policy
from workflows.registry import flow_for, registered_types

# Opened by the deadline code itself, not by a step's route: each action's own due date.
OPENED_ELSEWHERE = {"action_created"}


def _rules(session, case_type):  # type: ignore[no-untyped-def]
    """The rules in force: an earlier version's start events (v1's "case_closed", its
    "early_filing" counted from the report) live on only in the deadlines created under them."""
    return session.execute(
        select(DeadlineRule.key, DeadlineRule.start_event).where(
            DeadlineRule.case_type == case_type,
            DeadlineRule.policy_id == current_policy(session).id,
        )
    ).all()


def test_every_step_declares_a_known_section_and_known_deadlines(session) -> None:  # type: ignore[no-untyped-def]
    for case_type in registered_types():
        flow = flow_for(case_type)
        rules = _rules(session, case_type)
        keys = {key for key, _ in rules}
        starts = {start for _, start in rules}
        for step in (*flow.steps, *flow.records):
            assert step.section in ALL_SECTIONS, (case_type, step.trigger)
            assert set(step.meets) <= keys, (case_type, step.trigger, step.meets)
            for route in step.routes:
                assert set(route.opens) <= starts, (case_type, step.trigger, route.opens)


def test_every_start_event_is_opened_by_a_declared_route(session) -> None:  # type: ignore[no-untyped-def]
    for case_type in registered_types():
        flow = flow_for(case_type)
        opened = {e for s in (*flow.steps, *flow.records) for r in s.routes for e in r.opens}
        starts = {start for _, start in _rules(session, case_type)}
        assert starts - OPENED_ELSEWHERE <= opened, case_type


def test_recording_steps_keep_the_state(session) -> None:  # type: ignore[no-untyped-def]
    for case_type in registered_types():
        flow = flow_for(case_type)
        for step in flow.records:
            assert all(route.dest is None for route in step.routes), step.trigger
            assert flow.step(step.trigger) is None, step.trigger
