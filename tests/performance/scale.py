"""A database of any size, fast: a dozen cases walked through the real operations, then cloned
by the bulk path of `flask demo generate --cases` (app/cli/demo_scale.py) until there are as
many as asked for: into the walked cases' own units, and into a second organisation of
generated units with managers of their own, so that a page of clones names more units than the
walked cases do. The history and access-log chains still verify.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.cli.demo_scale import Workplace, add_units, clone
from app.models import Case
from app.models.base import frozen_now
from tests.factories import (
    FILING,
    IVO_RESPONSE,
    World,
    action_for,
    case_of,
    investigation_data,
    make_world,
    report_data,
)
from workflows.engine import fire
from workflows.intake import report_event
from workflows.records import save_investigation, update_action

LONG_AGO = (date.today() - timedelta(days=15)).isoformat()


@dataclass
class Walked:
    """The walked cases the tests open by name."""

    world: World
    sarah_far: Case  # lex Sarah in follow-up: investigation, actions, a returned decision …
    sarah_open: Case  # lex Sarah under investigation with one action
    maria: Case
    deviation: Case
    from_deviation: Case  # a lex Sarah case converted from a deviation: an origin history
    all: list[Case] = field(default_factory=list)


def walk_cases(session: Any) -> Walked:
    """Every type in the states the inboxes and lists hold, by the people who would act."""
    world = make_world(session)
    made: list[Case] = []

    def of(case_type: str, state: str, **kwargs: Any) -> Case:
        case = case_of(session, world, case_type, state, **kwargs)
        made.append(case)
        return case

    # Reported two weeks ago: their first deadlines are past, so overdue filters find them.
    with frozen_now(datetime.now(UTC) - timedelta(days=14)):
        past = {"occurred_on": LONG_AGO, "discovered_on": LONG_AGO}
        of("lex_sarah", "submitted", **past)
        of("deviation", "submitted", **past)
    of("lex_sarah", "awaiting_investigation")
    sarah_open = of(
        "lex_sarah", "under_investigation", unit=world.linden, manager=world.other_manager
    )
    # Linden's manager owns it, then hands it to Solgården's manager (a handover, as when the
    # work moves): the lists find a case through an action its owner cannot otherwise see.
    action = action_for(session, world, sarah_open, owner=world.other_manager)
    action.owner_id = world.manager.id
    of("lex_sarah", "awaiting_decision")
    sarah_far = sarah_far_along(session, world)
    made.append(sarah_far)
    of("lex_sarah", "closed", reporter=world.manager)
    maria = of("lex_maria", "under_investigation")
    of("lex_maria", "awaiting_decision")
    deviation = of("deviation", "follow_up")
    of("deviation", "submitted", unit=world.linden, manager=world.other_manager)
    of("deviation", "escalated", legal_area="SoL")
    converted = of("deviation", "converted", legal_area="SoL")
    from_deviation = converted.successor_case
    assert from_deviation is not None
    made.append(from_deviation)
    # One report about both laws: two cases that point to each other.
    made += report_event(
        session,
        world.reporter,
        {**report_data(world.solgarden), "affected": "patient", "report_kind": "both"},
    )
    session.flush()
    return Walked(world, sarah_far, sarah_open, maria, deviation, from_deviation, made)


def sarah_far_along(session: Any, world: World) -> Case:
    """Investigated, returned by the chair once, decided, filed, answered by IVO; two actions,
    one done."""
    case = case_of(session, world, "lex_sarah", "awaiting_decision")
    fire(session, case, world.chair, "return_to_investigator", {"comment": "Komplettera."})
    save_investigation(session, case, world.sas, investigation_data(happened_before="Ja, 2024."))
    fire(session, case, world.sas, "complete_investigation", {})
    fire(session, case, world.chair, "approve_filing", {"motivation": "Allvarligt."})
    fire(session, case, world.sas, "record_filing", FILING)
    first = action_for(session, world, case)
    action_for(session, world, case)
    done = {"status": "completed", "completed_on": FILING["filed_on"], "effect_achieved": "yes"}
    update_action(session, first, world.manager, done)
    fire(session, case, world.sas, "record_ivo_response", IVO_RESPONSE)
    assert case.state == "follow_up"
    return case


def more_history(session: Any, world: World, case: Case, actions: int) -> None:
    """Grows one case's actions and history (each action is a history row and a deadline)."""
    for _ in range(actions):
        action_for(session, world, case)
    session.flush()


# --- Cloning -------------------------------------------------------------------------------


def clone_until(session: Session, world: World, total: int) -> int:
    """Clones the cases in the database until it holds ``total``; half of the clones open (the
    inboxes' candidates), half closed and older. Returns how many were added."""
    have = session.scalar(select(func.count()).select_from(Case)) or 0
    rng = random.Random(8)  # noqa: S311  (test data, the same every run)
    own = [
        Workplace(world.solgarden.id, world.manager.id, [world.reporter.id] * 2),
        Workplace(world.linden.id, world.other_manager.id, [world.other_reporter.id] * 2),
    ]
    places = own + add_units(session, len(own), rng)
    return sum(clone(session, places, total - have, datetime.now(UTC), rng, open_share=0.5))
