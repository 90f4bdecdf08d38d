"""fire(): the one way a case changes state.

Order of checks: may this user see the case and act in a role the step allows (403), is the
trigger possible from the stored state (409), is the caller's version current (409), is the data
valid and are the case's prerequisites met (422). Only then does the ``transitions`` machine,
built from the stored state, move the case; effects, history and the version bump are flushed in
one savepoint so that a failure leaves nothing half-written.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from transitions import Machine
from werkzeug.datastructures import MultiDict

from app.db import is_write_conflict
from app.labels import state_label
from app.models import Case, CaseEvent, User
from app.models.base import utcnow
from app.models.cases import moving_state
from forms.storable import storable_errors

from . import deadlines
from .definition import Flow, Step, StepContext
from .errors import InvalidData, NotAllowed, StaleVersion, UnknownTrigger, WrongState
from .permissions import can_view, visible_sections
from .record_steps import ROW_OWNER
from .registry import flow_for


class _Record:
    """What the machine drives: the case row, seen through its ``state`` column."""

    def __init__(self, case: Case) -> None:
        self._case = case

    @property
    def state(self) -> str:
        return self._case.state

    @state.setter
    def state(self, value: str) -> None:
        with moving_state():
            self._case.state = value


def _machine(flow: Flow, step: Step, record: _Record, ctx: StepContext) -> Machine:
    # The effect runs as the transition's "before" callback: after the route's condition has
    # been judged on the case as it stood (declining an early proposal clears the flag its route
    # depends on), before the state moves (so no flush sees a new state without its data).
    effect = step.effect
    transitions: list[dict[str, Any]] = []
    for route in step.routes:
        condition = route.condition
        transitions.append(
            {
                "trigger": step.trigger,
                "source": list(route.sources or step.sources),
                "dest": route.dest,
                "conditions": [lambda _event, c=condition: c(ctx)] if condition else [],
                "before": [lambda _event: effect(ctx)] if effect is not None else [],
            }
        )
    return Machine(
        model=record,
        states=list(flow.states),
        transitions=transitions,
        initial=ctx.case.state,
        auto_transitions=False,
        send_event=True,
        model_attribute="state",
    )


def role_for(session: Session, actor: User, case: Case, step: Step) -> str | None:
    if not actor.is_active or not can_view(session, actor, case):
        return None
    return step.who(session, actor, case)


def available_triggers(session: Session, actor: User, case: Case) -> list[str]:
    """Triggers that pass the state, the permission and the case's own guards now."""
    flow = flow_for(case.case_type)
    available = []
    for step in flow.steps:
        if case.state not in step.sources:
            continue
        role = role_for(session, actor, case, step)
        if role is None:
            continue
        ctx = StepContext(session=session, case=case, actor=actor, role=role, data={}, comment="")
        if any(guard(ctx) for guard in step.guards):
            continue
        available.append(step.trigger)
    return available


def record_role(
    session: Session,
    actor: User,
    case: Case,
    step: Step,
    sections: frozenset[str] | None = None,
    *,
    any_state: bool = False,
) -> str | None:
    """The role ``actor`` takes a recording step in now, as its declaration says: from one of
    its states (unless ``any_state``), by its role rule, in a section the actor sees
    (``sections``, if the caller has them already); None if not. Its guards are asked
    separately (``refused_by_guards``)."""
    if (case.state not in step.sources and not any_state) or not actor.is_active:
        return None
    role = step.who(session, actor, case)
    if role is None or role == ROW_OWNER:
        # An action's owner reports on their action without seeing the rest of the case.
        return role
    if sections is None:
        sections = visible_sections(session, actor, case)
    return role if step.section in sections else None


def refused_by_guards(ctx: StepContext, step: Step) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for guard in step.guards:
        for name, messages in guard(ctx).items():
            errors.setdefault(name, []).extend(messages)
    return errors


def available_records(session: Session, actor: User, case: Case) -> list[str]:
    """The recording steps (state stays) ``actor`` may take now: what the API lists beside the
    state-moving triggers, and what the case page offers forms for."""
    flow = flow_for(case.case_type)
    if not can_view(session, actor, case):
        return []
    sections = visible_sections(session, actor, case)
    return [
        step.trigger
        for step in flow.records
        if recordable(session, actor, case, step, sections) is not None
    ]


