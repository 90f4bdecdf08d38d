"""Every complaint state × every trigger × every kind of user, against DOMAIN.md §3.4.

A complaint about Solgården (SoL and HSL): its manager and the manager above it handle it (the
default setting), the SAS and the MAS oversee it and may take every step; only the SAS takes it
on as lex Sarah, only the MAS as lex Maria, either as a deviation. Praise and questions may be
answered at once; a complaint is acknowledged, assigned and investigated first.
"""

from __future__ import annotations

import pytest

from workflows.engine import available_triggers, fire
from workflows.errors import InvalidData, NotAllowed, WrongState

from ..workflows.support import snapshot
from .helpers import STEP_DATA, complaint_in

STATES = ("received", "acknowledged", "under_investigation", "answered", "closed", "escalated")
HANDLERS = {"manager", "area_manager", "sas", "mas"}
SPEC: dict[str, tuple[set[str], dict[str, str]]] = {
    "acknowledge": (HANDLERS, {"received": "acknowledged"}),
    "assign": (HANDLERS, {"acknowledged": "under_investigation"}),
    "answer": (HANDLERS, {"under_investigation": "answered", "escalated": "answered"}),
    "close": (HANDLERS, {"answered": "closed"}),
    "reopen": (HANDLERS, {"closed": "under_investigation"}),
    "escalate_to_lex_sarah": (
        {"sas"},
        {s: "escalated" for s in ("received", "acknowledged", "under_investigation", "answered")},
    ),
    "escalate_to_lex_maria": (
        {"mas"},
        {s: "escalated" for s in ("received", "acknowledged", "under_investigation", "answered")},
    ),
    "escalate_to_deviation": (
        {"sas", "mas"},
        {s: "escalated" for s in ("received", "acknowledged", "under_investigation", "answered")},
    ),
}
ACTORS = (
    "reporter",
    "manager",
    "other_manager",
    "area_manager",
    "sas",
    "mas",
    "chair",
    "admin",
    "log_reviewer",
)
# Refused by the case's own condition rather than its state: a complaint (not praise) before
# its investigation, an escalated complaint escalated again, closing an unanswered complaint.
REFUSED_BY_CASE = {
    ("answer", "received"),
    ("answer", "acknowledged"),
    ("close", "received"),
    ("close", "acknowledged"),
    ("close", "under_investigation"),
    ("close", "escalated"),
}


def expected(state: str, trigger: str, actor: str) -> str:
    holders, moves = SPEC[trigger]
    if actor not in holders:
        return "forbidden"
    if (trigger, state) in REFUSED_BY_CASE:
        return "refused"
    if state not in moves:
        return "wrong_state"
    return f"ok:{moves[state]}"


@pytest.mark.parametrize("state", STATES)
def test_every_trigger_by_every_user(session, world, state):
    case = complaint_in(session, world, state)
    for trigger in SPEC:
        for actor in ACTORS:
            user = getattr(world, actor)
            want = expected(state, trigger, actor)
            offered = trigger in available_triggers(session, user, case)
            assert offered == want.startswith("ok"), (state, trigger, actor)
            before = snapshot(session, case.id)
            sp = session.begin_nested()
            try:
                fire(session, case, user, trigger, STEP_DATA[trigger])
                got = f"ok:{case.state}"
            except NotAllowed:
                got = "forbidden"
            except WrongState:
                got = "wrong_state"
            except InvalidData:
                got = "refused"
            if got.startswith("ok"):
                sp.rollback()
            else:
                sp.commit()
                assert snapshot(session, case.id) == before, (state, trigger, actor)
            assert got == want, (state, trigger, actor)
            session.expire_all()
