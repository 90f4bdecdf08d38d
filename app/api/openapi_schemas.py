"""JSON Schemas for the OpenAPI description, read off the WTForms classes the endpoints validate
with, so that a field added to a form shows up in the description without anyone writing it twice.

The API turns a JSON body into form data (workflows.engine.as_formdata): numbers and booleans
become the strings a browser would post, null counts as absent. The schemas say what a client
should send; anything else is refused by the same form, never by a second rule kept here.
"""

from __future__ import annotations

from typing import Any

from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FieldList,
    FileField,
    FormField,
    IntegerField,
    MultipleFileField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TimeField,
)
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired, InputRequired, Length

from app.models import CASE_TYPES
from app.models.investigation import GRADES

# Choices a form fills in when it is built (from the database or the case at hand); the
# description offers every value any case could take.
DYNAMIC_CHOICES: dict[str, dict[str, Any]] = {
    "unit_id": {"type": "integer", "minimum": 1},
    "category_id": {"type": "integer", "minimum": 1},
    "proposed_grade": {"enum": sorted({g for grades in GRADES.values() for g in grades})},
    "decider_grade": {"enum": sorted({g for grades in GRADES.values() for g in grades})},
    # A report is never reclassified into a complaint (forms/closing.py).
    "target_type": {"enum": [t for t in CASE_TYPES if t != "complaint"]},
    "theme_ids": {"type": "integer", "minimum": 1},
    "unit_ids": {"type": "integer", "minimum": 1},
}


def unbound_fields(form_class: type) -> list[tuple[str, UnboundField]]:
    """The form's fields in declaration order, as WTForms' FormMeta finds them."""
    found = [
        (name, value)
        for name in dir(form_class)
        if not name.startswith("_") and isinstance(value := getattr(form_class, name), UnboundField)
    ]
    return sorted(found, key=lambda pair: pair[1].creation_counter)


def form_schema(form_class: type) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    for name, unbound in unbound_fields(form_class):
        schema = field_schema(name, unbound)
        if schema is None:
            continue
        if _is_required(unbound):
            required.append(name)
        else:
            schema = _nullable(schema)
        properties[name] = schema
    # A field the form does not have is refused (app/api/payload.py), not dropped.
    out: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if form_class.__doc__:
        out["description"] = " ".join(form_class.__doc__.split())
    if required:
        out["required"] = required
    return out


def field_schema(name: str, unbound: UnboundField) -> dict[str, Any] | None:
    cls = unbound.field_class
    validators = _validators(unbound)
    if issubclass(cls, FileField | MultipleFileField):
        return None  # files come through the UI's multipart form only
    if issubclass(cls, FieldList):
        inner = unbound.args[0]
        item = (
            form_schema(inner.args[0])
            if issubclass(inner.field_class, FormField)
            else field_schema(name, inner)
        )
        schema: dict[str, Any] = {"type": "array", "items": item}
        if unbound.kwargs.get("max_entries"):
            schema["maxItems"] = unbound.kwargs["max_entries"]
    elif issubclass(cls, FormField):
        schema = form_schema(unbound.args[0])
    elif issubclass(cls, BooleanField):
        schema = {"type": "boolean"}
    elif issubclass(cls, SelectMultipleField):
        schema = {"type": "array", "items": _choice_schema(name, unbound), "uniqueItems": True}
    elif issubclass(cls, SelectField | RadioField):
        schema = _choice_schema(name, unbound)
    elif issubclass(cls, DateTimeLocalField):
        schema = {
            "type": "string",
            "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$",
            "description": "Local time in Sweden, YYYY-MM-DDTHH:MM.",
        }
    elif issubclass(cls, DateField):
        schema = {"type": "string", "format": "date"}
    elif issubclass(cls, TimeField):
        schema = {"type": "string", "pattern": r"^\d{2}:\d{2}$"}
    elif issubclass(cls, IntegerField):
        schema = {"type": "integer"}
    elif issubclass(cls, StringField):
        schema = {"type": "string"}
        for v in validators:
            if isinstance(v, Length):
                if v.max is not None and v.max >= 0:
                    schema["maxLength"] = v.max
                if v.min is not None and v.min > 0:
                    schema["minLength"] = v.min
    else:
        schema = {}
    label = unbound.kwargs.get("label", unbound.args[0] if unbound.args else None)
    if label is not None and not issubclass(cls, FieldList | FormField):
        schema.setdefault("title", str(label))
    return schema


def _validators(unbound: UnboundField) -> list[Any]:
    given = unbound.kwargs.get("validators")
    if given is None and len(unbound.args) > 1:
        given = unbound.args[1]
    return list(given or [])


def _is_required(unbound: UnboundField) -> bool:
    return any(isinstance(v, DataRequired | InputRequired) for v in _validators(unbound))


def _choice_schema(name: str, unbound: UnboundField) -> dict[str, Any]:
    choices = unbound.kwargs.get("choices")
    if not choices:
        return dict(DYNAMIC_CHOICES.get(name, {"type": "string"}))
    values = [c.value if hasattr(c, "value") else c[0] for c in choices]
    if unbound.kwargs.get("coerce") is int:
        return {"enum": [int(v) for v in values if str(v).lstrip("-").isdigit()]}
    values = [str(v) for v in values if str(v) != ""]
    # Numbers chosen from a list are stored and read back as integers; either form is taken.
    if values and all(v.isdigit() for v in values):
        return {"enum": [*values, *(int(v) for v in values)]}
    return {"enum": values}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "enum" in schema:
        return {**schema, "enum": [*schema["enum"], None]}
    kind = schema.get("type")
    if isinstance(kind, str):
        return {**schema, "type": [kind, "null"]}
    return schema


# --- what every error looks like (app/api/errors.py) -------------------------------------------

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "additionalProperties": False,
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "additionalProperties": False,
            "properties": {
                "code": {
                    "type": "string",
                    "description": "Stable, machine-readable: invalid_data, unknown_fields, "
                    "version_required, bad_json, unknown_trigger, forbidden, wrong_state, "
                    "stale_version, precondition_failed, not_found, ...",
                },
                "message": {"type": "string", "description": "Swedish, for people."},
                "fields": {
                    "type": "object",
                    "description": "Field name to its messages; a list of fields (persons) "
                    "gives a list with one object per entry.",
                    "additionalProperties": {"type": ["array", "object"]},
                },
            },
        }
    },
}

ERROR_RESPONSES: dict[str, str] = {
    "400": "The body is not a JSON object (bad_json).",
    "401": "No valid bearer token (unauthorized).",
    "403": "The token's user may not do this, or not see this case (forbidden).",
    "404": "No such case, action or document (not_found).",
    "409": "The case is in a state where this cannot be done (wrong_state), it changed since "
    "expected_version (stale_version), or another writer met this one (conflict).",
    "412": "If-Match names a version the case no longer has (precondition_failed).",
    "413": "The body is larger than the server accepts (too_large).",
    "422": "The data is incomplete or wrong (invalid_data, unknown_trigger), names a field the "
    "operation does not take (unknown_fields), or names no version of the case "
    "(version_required); see fields.",
    "429": "Too many requests with this token (rate_limited); Retry-After says when to try again.",
}
