"""The shape of a case type's machine: states, and steps that say who may take them, what data
they need and which section of the case they write. The ``transitions`` machine is built from
this per transition (see engine).

A step that records without moving the state (the investigation text, actions, attachments,
patient information …) is declared like any other, with ``Route(None)``: pages, the API and the
history's redaction ask the declaration which section an entry belongs to and who may write it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session
    from wtforms import Form

    from app.models import Case, User


@dataclass
class StepContext:
    """Everything a step's checks and effects may look at."""

    session: Session
    case: Case
    actor: User
    role: str
    data: dict[str, Any]
    comment: str
    # Filled by the step's effect; stored on the history row.
    record: dict[str, Any] = field(default_factory=dict)
    # A recording step's row (the action added or updated): what its deadlines follow.
    action: Any = None
    # A recording step that found nothing to change writes no history row.
    changed: bool = True


def N_(text: str) -> str:
    """gettext's "mark, do not translate" (a Babel default keyword): the text is stored in
    Swedish, as written, and the page translates it when shown (the ``stored`` filter)."""
    return text


Check = Callable[[StepContext], Mapping[str, list[str]]]
Effect = Callable[[StepContext], None]
Condition = Callable[[StepContext], bool]
RoleRule = Callable[["Session", "User", "Case"], str | None]


@dataclass(frozen=True)
class Route:
    dest: str | None  # None: the state stays (an internal transition)
    condition: Condition | None = None
    # Only from these of the step's sources (default: all of them), so that edges() draws
    # no move the machine cannot make.
    sources: tuple[str, ...] | None = None
    # The start events (DeadlineRule.start_event) this move opens deadlines for (DOMAIN.md §4):
    # on the route, since completing an investigation opens the decision's deadline only when
    # the proposal goes to the decider.
    opens: tuple[str, ...] = ()
    # Opens them only for a case this accepts, judged after the move: recording a filing starts
    # the two months of an early-filed case's investigation, not of every filing.
    opens_if: Callable[[Case], bool] | None = None

    def taken(self, step: Step, from_state: str | None, to_state: str) -> bool:
        """Whether a move from ``from_state`` to ``to_state`` went this way (None: a new case)."""
        if from_state is not None and from_state not in (self.sources or step.sources):
            return False
        return (self.dest or from_state) == to_state or (self.dest is None and from_state is None)


@dataclass(frozen=True)
class Step:
    trigger: str
    sources: tuple[str, ...]
    routes: tuple[Route, ...]
    # Returns the role the actor fires this step in, or None: deny unless a rule says yes.
    who: RoleRule
    # The section of the case the step writes (workflows.permissions.ALL_SECTIONS): its history
    # row's data and comment are shown only to those who may see that section.
    section: str
    form: Callable[..., Form] | None = None
    # The deadlines (DeadlineRule.key) the step fulfils, whichever way it goes.
    meets: tuple[str, ...] = ()
    # Checks on the case alone (not the submitted data): a step they refuse is not offered.
    guards: tuple[Check, ...] = ()
    # A step that ends the case for good (closing, reclassifying, converting): why the deadlines
    # still open are waived, stored with them (mark it with N_).
    ends: str = ""
    checks: tuple[Check, ...] = ()
    effect: Effect | None = None

    def opens(self, from_state: str | None, to_state: str, case: Case) -> tuple[str, ...]:
        """The start events of the route a move from ``from_state`` to ``to_state`` took."""
        route = next((r for r in self.routes if r.taken(self, from_state, to_state)), None)
        if route is None or (route.opens_if is not None and not route.opens_if(case)):
            return ()
        return route.opens


@dataclass(frozen=True)
class Flow:
    case_type: str
    states: tuple[str, ...]
    initial: str
    final: tuple[str, ...]
    steps: tuple[Step, ...]
    investigating_role: str
    # Steps that record without moving the state (every route is ``Route(None)``); taken by
    # their own operations in workflows.records, never offered as a state-moving action.
    records: tuple[Step, ...] = ()

    def step(self, trigger: str) -> Step | None:
        """A step that moves the state (what fire() takes)."""
        return next((s for s in self.steps if s.trigger == trigger), None)

    def declared(self, trigger: str) -> Step | None:
        """Any step, moving the state or not: what a history row's trigger was."""
        return self.step(trigger) or next((s for s in self.records if s.trigger == trigger), None)

    def section_of(self, trigger: str) -> str:
        # An undeclared trigger falls to the investigation, which the fewest see.
        step = self.declared(trigger)
        return step.section if step is not None else "investigation"

    @property
    def open_states(self) -> tuple[str, ...]:
        return tuple(s for s in self.states if s not in self.final)

    def edges(self) -> list[tuple[str, str, str]]:
        """(source, trigger, destination) for every possible move, for diagrams."""
        out = []
        for step in self.steps:
            for route in step.routes:
                for src in route.sources or step.sources:
                    out.append((src, step.trigger, route.dest or src))
        return out
