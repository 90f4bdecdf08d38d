"""The deciding role's one form, taken as the decision step it names: the choices are the
decision-section steps the user may take now (the steps' declaration says which), and the chosen
step is fired through the engine like any other, its own form checking what it needs."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from app.models import Case, User
from forms.decide import DecideForm
from workflows.definition import Flow
from workflows.engine import fire
from workflows.errors import InvalidData, WorkflowError
from workflows.registry import flow_for

from .queries import actionable_triggers

# The one text box is the motivation; a step whose form calls it "comment" gets it under that
# name (returning to the investigator writes what is to be completed as the event's comment).
TEXT_NAMES = ("motivation", "comment")


def decision_triggers(flow: Flow, triggers: list[str]) -> tuple[str, ...]:
    """Of the triggers offered now, those that write the decision section."""
    return tuple(t for t in triggers if (s := flow.step(t)) is not None and s.section == "decision")


def as_decision(trigger: str, data: MultiDict[str, Any]) -> MultiDict[str, Any]:
    """A decision step's own fields in the shape of the one decision form."""
    text = next((data.get(name) for name in TEXT_NAMES if data.get(name)), "")
    return MultiDict(
        {"choice": trigger, "motivation": text, "decider_grade": data.get("decider_grade", "")}
    )


def declared_decisions(flow: Flow) -> tuple[str, ...]:
    """Every decision step of the flow: the choices a refused form is shown again with once
    someone else's decision has closed them, so that what was typed is not lost."""
    return tuple(s.trigger for s in flow.steps if s.section == "decision")


def _fields(flow: Flow, trigger: str) -> set[str]:
    """The fields the step's own form declares."""
    step = flow.step(trigger)
    form = step.form if step is not None else None
    return {name for name in dir(form) if hasattr(getattr(form, name), "field_class")}


def grade_for(flow: Flow, choices: tuple[str, ...]) -> tuple[str, ...]:
    """The choices whose step takes the decider's own grade (declining, in forms/decision.py)."""
    return tuple(t for t in choices if "decider_grade" in _fields(flow, t))


def decide_form(
    flow: Flow, case: Case, choices: tuple[str, ...], formdata: Any = None, **kwargs: Any
) -> DecideForm:
    return DecideForm(
        formdata=formdata, case=case, choices=choices, grade_for=grade_for(flow, choices), **kwargs
    )


def decide(
    session: Session,
    case: Case,
    actor: User,
    data: MultiDict[str, Any],
    *,
    expected_version: int | None,
) -> str:
    """Fires the chosen decision step; returns its trigger. Refusals carry the field errors
    under this form's names."""
    flow = flow_for(case.case_type)
    # Nothing offered now (not this user's decision, or no longer one to take): the chosen
    # step is put to the engine all the same, which says why it is refused (403, 409).
    offered = decision_triggers(flow, actionable_triggers(session, actor, case))
    form = decide_form(flow, case, offered or declared_decisions(flow), data, meta={"csrf": False})
    form.validate()
    if form.choice.errors:
        raise InvalidData(_("Uppgifterna är inte kompletta eller felaktiga."), dict(form.errors))
    trigger: str = form.choice.data
    declared = _fields(flow, trigger)
    text_name = next((n for n in TEXT_NAMES if n in declared), "motivation")
    step_data: MultiDict[str, Any] = MultiDict({text_name: data.get("motivation", "")})
    if "decider_grade" in declared:
        step_data["decider_grade"] = data.get("decider_grade", "")
    try:
        fire(session, case, actor, trigger, step_data, expected_version=expected_version)
    except WorkflowError as error:
        errors = {
            ("motivation" if name == text_name else name): messages
            for name, messages in error.field_errors.items()
        }
        raise type(error)(error.message, errors) from error
    return trigger
