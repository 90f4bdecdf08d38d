"""GET /api/v1/openapi.json: the API described as OpenAPI 3.1, built from what serves it.

Paths and methods come from the URL map (a route added to the blueprint is described the moment
it exists), request bodies from the WTForms classes the operations validate with
(openapi_schemas.py). What the code cannot tell (which form a body goes through, the query
parameters, the status of a success) is the small registry below; tests/fuzz checks the two agree.

Behind the bearer token like every other address here: the description holds no case content,
but the API answers nobody without a token, and one rule with no exception is the easier to keep
(the route × role matrix sees every role allowed here, the admin included).
"""

from __future__ import annotations

import re
from importlib import metadata
from typing import Any

from flask import Flask, Response, current_app, jsonify

from app.documents.store import KINDS
from app.models import CASE_TYPES
from forms.co_investigator import CoInvestigatorForm
from forms.feedback import FeedbackForm
from forms.filing import InvestigationSentForm
from forms.investigation import ActionForm, ActionUpdateForm, InvestigationForm
from forms.patient_information import MedicalDeviceReportForm, PatientInformationForm
from forms.report import ReportForm
from workflows.registry import flow_for, registered_types, reportable_types

from . import bp
from .openapi_responses import SUCCESS_SCHEMAS, response_schemas
from .openapi_schemas import ERROR_RESPONSES, ERROR_SCHEMA, form_schema
from .records import INVESTIGATION_READ_ONLY

PREFIX = "api."
JSON = "application/json"
_ARGUMENT = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")

EXPECTED_VERSION = {
    "type": "integer",
    "description": "The case's version as last read (its ETag without W/ and quotes). Required "
    "unless If-Match carries it (both: they must agree); missing → 422 version_required, "
    "different → 409 stale_version.",
}
# The operations of an endpoint that serves several methods, by method.
OPERATIONS = {
    ("api.save_investigation", "PATCH"): "api.patch_investigation",
    ("api.update_action", "GET"): "api.action_detail",
}
# Which form each body goes through (the operation named in the view validates with it).
FORM_BODIES: dict[str, type] = {
    "api.save_investigation": InvestigationForm,
    "api.patch_investigation": InvestigationForm,
    "api.add_action": ActionForm,
    "api.update_action": ActionUpdateForm,
    "api.investigation_sent": InvestigationSentForm,
    "api.record_patient_information": PatientInformationForm,
    "api.record_medical_device_report": MedicalDeviceReportForm,
    "api.record_feedback": FeedbackForm,
    "api.add_co_investigator": CoInvestigatorForm,
    "api.remove_co_investigator": CoInvestigatorForm,
}
# Writes to an existing case: each names the version it was made against.
VERSIONED = {*FORM_BODIES, "api.fire_transition"}
# Answers that carry the case's version as a weak ETag.
WITH_ETAG = {*VERSIONED, "api.case_detail", "api.create_case", "api.action_detail"}
# Bodies that may leave out any field: a field not named keeps its value.
PARTIAL = {"api.save_investigation", "api.patch_investigation"}
CREATED = {
    "api.create_case",
    "api.add_action",
    "api.record_patient_information",
    "api.record_feedback",
}
SUMMARIES = {
    "api.openapi_document": "This description of the API",
    "api.create_case": "Report an event: opens one case, or two linked ones",
    "api.list_cases": "The cases the caller may see, newest first, a page at a time "
    "(cursor links, a bounded count)",
    "api.case_detail": "One case, with the sections the caller may see (ETag: its version)",
    "api.case_events": "A case's history, with the history of the cases it grew out of",
    "api.case_deadlines_view": "A case's deadlines, with the rule and legal basis of each",
    "api.case_document": "A case document as PDF (IVO report, investigation, decision)",
    "api.fire_transition": "Take a step in the case's workflow (a trigger)",
    "api.save_investigation": "Save the investigation: the same as PATCH (fields not named keep "
    "their values)",
    "api.patch_investigation": "Change the named fields of the investigation, and only those",
    "api.add_action": "Add an action with an owner and a due date",
    "api.action_detail": "One action, for its owner too, with the case's version",
    "api.update_action": "Report on an action: completed, handed over, its effect",
    "api.investigation_sent": "Record that an early-filed case's investigation was sent to IVO",
    "api.record_patient_information": "Record the information given to the patient (PSL 3:8)",
    "api.record_medical_device_report": "Record the report to Läkemedelsverket (medical device)",
    "api.record_feedback": "Record feedback given to the reporter (repeatable, from the "
    "investigation's completion on; closing needs one)",
    "api.add_co_investigator": "Add a co-investigator, who may read and write the investigation",
    "api.remove_co_investigator": "Remove a co-investigator: their access ends at once",
    "api.statistics_view": "The statistics of a period, counts under five masked; a manager's "
    "of their own units",
    "api.list_units": "The units, by id, a page at a time (for a report's unit_id)",
}
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "pattern": r'^(W/)?"[0-9]+"(\s*,\s*(W/)?"[0-9]+")*$'},
    "description": 'The case\'s ETag as last read (W/"3"; the weak mark may be left out): '
    "an alternative to expected_version. A case changed since → 412 precondition_failed.",
}
ETAG_HEADER = {
    "ETag": {
        "description": "The case's version, weak (W/\"3\"): it names the case's state, not "
        "the bytes of this caller's view of it. Send it back in If-Match.",
        "schema": {"type": "string"},
    }
}