def recordable(
    session: Session,
    actor: User,
    case: Case,
    step: Step,
    sections: frozenset[str] | None = None,
) -> str | None:
    """The role ``actor`` takes a recording step in now: the declaration allows it
    (``record_role``) and its guards pass; None if not."""
    role = record_role(session, actor, case, step, sections)
    if role is None:
        return None
    ctx = StepContext(session=session, case=case, actor=actor, role=role, data={}, comment="")
    return None if refused_by_guards(ctx, step) else role


def as_formdata(data: Mapping[str, Any] | MultiDict[str, Any] | None) -> MultiDict[str, Any]:
    """JSON data and posted forms go through the same WTForms classes."""
    if isinstance(data, MultiDict):
        return data
    formdata: MultiDict[str, Any] = MultiDict()
    for key, value in (data or {}).items():
        if isinstance(value, list | tuple):
            for index, item in enumerate(value):
                if isinstance(item, Mapping):
                    # WTForms' FieldList(FormField) naming: persons-0-name
                    for sub_key, sub_value in item.items():
                        if sub_value is not None:
                            formdata.add(f"{key}-{index}-{sub_key}", _scalar(sub_value))
                else:
                    formdata.add(key, _scalar(item))
        elif isinstance(value, bool):
            if value:
                formdata.add(key, "y")
        elif value is not None:
            formdata.add(key, _scalar(value))
    return formdata


