"""Recording case content without a state change: the investigation, actions, and sending an
early-filed case's investigation to IVO (workflows/records.py)."""

from __future__ import annotations

from flask import Response, abort, jsonify

from app import db
from app.models import Action
from workflows import records
from workflows.permissions import can_view

from . import bp
from .auth import caller
from .payload import case_or_404, json_body, optional_int, visible_case
from .sections import action_json, case_json


@bp.put("/cases/<int:case_id>/investigation")
def save_investigation(case_id: int) -> Response:
    session = db.session()
    user = caller()
    case = visible_case(case_id)
    body = json_body()
    expected_version = optional_int(body, "expected_version")
    body.pop("expected_version", None)
    records.save_investigation(session, case, user, body, expected_version=expected_version)
    return jsonify({"case": case_json(session, user, case)})


@bp.post("/cases/<int:case_id>/actions")
def add_action(case_id: int) -> tuple[Response, int]:
    session = db.session()
    user = caller()
    case = visible_case(case_id)
    action = records.add_action(session, case, user, json_body())
    return jsonify({"action": action_json(action), "case": case_json(session, user, case)}), 201


@bp.patch("/cases/<int:case_id>/actions/<int:action_id>")
def update_action(case_id: int, action_id: int) -> Response:
    session = db.session()
    user = caller()
    case = case_or_404(case_id)
    action = session.get(Action, action_id)
    if action is None or action.case_id != case.id:
        abort(404)
    # An action's owner may report on it without otherwise seeing the case, so no view check here:
    # update_action decides, and the case itself is shown only to those who may see it.
    records.update_action(session, action, user, json_body())
    shown = case_json(session, user, case) if can_view(session, user, case) else None
    return jsonify({"action": action_json(action), "case": shown})


@bp.post("/cases/<int:case_id>/investigation-sent")
def investigation_sent(case_id: int) -> Response:
    session = db.session()
    user = caller()
    case = visible_case(case_id)
    records.record_investigation_sent(session, case, user, json_body())
    return jsonify({"case": case_json(session, user, case)})
