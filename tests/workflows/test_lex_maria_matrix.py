"""Every lex Maria state × every trigger × every kind of user, against DOMAIN.md §3.2.

Written from the specification, not read from workflows/: the unit's manager (or the manager of
a parent unit) records the immediate measures; the MAS investigates, proposes, files, closes and
reclassifies, and — the deciding role's default for lex Maria — decides. The chair and the SAS
have nothing to do with a lex Maria case. A user who may not act is refused with 403, a user who
may act but not now with 409, and a refusal changes nothing.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import (
    CLOSE,
    FEEDBACK,
    FILING,
    IVO_RESPONSE,
    MEASURES,
    PATIENT_INFORMATION,
    case_of,
    lex_maria_investigation,
    linked_rows,
    new_case_of,
)
from workflows.engine import available_triggers, fire
from workflows.errors import NotAllowed, WorkflowError, WrongState
from workflows.feedback import record_feedback
from workflows.lex_maria_records import record_patient_information
from workflows.records import save_investigation

from .support import snapshot

STATES = (
    "submitted",
    "awaiting_assessment",
    "under_investigation",
    "awaiting_decision",
    "awaiting_filing",
    "filed",
    "follow_up",
    "closed",
    "reclassified",
)
OPEN_STATES = STATES[:7]

# trigger -> (who may fire it, {source state: destination})
SPEC: dict[str, tuple[str, dict[str, str]]] = {
    # If the MAS started first, the manager still records the measures and the state stays.
    "record_immediate_measures": (
        "unit_manager",
        {"submitted": "awaiting_assessment", "under_investigation": "under_investigation"},
    ),
    "start_investigation": (
        "mas",
        {"submitted": "under_investigation", "awaiting_assessment": "under_investigation"},
    ),
    # Completed with a serious proposal here; the grades' routes are in the rules tests.
    "complete_investigation": ("mas", {"under_investigation": "awaiting_decision"}),
    "propose_early_filing": ("mas", {"under_investigation": "awaiting_decision"}),
    "approve_filing": ("decider", {"awaiting_decision": "awaiting_filing"}),
    "decline_filing": ("decider", {"awaiting_decision": "follow_up"}),
    "return_to_investigator": ("decider", {"awaiting_decision": "under_investigation"}),
    "record_filing": ("mas", {"awaiting_filing": "filed"}),
    "record_ivo_response": ("mas", {"filed": "follow_up"}),
    "close": ("mas", {"follow_up": "closed"}),
    "reopen": ("mas", {"closed": "follow_up"}),
    "reclassify": ("mas", dict.fromkeys(OPEN_STATES, "reclassified")),
}

DATA: dict[str, dict[str, Any]] = {
    "record_immediate_measures": MEASURES,
    "start_investigation": {},
    "complete_investigation": {},
    "propose_early_filing": {
        "proposed_grade": "serious_care_injury",
        "grade_motivation": "Vårdskadan är uppenbart allvarlig.",
    },
    "approve_filing": {"motivation": "Allvarlig vårdskada."},
    "decline_filing": {"decider_grade": "care_injury", "motivation": "Inte allvarlig."},
    "return_to_investigator": {"comment": "Komplettera analysen."},
    "record_filing": FILING,
    "record_ivo_response": IVO_RESPONSE,
    "close": CLOSE,
    "reopen": {"comment": "Patienten har hört av sig igen."},
    "reclassify": {"target_type": "deviation", "comment": "Ingen vårdskada eller risk."},
}

ACTORS = (
    "reporter",
    "other_reporter",
    "manager",
    "other_manager",
    "area_manager",
    "sas",
    "mas",
    "chair",
    "admin",
    "log_reviewer",
)
# Reported at Solgården, below Äldreomsorg: both managers answer for it. The MAS decides.
HOLDERS = {"unit_manager": {"manager", "area_manager"}, "mas": {"mas"}, "decider": {"mas"}}


def expected(state: str, trigger: str, actor: str) -> str:
    """'ok:<destination>', 'forbidden' (403) or 'wrong_state' (409)."""
    role, moves = SPEC[trigger]
    if actor not in HOLDERS[role]:
        return "forbidden"
    if state not in moves:
        return "wrong_state"
    return f"ok:{moves[state]}"


def prepare(session, world, state: str, trigger: str):  # type: ignore[no-untyped-def]
    if (state, trigger) == ("under_investigation", "record_immediate_measures"):
        case = new_case_of(session, world, "lex_maria")
        fire(session, case, world.mas, "start_investigation", {})
        return case
    case = case_of(session, world, "lex_maria", state)
    if (state, trigger) == ("under_investigation", "complete_investigation"):
        save_investigation(session, case, world.mas, lex_maria_investigation())
    if (state, trigger) == ("follow_up", "close"):
        record_patient_information(session, case, world.mas, PATIENT_INFORMATION)
        record_feedback(session, case, world.mas, FEEDBACK)
    return case


def attempt(session, world, case, trigger: str, actor: str) -> str:  # type: ignore[no-untyped-def]
    try:
        fire(session, case, getattr(world, actor), trigger, DATA[trigger])
    except NotAllowed:
        return "forbidden"
    except WrongState:
        return "wrong_state"
    except WorkflowError as exc:
        return f"{exc.code}:{exc.field_errors}"
    return f"ok:{case.state}"


def check_success(session, world, state: str, trigger: str, actor: str, want: str) -> str:  # type: ignore[no-untyped-def]
    case = prepare(session, world, state, trigger)
    events_before = len(case.events)
    got = attempt(session, world, case, trigger, actor)
    if got == want:
        session.expire_all()
        assert case.state == want.removeprefix("ok:")
        assert len(case.events) == events_before + 1
        last = case.events[-1]
        assert (last.trigger, last.from_state, last.to_state) == (trigger, state, case.state)
        assert last.actor_id == getattr(world, actor).id
    return got


def unchanged(session, case_id: int) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {**snapshot(session, case_id), **linked_rows(session, case_id)}


@pytest.mark.parametrize("state", STATES)
def test_every_trigger_from_state_by_every_actor(session, world, state):
    refused_case = case_of(session, world, "lex_maria", state)
    baseline = unchanged(session, refused_case.id)
    mismatches = []
    for trigger in SPEC:
        for actor in ACTORS:
            want = expected(state, trigger, actor)
            if want.startswith("ok:"):
                got = check_success(session, world, state, trigger, actor, want)
                baseline = unchanged(session, refused_case.id)
            else:
                got = attempt(session, world, refused_case, trigger, actor)
                assert unchanged(session, refused_case.id) == baseline, (trigger, actor, got)
            if got != want:
                mismatches.append((trigger, actor, want, got))
    assert mismatches == []


@pytest.mark.parametrize("state", STATES)
def test_offered_triggers_are_those_that_pass_role_and_state(session, world, state):
    case = case_of(session, world, "lex_maria", state)
    for actor in ACTORS:
        offered = set(available_triggers(session, getattr(world, actor), case))
        allowed = {t for t in SPEC if expected(state, t, actor).startswith("ok:")}
        if case.immediate_measures is not None:
            allowed.discard("record_immediate_measures")
        assert offered == allowed, actor


def test_machine_edges_match_the_specification():
    from workflows.registry import flow_for

    flow = flow_for("lex_maria")
    assert flow.states == STATES
    assert flow.initial == "submitted"
    assert set(flow.final) == {"closed", "reclassified"}
    assert flow.investigating_role == "mas"
    spec_edges = {
        (src, t, dest) for t, (_role, moves) in SPEC.items() for src, dest in moves.items()
    }
    spec_edges |= {
        ("under_investigation", "complete_investigation", "follow_up"),
        ("awaiting_decision", "decline_filing", "under_investigation"),
        ("filed", "record_ivo_response", "filed"),
    }
    assert set(flow.edges()) == spec_edges
