"""Reading a request: its JSON body, query parameters, and the case it names."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from flask import Response, abort, request
from flask_babel import gettext as _
from wtforms import FieldList, FileField, FormField, MultipleFileField

from app import db
from app.models import Case
from forms.storable import CHARACTERS, has_forbidden
from workflows.errors import NotAllowed, StaleVersion, WorkflowError
from workflows.permissions import can_view

from .auth import caller
from .errors import ApiError, invalid
from .openapi_schemas import unbound_fields


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


# --- what a write may carry: the form's own fields, and nothing else ----------------------------

# A form's fields as a JSON body names them: None for a plain value, a dict for a nested form,
# a one-element list for a list of nested forms.
Shape = dict[str, Any]


@cache
def form_shape(form_class: type) -> Shape:
    shape: Shape = {}
    for name, unbound in unbound_fields(form_class):
        kind = unbound.field_class
        if issubclass(kind, FileField | MultipleFileField):
            continue  # files come through the UI's multipart form only
        if issubclass(kind, FieldList):
            inner = unbound.args[0]
            nested = issubclass(inner.field_class, FormField)
            shape[name] = [form_shape(inner.args[0])] if nested else None
        elif issubclass(kind, FormField):
            shape[name] = form_shape(unbound.args[0])
        else:
            shape[name] = None
    return shape


def unknown_fields(body: dict[str, Any], shape: Shape, prefix: str = "") -> list[str]:
    """The names in ``body`` its shape does not have, nested ones as ``persons.0.nickname``.
    A value of the wrong type is the form's to refuse, so only objects are looked into."""
    found = []
    for key, value in body.items():
        if key not in shape:
            found.append(prefix + key)
            continue
        inner = shape[key]
        if isinstance(inner, dict) and isinstance(value, dict):
            found += unknown_fields(value, inner, f"{prefix}{key}.")
        elif isinstance(inner, list) and isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    found += unknown_fields(item, inner[0], f"{prefix}{key}.{index}.")
    return found


# Field names are named back, cut to a length that cannot make an error of megabytes.
NAMED_LENGTH = 100


def fields_of(form_class: type | None, *extra: str) -> Shape:
    """What a body validated by ``form_class`` may name: its fields and ``extra``."""
    return {**(form_shape(form_class) if form_class else {}), **dict.fromkeys(extra)}


def _unknown_error(unknown: list[str]) -> ApiError:
    return ApiError(
        422,
        "unknown_fields",
        _("Begäran innehåller fält som inte finns. Se fields."),
        _unknown_messages(unknown),
    )


def _unknown_messages(unknown: list[str]) -> dict[str, list[str]]:
    return {name[:NAMED_LENGTH]: [_("Okänt fält.")] for name in unknown}


# --- which version of the case a write was made against ----------------------------------------

VERSION_FIELD = "expected_version"
_ENTITY_TAG = re.compile(r'^(?:W/)?"(\d{1,18})"$')


def etag(case: Case) -> str:
    """Weak: the version names the case's state, not the bytes of one caller's view of it (which
    sections a caller sees, and the open obligations' "overdue", differ without a new version)."""
    return f'W/"{case.version}"'


def with_etag(response: Response, case: Case) -> Response:
    response.headers["ETag"] = etag(case)
    return response


class Precondition:
    """Every write to a case names the version it was made against, as ``expected_version`` in
    the body or as the case's ETag in If-Match (both: they must agree). Read from the request
    (``expected_version`` taken out of ``body``) before the operation, judged after it
    (checked_write): a missing version is a 422, a stale one a 409 (body) or a 412 (If-Match).
    The version compared is the one the case had when the request began."""

    def __init__(self, case: Case, body: dict[str, Any]) -> None:
        self.case = case
        self.read = case.version
        self.stated = optional_int(body, VERSION_FIELD)
        body.pop(VERSION_FIELD, None)
        header = request.headers.get("If-Match")
        self.matches = None if header is None else _if_match_versions(header)
        if self.matches is not None and self.stated not in (None, *self.matches):
            message = _("expected_version och If-Match anger olika versioner.")
            raise invalid(message, {VERSION_FIELD: [message], "If-Match": [message]})

    def check(self) -> None:
        if self.stated is None and self.matches is None:
            raise ApiError(
                422,
                "version_required",
                _("Ange vilken version av ärendet ändringen gäller."),
                {VERSION_FIELD: [_("Ange expected_version eller huvudet If-Match.")]},
            )
        if self.matches is not None and self.read not in self.matches:
            raise ApiError(
                412,
                "precondition_failed",
                _("Ärendet har ändrats sedan du hämtade det. Hämta det igen och försök på nytt."),
            )
        if self.stated is not None and self.stated != self.read:
            # The engine's words for the same refusal (workflows/engine.py).
            raise StaleVersion(
                _(
                    "Ärendet har ändrats av någon annan sedan du öppnade det. Ladda om sidan och försök igen."  # noqa: E501
                )
            )


def _if_match_versions(header: str) -> set[int]:
    versions = set()
    for tag in header.split(","):
        match = _ENTITY_TAG.match(tag.strip())
        if match is None:
            # "*" too: it says the case exists, not which version the client read.
            raise invalid(
                _("Uppgifterna är inte kompletta eller felaktiga."),
                {"If-Match": [_('Ange ärendets ETag, till exempel W/"3".')]},
            )
        versions.add(int(match.group(1)))
    return versions


@contextmanager
def checked_write(
    case: Case | None, shape: Shape | Callable[[dict[str, Any]], Shape]
) -> Iterator[dict[str, Any]]:
    """A write's JSON body, for the operation in the ``with`` block, and what the operation
    cannot judge, judged around it: fields the body names but ``shape`` (the operation's
    form; a callable gets the body) does not have, and for a write to ``case`` the version it
    names (expected_version, If-Match; see Precondition).

    A field that is not taken is refused, not dropped: a client that misspells ``location`` as
    ``place`` learns it instead of losing what it sent. Both are judged after the operation
    (which the request then rolls back), so that who may do what and in which state answer
    first (403, 409), as they do for a well-formed body; a 422 of the operation's own names
    the unknown fields along with its own."""
    body = json_body()
    allowed = shape(body) if callable(shape) else shape
    if case is not None:
        allowed = {**allowed, VERSION_FIELD: None}
    unknown = unknown_fields(body, allowed)
    precondition: Precondition | None = None
    problem: ApiError | None = None
    if case is not None:
        try:
            precondition = Precondition(case, body)
        except ApiError as refused:
            problem = refused
    try:
        yield body
    except (WorkflowError, ApiError) as refused:
        if refused.status == 422:
            refused.field_errors = {
                **_unknown_messages(unknown),
                **(problem.field_errors if problem else {}),
                **refused.field_errors,
            }
        raise
    if unknown:
        raise _unknown_error(unknown)
    if problem is not None:
        raise problem
    if precondition is not None:
        precondition.check()