@bp.get("/openapi.json")
def openapi_document() -> Response:
    return jsonify(build(current_app))


def build(app: Flask) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.endpoint.startswith(PREFIX):
            continue
        path = _ARGUMENT.sub(lambda m: "{" + m.group("name") + "}", rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(app, rule, method)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Lexflöde API",
            "version": _version(),
            "description": "Lex Sarah, lex Maria and deviations: the operations of the UI for "
            "clients holding a bearer token. Messages are in Swedish; codes are stable.",
        },
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal API token (lxf_...), sent as Authorization: "
                    "Bearer <token>. A browser's session cookie does not authenticate here.",
                }
            },
            "schemas": _schemas(),
            "responses": {
                code: {
                    "description": text,
                    "content": {JSON: {"schema": {"$ref": "#/components/schemas/Error"}}},
                }
                for code, text in ERROR_RESPONSES.items()
            },
        },
    }


def _version() -> str:
    try:
        return metadata.version("lexflode")
    except metadata.PackageNotFoundError:
        return "0"


def _operation(app: Flask, rule: Any, method: str) -> dict[str, Any]:
    view = app.view_functions[rule.endpoint]
    doc = (view.__doc__ or "").strip()
    # One address, one rule (a rule per method makes the router answer 405 for an id out of
    # range instead of 404); each method is its own operation all the same.
    endpoint = OPERATIONS.get((rule.endpoint, method), rule.endpoint)
    operation: dict[str, Any] = {
        "operationId": endpoint.removeprefix(PREFIX),
        "summary": SUMMARIES.get(endpoint) or doc.split("\n", 1)[0] or endpoint,
        "tags": [view.__module__.rsplit(".", 1)[-1]],
        "parameters": _path_parameters(rule) + query_parameters().get(endpoint, []),
    }
    if endpoint in VERSIONED:
        operation["parameters"].append(IF_MATCH)
    if doc:
        operation["description"] = " ".join(doc.split())
    writes = method in ("POST", "PUT", "PATCH")
    body = _body_schema(endpoint) if writes else None
    if body is not None:
        operation["requestBody"] = {"required": True, "content": {JSON: {"schema": body}}}
    operation["responses"] = _responses(endpoint, rule, writes)
    return operation


