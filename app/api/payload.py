"""Reading a request: its JSON body, query parameters, and the case it names."""

from __future__ import annotations

import json
from typing import Any

from flask import abort, request
from flask_babel import gettext as _

from app import db
from app.models import Case
from workflows.errors import NotAllowed
from workflows.permissions import can_view

from .auth import caller
from .errors import ApiError, invalid


def json_body() -> dict[str, Any]:
    """The body as a JSON object; an empty body counts as {}."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, "bad_json", _("Begärans innehåll är inte giltig JSON.")) from exc
    if not isinstance(body, dict):
        raise ApiError(400, "bad_json", _("Begärans innehåll måste vara ett JSON-objekt."))
    return body


def optional_int(body: dict[str, Any], name: str) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(
            _("Uppgifterna är inte kompletta eller felaktiga."), {name: [_("Ange ett heltal.")]}
        )
    return value


def optional_str(body: dict[str, Any], name: str) -> str:
    value = body.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise invalid(
            _("Uppgifterna är inte kompletta eller felaktiga."), {name: [_("Ange en text.")]}
        )
    return value


def case_or_404(case_id: int) -> Case:
    case = db.session().get(Case, case_id)
    if case is None:
        abort(404)
    return case


def visible_case(case_id: int) -> Case:
    """The case, if the caller may see it (403 otherwise): the operation decides the rest."""
    case = case_or_404(case_id)
    if not can_view(db.session(), caller(), case):
        raise NotAllowed(_("Du har inte behörighet till ärendet."))
    return case
