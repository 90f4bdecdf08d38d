"""Recording case content without a state change: the investigation, actions, and sending an
early-filed case's investigation to IVO (workflows/records.py)."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, jsonify, request
from flask_babel import gettext as _

from app import db
from app.models import Action, Case
from app.models.investigation import ITEM_KEYS
from forms.filing import InvestigationSentForm
from forms.investigation import ActionForm, ActionUpdateForm, InvestigationForm
from workflows import records
from workflows.errors import NotAllowed
from workflows.permissions import can_view, visible_sections

from . import bp
from .auth import caller
from .payload import (
    case_or_404,
    checked_write,
    fields_of,
    visible_case,
    with_etag,
)
from .sections import action_json, case_json, investigation_fields


@bp.route("/cases/<int:case_id>/investigation", methods=["PUT", "PATCH"])
def save_investigation(case_id: int) -> Response:
    """Changes the fields the body names and only those; a field named with null or "" is
    emptied, and an empty body changes nothing. PUT does the same as PATCH (an empty PUT once
    emptied the whole investigation); it is kept for clients written against it."""
    session = db.session()
    user = caller()
    case = visible_case(case_id)
    with checked_write(case, fields_of(InvestigationForm, *INVESTIGATION_READ_ONLY)) as body:
        for name in INVESTIGATION_READ_ONLY:
            body.pop(name, None)
        data = {**_investigation_as_sent(case), **body}
        records.save_investigation(session, case, user, data)
    return with_etag(jsonify({"case": case_json(session, user, case)}), case)


# What a read of the investigation holds besides its fields: a client may send the read back
# with its changes, and these are ignored (they are the system's to set).
INVESTIGATION_READ_ONLY = (
    "number",
    "started_at",
    "completed_at",
    "locked",
    "writable",
    "risk_score",
    "items",
    "item_authors",
    "early_filing",
    "sent_to_ivo_on",
)


def _investigation_as_sent(case: Case) -> dict[str, Any]:
    """The investigation as it stands, in the words a body would use for each field."""
    inv = case.investigation
    if inv is None:
        return {}
    out = investigation_fields(inv)
    for key in ITEM_KEYS:
        row = inv.item(key)
        out[f"{key}_source"] = row.source if row else ""
        out[f"{key}_kind"] = row.kind if row else None
    return out


@bp.post("/cases/<int:case_id>/actions")
def add_action(case_id: int) -> tuple[Response, int]:
    session = db.session()
    user = caller()
    case = visible_case(case_id)
    with checked_write(case, fields_of(ActionForm)) as body:
        action = records.add_action(session, case, user, body)
    payload = {"action": action_json(action), "case": case_json(session, user, case)}
    return with_etag(jsonify(payload), case), 201


@bp.route("/cases/<int:case_id>/actions/<int:action_id>", methods=["GET", "PATCH"])
def update_action(case_id: int, action_id: int) -> Response:
    """GET: the action; PATCH: a report on it (its owner may, without otherwise seeing the
    case)."""
    if request.method == "GET":
        return _action_detail(case_id, action_id)
    session = db.session()
    user = caller()
    case, action = _action_of(case_id, action_id)
    # An action's owner may report on it without otherwise seeing the case: update_action
    # decides, and the case itself is shown only to those who may see it. Anyone else is refused
    # before the body is read, so that a stranger learns nothing of the case's version.
    if action.owner_id != user.id and not can_view(session, user, case):
        raise NotAllowed(_("Endast utredaren eller den ansvarige kan ändra åtgärden."))
    with checked_write(case, fields_of(ActionUpdateForm)) as body:
        records.update_action(session, action, user, body)
    shown = case_json(session, user, case) if can_view(session, user, case) else None
    payload = {"action": action_json(action), "case": shown, "case_version": case.version}
    return with_etag(jsonify(payload), case)


def _action_detail(case_id: int, action_id: int) -> Response:
    """One action, for its owner too (who may not otherwise see the case), with the case's
    version, which a report on the action names (ETag, expected_version)."""
    session = db.session()
    user = caller()
    case, action = _action_of(case_id, action_id)
    if "actions" not in visible_sections(session, user, case) and action.owner_id != user.id:
        raise NotAllowed(_("Du har inte behörighet till åtgärden."))
    return with_etag(jsonify({"action": action_json(action), "case_version": case.version}), case)


def _action_of(case_id: int, action_id: int) -> tuple[Case, Action]:
    case = case_or_404(case_id)
    action = db.session().get(Action, action_id)
    if action is None or action.case_id != case.id:
        abort(404)
    return case, action


@bp.post("/cases/<int:case_id>/investigation-sent")
def investigation_sent(case_id: int) -> Response:
    session = db.session()
    user = caller()
    case = visible_case(case_id)
    with checked_write(case, fields_of(InvestigationSentForm)) as body:
        records.record_investigation_sent(session, case, user, body)
    return with_etag(jsonify({"case": case_json(session, user, case)}), case)
