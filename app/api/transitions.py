"""POST /cases/<id>/transitions: fire a trigger, as the UI's step buttons do."""

from __future__ import annotations

from flask import Response, jsonify
from flask_babel import gettext as _

from app import db
from workflows.engine import fire
from workflows.errors import NotAllowed, WrongState
from workflows.permissions import can_view, visible_sections
from workflows.registry import registered_types

from . import bp
from .auth import caller
from .errors import invalid
from .payload import case_or_404, json_body, optional_int, optional_str
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
    body = json_body()
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
        expected_version=optional_int(body, "expected_version"),
    )
    sections = visible_sections(session, user, case)
    return jsonify({"case": case_json(session, user, case), "event": event_json(event, sections)})