def _path_parameters(rule: Any) -> list[dict[str, Any]]:
    out = []
    for match in _ARGUMENT.finditer(rule.rule):
        name, converter = match.group("name"), match.group("converter")
        schema: dict[str, Any] = (
            {"type": "integer", "minimum": 0} if converter == "int" else {"type": "string"}
        )
        if name in PATH_ENUMS:
            schema = {"type": "string", "enum": list(PATH_ENUMS[name])}
        out.append({"name": name, "in": "path", "required": True, "schema": schema})
    return out


def _body_schema(endpoint: str) -> dict[str, Any] | None:
    if endpoint == "api.create_case":
        return {"$ref": "#/components/schemas/Report"}
    if endpoint == "api.fire_transition":
        return {"$ref": "#/components/schemas/Transition"}
    form = FORM_BODIES.get(endpoint)
    if form is None:
        return None
    return {"$ref": f"#/components/schemas/{_write_name(endpoint)}"}


def _write_name(endpoint: str) -> str:
    form = FORM_BODIES[endpoint]
    return form.__name__.removesuffix("Form") + ("Change" if endpoint in PARTIAL else "Write")


def _write_schema(endpoint: str) -> dict[str, Any]:
    """The form's fields, expected_version, nothing else (an unknown field is a 422)."""
    schema = form_schema(FORM_BODIES[endpoint])
    schema["properties"]["expected_version"] = EXPECTED_VERSION
    if endpoint in PARTIAL:
        for name in INVESTIGATION_READ_ONLY:
            schema["properties"][name] = {
                "readOnly": True,
                "description": "As the investigation was read; ignored, so that a read can be "
                "sent back with its changes.",
            }
        schema.pop("required", None)
        schema["description"] = (
            "Only the fields named change; a field named with null or an empty value is "
            "emptied. An empty body (with the version) changes nothing."
        )
    return schema


def _responses(endpoint: str, rule: Any, writes: bool) -> dict[str, Any]:
    status = "201" if endpoint in CREATED else "200"
    if rule.rule.endswith(".pdf"):
        success: dict[str, Any] = {
            "description": "The PDF, as an attachment.",
            "content": {"application/pdf": {"schema": {"type": "string"}}},
        }
    else:
        success = {
            "description": "Done." if writes else "Found.",
            "content": {
                JSON: {"schema": {"$ref": f"#/components/schemas/{SUCCESS_SCHEMAS[endpoint]}"}}
            },
        }
    if endpoint in WITH_ETAG:
        success["headers"] = dict(ETAG_HEADER)
    if endpoint == "api.create_case":
        success["headers"]["Location"] = {
            "description": "The (first) case's address.",
            "schema": {"type": "string"},
        }
    codes = ["401", "429"]
    if endpoint not in ("api.openapi_document", "api.list_units"):
        codes.append("403")
    if "<" in rule.rule:
        codes.append("404")
    if writes:
        codes += ["400", "409", "413", "422"]
    if endpoint in VERSIONED:
        codes.append("412")
    if endpoint in ("api.list_cases", "api.list_units"):
        codes.append("422")
    out: dict[str, Any] = {status: success}
    for code in sorted(set(codes)):
        out[code] = {"$ref": f"#/components/responses/{code}"}
    return out


def _schemas() -> dict[str, Any]:
    schemas: dict[str, Any] = {"Error": ERROR_SCHEMA, **response_schemas(_states())}
    for endpoint, form in FORM_BODIES.items():
        schemas[form.__name__] = form_schema(form)
        schemas[_write_name(endpoint)] = _write_schema(endpoint)
    report = form_schema(ReportForm)
    report["properties"]["case_type"] = {
        "enum": [*reportable_types(), None],
        "description": "Without it the plain answers (affected, harm, report_kind) decide, "
        "as in the UI; possibly two linked cases.",
    }
    schemas["Report"] = report
    schemas.update(_transition_schemas())
    return schemas


