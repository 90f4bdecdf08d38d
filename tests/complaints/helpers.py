"""Complaints for the tests: made through the one operation, walked through the machine."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.complaints.operations import create_complaint
from app.models import Case, User
from tests.factories import World
from workflows.engine import fire


def new_complaint(
    session: Session,
    world: World,
    *,
    kind: str = "complaint",
    units: list[Any] | None = None,
    actor: User | None | str = "manager",
    **kwargs: Any,
) -> Case:
    by = world.manager if actor == "manager" else actor
    assert by is None or isinstance(by, User)
    values: dict[str, Any] = {
        "sender_role": "relative",
        "channel": "letter",
        "text": "Min mamma fick inte sin dusch på två veckor.",
        "sender_name": "Eva Andersson",
        "sender_contact": "eva@example.se",
    }
    values.update(kwargs)
    return create_complaint(
        session,
        actor=by,
        kind=kind,
        unit_ids=[u.id for u in (units or [world.solgarden])],
        **values,
    )


def answer_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "findings": "Duschen hade fallit bort ur planeringen.",
        "answered_on": date.today().isoformat(),
        "answer_channel": "letter",
        "answer_text": "Vi har gått igenom planeringen och lagt in duschen varje vecka.",
    }
    data.update(overrides)
    return data


# How to take each step, by the unit's manager (the default handler): trigger -> data.
STEP_DATA: dict[str, dict[str, Any]] = {
    "acknowledge": {},
    "assign": {},
    "answer": answer_data(),
    "close": {},
    "reopen": {"comment": "Anhöriga hörde av sig igen."},
    "escalate_to_lex_sarah": {"comment": "Misstänkt missförhållande."},
    "escalate_to_lex_maria": {"comment": "Misstänkt vårdskada."},
    "escalate_to_deviation": {"comment": "En avvikelse i insatsen."},
}

PATH = {
    "received": (),
    "acknowledged": ("acknowledge",),
    "under_investigation": ("acknowledge", "assign"),
    "answered": ("acknowledge", "assign", "answer"),
    "closed": ("acknowledge", "assign", "answer", "close"),
}


def walk(session: Session, world: World, case: Case, state: str) -> Case:
    if state == "escalated":
        fire(session, case, world.sas, "escalate_to_lex_sarah", STEP_DATA["escalate_to_lex_sarah"])
        return case
    for trigger in PATH[state]:
        fire(session, case, world.manager, trigger, STEP_DATA[trigger])
    return case


def complaint_in(session: Session, world: World, state: str, **kwargs: Any) -> Case:
    return walk(session, world, new_complaint(session, world, **kwargs), state)