def _scalar(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def validate_form(
    form_class: Any, data: Mapping[str, Any] | MultiDict[str, Any] | None, **kwargs: Any
) -> Any:
    form = form_class(formdata=as_formdata(data), meta={"csrf": False}, **kwargs)
    # Before validating: a validator may look the value up, and the database refuses it.
    unstorable = storable_errors(form)
    if unstorable:
        raise InvalidData(
            _("Uppgifterna innehåller tecken eller tal som inte kan sparas."), unstorable
        )
    if not form.validate():
        raise InvalidData(_("Uppgifterna är inte kompletta eller felaktiga."), dict(form.errors))
    return form


def history_row(
    case: Case,
    actor: User,
    role: str,
    trigger: str,
    from_state: str | None,
    data: dict[str, Any],
    comment: str,
) -> CaseEvent:
    """A step's row in the case's history: who, in which role, from which state to which."""
    return CaseEvent(
        case_id=case.id,
        actor_id=actor.id,
        actor_name=actor.name,
        actor_role=role,
        trigger=trigger,
        from_state=from_state,
        to_state=case.state,
        data=data,
        comment=comment,
    )


def _stale(case: Case, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != case.version:
        raise StaleVersion(
            _(
                "Ärendet har ändrats av någon annan sedan du öppnade det. Ladda om sidan och försök igen."
            )
        )


@contextmanager
def _locked(session: Session, case: Case) -> Iterator[None]:
    """A savepoint holding the case row's lock: what is written inside commits or rolls back
    as one, and a writer that lost a race gets StaleVersion, not a half-written case."""
    try:
        with session.begin_nested():
            # The case row is locked before anything else (on PostgreSQL; SQLite has one
            # writer anyway), so that writes to one case take their locks in one order and
            # queue instead of deadlocking; the later one then finds the version moved on.
            stored = session.scalar(
                select(Case.version).where(Case.id == case.id).with_for_update()
            )
            if stored != case.version:
                raise StaleDataError(f"case {case.id} is at version {stored}")
            yield
    except (StaleDataError, DBAPIError) as exc:
        # Another transaction wrote the case meanwhile: the loser's savepoint is rolled back.
        if isinstance(exc, DBAPIError) and not is_write_conflict(exc):
            raise
        raise StaleVersion(
            _("Ärendet ändrades samtidigt av någon annan. Ladda om sidan och försök igen.")
        ) from exc


@contextmanager
def recording(
    session: Session,
    case: Case,
    actor: User,
    trigger: str,
    *,
    expected_version: int | None = None,
    refusal: str | None = None,
) -> Iterator[StepContext]:
    """Takes a step that records without moving the state (workflows/record_steps.py) the way
    fire() takes one that moves it: the declaration says who may (403, with ``refusal`` as the
    message), from which states and on which guards (409), the caller's version must be
    current (409); then the caller's writes, the history row and the deadlines the step meets
    or opens commit or roll back together."""
    flow = flow_for(case.case_type)
    step = flow.declared(trigger)
    if step is None or flow.step(trigger) is not None:
        # Patient information in a lex Sarah case, say: not a step this case can take.
        raise WrongState(_("Ärendetypen har inget sådant steg."))
    # Asked in any state first: someone who may never take the step hears 403, someone who may
    # but not now hears 409.
    role = record_role(session, actor, case, step, any_state=True)
    if role is None:
        raise NotAllowed(refusal or _("Du har inte behörighet att utföra detta steg i ärendet."))
    if case.state not in step.sources:
        raise WrongState(
            _(
                "Steget kan inte utföras när ärendet har status %(state)s.",
                state=state_label(case.case_type, case.state),
            )
        )
    ctx = StepContext(session=session, case=case, actor=actor, role=role, data={}, comment="")
    refused = refused_by_guards(ctx, step)
    if refused:
        raise WrongState(" ".join(m for messages in refused.values() for m in messages))
    _stale(case, expected_version)
    with _locked(session, case):
        yield ctx
        if ctx.changed:
            # Touching the case row bumps its version, so concurrent writers of any part collide.
            case.updated_at = utcnow()
            session.add(
                history_row(case, actor, role, trigger, case.state, ctx.record, ctx.comment)
            )
            session.flush()
            deadlines.on_event(
                session, case, trigger, case.state, case.state, actor=actor, action=ctx.action
            )
        session.flush()


def fire(
    session: Session,
    case: Case,
    actor: User,
    trigger: str,
    data: Mapping[str, Any] | MultiDict[str, Any] | None = None,
    *,
    comment: str = "",
    expected_version: int | None = None,
) -> CaseEvent:
    flow = flow_for(case.case_type)
    step = flow.step(trigger)
    if step is None:
        # Named back only as far as a step's name goes: the caller's text is not ours to echo.
        raise UnknownTrigger(
            _("Okänt steg: %(trigger)s", trigger=trigger[:60]),
            {"trigger": [_("Ärendetypen har inget sådant steg.")]},
        )
    role = role_for(session, actor, case, step)
    if role is None:
        raise NotAllowed(_("Du har inte behörighet att utföra detta steg i ärendet."))
    if case.state not in step.sources:
        raise WrongState(
            _(
                "Steget kan inte utföras när ärendet har status %(state)s.",
                state=state_label(case.case_type, case.state),
            )
        )
    _stale(case, expected_version)

    form_kwargs: dict[str, Any] = {"case": case} if step.form is not None else {}
    form = validate_form(step.form, data, **form_kwargs) if step.form is not None else None
    # A step's form may carry the comment (a return needs one); otherwise the caller's.
    if form is not None and "comment" in form:
        comment = form.comment.data or comment
    comment = (comment or "").strip()

    ctx = StepContext(
        session=session,
        case=case,
        actor=actor,
        role=role,
        data=dict(form.data) if form is not None else {},
        comment=comment,
    )
    errors: dict[str, list[str]] = {}
    for check in (*step.guards, *step.checks):
        for field, messages in check(ctx).items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise InvalidData(_("Ärendet saknar uppgifter som krävs för steget."), errors)

    from_state = case.state
    with _locked(session, case):
        case.updated_at = utcnow()
        record = _Record(case)
        _machine(flow, step, record, ctx)
        if not record.trigger(trigger):  # type: ignore[attr-defined]  # added by Machine
            raise InvalidData(_("Villkoren för steget är inte uppfyllda."))
        event = history_row(case, actor, role, trigger, from_state, ctx.record, comment)
        session.add(event)
        session.flush()
        # Deadlines open, are met or waived with the state change, in the same savepoint.
        deadlines.on_event(session, case, trigger, from_state, case.state, actor=actor)
    return event