def _transition_schemas() -> dict[str, Any]:
    """One body per trigger: its data is what that step's form takes."""
    forms: dict[str, set[type]] = {}
    for case_type in registered_types():
        for step in flow_for(case_type).steps:
            forms.setdefault(step.trigger, set())
            if step.form is not None:
                forms[step.trigger].add(step.form)  # type: ignore[arg-type]
    schemas: dict[str, Any] = {}
    variants = []
    for trigger, trigger_forms in sorted(forms.items()):
        data_refs = []
        for form in sorted(trigger_forms, key=lambda f: f.__name__):
            schemas[form.__name__] = form_schema(form)
            data_refs.append({"$ref": f"#/components/schemas/{form.__name__}"})
        data: dict[str, Any] = (
            {"type": "object", "maxProperties": 0}
            if not data_refs
            else data_refs[0]
            if len(data_refs) == 1
            else {"anyOf": data_refs}
        )
        variants.append({"properties": {"trigger": {"const": trigger}, "data": data}})
    schemas["Transition"] = {
        "type": "object",
        "required": ["trigger"],
        "additionalProperties": False,
        "properties": {
            "trigger": {"type": "string", "enum": sorted(forms)},
            "data": {"type": "object"},
            "comment": {"type": ["string", "null"], "maxLength": 20000},
            "expected_version": EXPECTED_VERSION,
        },
        "oneOf": variants,
    }
    return schemas


def _states() -> list[str]:
    return sorted({s for t in registered_types() for s in flow_for(t).states})


PATH_ENUMS = {"kind": KINDS}


def _array_of(schema: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": schema}


def query_parameters() -> dict[str, list[dict[str, Any]]]:
    return {
        "api.list_cases": [
            {
                "name": "page",
                "in": "query",
                "schema": {"type": "integer", "minimum": 1},
                "description": "Page numbers reach 10 000 cases deep (page × per_page); "
                "further on, follow next. Not together with after or before.",
            },
            {
                "name": "after",
                "in": "query",
                "schema": {"type": "string"},
                "description": "The cases after this position, as the next link gives it "
                "(an opaque cursor).",
            },
            {
                "name": "before",
                "in": "query",
                "schema": {"type": "string"},
                "description": "The cases before this position, as the prev link gives it "
                "(an opaque cursor).",
            },
            {
                "name": "per_page",
                "in": "query",
                "schema": {"type": "integer", "minimum": 1},
                "description": "At most 100.",
            },
            {
                "name": "type",
                "in": "query",
                "schema": _array_of({"enum": list(CASE_TYPES)}),
                "style": "form",
                "explode": True,
            },
            {
                "name": "state",
                "in": "query",
                "schema": _array_of({"enum": _states()}),
                "style": "form",
                "explode": True,
            },
            {
                "name": "unit_id",
                "in": "query",
                "schema": _array_of({"type": "integer", "minimum": 0}),
                "style": "form",
                "explode": True,
            },
        ],
        "api.case_document": [
            {
                "name": "number",
                "in": "query",
                "schema": {"type": "integer", "minimum": 1},
                "description": "Which numbered version of the investigation (default the latest).",
            }
        ],
        "api.statistics_view": [
            {"name": "year", "in": "query", "schema": {"type": "integer"}},
            {
                "name": "period",
                "in": "query",
                "schema": {"enum": ["year", "tertial", "quarter", "month"]},
                "description": "The calendar year (default), or a tertial, quarter or month of it.",
            },
            {
                "name": "number",
                "in": "query",
                "schema": {"type": "integer", "minimum": 1, "maximum": 12},
                "description": "Which tertial (1–3), quarter (1–4) or month (1–12).",
            },
        ],
        "api.list_units": [
            {
                "name": "after",
                "in": "query",
                "schema": {"type": "integer", "minimum": 0},
                "description": "The units with a larger id than this (as the next link gives it).",
            },
            {
                "name": "per_page",
                "in": "query",
                "schema": {"type": "integer", "minimum": 1},
                "description": "At most 100.",
            },
            {
                "name": "active",
                "in": "query",
                "schema": {"enum": ["true", "false"]},
                "description": "true: only the units a report may name now.",
            },
        ],
    }
