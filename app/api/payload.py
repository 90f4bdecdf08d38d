"""Reading a request: its JSON body, query parameters, and the case it names."""

from __future__ import annotations

import json
from typing import Any

from flask import abort, request
from flask_babel import gettext as _

from app import db
from app.models import Case
from forms.storable import CHARACTERS, has_forbidden
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
        # NaN and Infinity are not JSON, though Python's parser takes them.
        body = json.loads(raw, parse_constant=_not_json)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        # RecursionError: nesting deeper than the parser's stack (a few hundred levels).
        raise ApiError(400, "bad_json", _("Begärans innehåll är inte giltig JSON.")) from exc
    if not isinstance(body, dict):
        raise ApiError(400, "bad_json", _("Begärans innehåll måste vara ett JSON-objekt."))
    if _deeper_than(body, MAX_DEPTH):
        raise ApiError(400, "bad_json", _("Begärans innehåll är för djupt nästlat."))
    return body


# No body of this API nests deeper than a list of objects inside the data object.
MAX_DEPTH = 8


def _not_json(constant: str) -> Any:
    raise ValueError(constant)


def _deeper_than(value: Any, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


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
    # Free text outside any form (a step's comment) meets the forms' own rules here.
    if has_forbidden(value):
        raise invalid(_("Uppgifterna är inte kompletta eller felaktiga."), {name: [CHARACTERS]})
    if len(value) > MAX_TEXT:
        raise invalid(
            _("Uppgifterna är inte kompletta eller felaktiga."),
            {name: [_("Texten får vara högst %(n)d tecken.", n=MAX_TEXT)]},
        )
    return value


# As the longest text field of the forms.
MAX_TEXT = 20000


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
