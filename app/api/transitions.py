"""POST /cases/<id>/transitions: fire a trigger, as the UI's step buttons do."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from flask_babel import gettext as _

from app import db
from app.models import Case
from workflows.engine import fire
from workflows.errors import NotAllowed, WrongState
from workflows.permissions import can_view, visible_sections
from workflows.registry import flow_for, registered_types

from . import bp
from .auth import caller
from .errors import invalid
from .payload import Shape, case_or_404, checked_write, form_shape, optional_str, with_etag
from .sections import case_json
from .serialize import event_json


@bp.post("/cases/<int:case_id>/transitions")
def fire_transition(case_id: int) -> Response:
    session = db.session()
    user = caller()
    case = case_or_404(case_id)
    if not can_view(session, user, case):
        raise NotAllowed(_("Du har inte behörighet att utföra detta steg i ärendet."))
    if case.case_type not in registered_types():
        raise WrongState(_("Ärenden av den här typen kan inte hanteras ännu."))
    with checked_write(case, lambda body: _fields(case, body)) as body:
        trigger = body.get("trigger")
        if not isinstance(trigger, str) or not trigger.strip():
            raise invalid(
                _("Ange vilket steg som ska utföras."), {"trigger": [_("Fältet måste fyllas i.")]}
            )
        data = body.get("data")
        if data is not None and not isinstance(data, dict):
            raise invalid(
                _("Uppgifterna är inte kompletta eller felaktiga."),
                {"data": [_("Ange uppgifterna som ett JSON-objekt.")]},
            )
        event = fire(
            session,
            case,
            user,
            trigger.strip(),
            data or {},
            comment=optional_str(body, "comment"),
        )
    sections = visible_sections(session, user, case)
    payload = {"case": case_json(session, user, case), "event": event_json(event, sections, case)}
    return with_etag(jsonify(payload), case)


def _fields(case: Case, body: dict[str, Any]) -> Shape:
    """A known trigger's data takes its form's fields (none, for a step without a form); an
    unknown trigger is fire's to name."""
    trigger = body.get("trigger")
    step = flow_for(case.case_type).step(trigger.strip()) if isinstance(trigger, str) else None
    data = None if step is None else form_shape(step.form) if step.form is not None else {}
    return {"trigger": None, "data": data, "comment": None}
