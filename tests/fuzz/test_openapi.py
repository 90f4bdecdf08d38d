"""The OpenAPI description: complete (every route of the API), true to the forms the endpoints
validate with, internally consistent, behind the token, and free of case content."""

from __future__ import annotations

import re
from typing import Any

import pytest

from app.api.openapi import FORM_BODIES, OPERATIONS
from tests.api_client import Api, error_of
from tests.factories import new_case_of
from workflows.registry import flow_for, registered_types

from .targets import api_targets


@pytest.fixture
def api(client, session):
    return Api(client, session)


@pytest.fixture
def document(api, world) -> dict[str, Any]:
    response = api.get(world.reporter, "openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def _operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (path, method.upper()): op
        for path, methods in document["paths"].items()
        for method, op in methods.items()
    }


def test_every_api_route_is_described(app, document):
    described = _operations(document)
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")]
    assert rules
    for rule in rules:
        path = re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            op = described.pop((path, method), None)
            assert op is not None, (method, rule.rule)
            endpoint = OPERATIONS.get((rule.endpoint, method), rule.endpoint)
            assert op["operationId"] == endpoint.removeprefix("api.")
            assert op["summary"]
            declared = {p["name"] for p in op["parameters"] if p["in"] == "path"}
            assert declared == set(rule.arguments), rule.rule
    assert not described, f"described but not served: {sorted(described)}"


def test_every_write_has_a_body_and_every_operation_its_errors(document):
    for (path, method), op in _operations(document).items():
        responses = op["responses"]
        assert "401" in responses, path
        assert any(code.startswith("2") for code in responses), path
        if method in ("POST", "PUT", "PATCH"):
            schema = op["requestBody"]["content"]["application/json"]["schema"]
            assert schema, path
            for code in ("400", "403", "409", "422"):
                assert code in responses, (method, path, code)
        if "{case_id}" in path:
            assert "404" in responses, path


def test_refs_resolve_and_ids_are_unique(document):
    def walk(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if ref is not None:
                target: Any = document
                for part in ref.removeprefix("#/").split("/"):
                    target = target[part]
                assert target, ref
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)
    ids = [op["operationId"] for op in _operations(document).values()]
    assert len(ids) == len(set(ids))
    assert document["openapi"].startswith("3.1")
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert document["security"] == [{"bearerAuth": []}]


def test_body_schemas_are_the_forms_fields(app, document):
    """A field added to a form appears in the description without anyone writing it."""
    schemas = document["components"]["schemas"]
    for form_class in set(FORM_BODIES.values()):
        form = form_class(meta={"csrf": False}, formdata=None)
        fields = {name for name, f in form._fields.items() if f.type not in ("MultipleFileField",)}
        assert set(schemas[form_class.__name__]["properties"]) == fields, form_class
    report = schemas["Report"]
    assert {"description", "unit_id", "persons", "case_type"} <= set(report["properties"])
    assert "description" in report["required"]
    assert report["properties"]["description"]["maxLength"] == 20000
    person = report["properties"]["persons"]["items"]
    assert set(person["properties"]) == {"name", "personnummer", "description"}


def test_every_trigger_has_its_data_schema(document):
    transition = document["components"]["schemas"]["Transition"]
    triggers = {s.trigger for t in registered_types() for s in flow_for(t).steps}
    assert set(transition["properties"]["trigger"]["enum"]) == triggers
    by_trigger = {v["properties"]["trigger"]["const"]: v for v in transition["oneOf"]}
    assert set(by_trigger) == triggers
    close = by_trigger["close"]["properties"]["data"]
    # A complaint closes with its own form (the feedback is its answer, recorded before).
    assert close == {
        "anyOf": [
            {"$ref": "#/components/schemas/CloseComplaintForm"},
            {"$ref": "#/components/schemas/CloseForm"},
        ]
    }
    schemas = document["components"]["schemas"]
    # The feedback to the reporter is its own step (POST /cases/{id}/feedback, rev. 2).
    assert set(schemas["CloseForm"]["required"]) == {"person_informed"}


def test_error_schema_matches_a_real_error(api, world, document):
    error = document["components"]["schemas"]["Error"]
    response = api.post(world.reporter, "cases", {"description": ""})
    assert response.status_code == 422
    body = error_of(response)
    assert set(error["properties"]["error"]["required"]) == set(body)
    assert body["fields"]
    for code in ("401", "403", "404", "409", "422"):
        ref = document["components"]["responses"][code]["content"]["application/json"]
        assert ref["schema"] == {"$ref": "#/components/schemas/Error"}


def test_the_description_needs_a_token_and_holds_no_case_content(api, session, world):
    case = new_case_of(session, world, "lex_sarah", description="Kalle Unik föll 17:42.")
    response = api.get(None, "openapi.json")
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthorized"
    # Any role may read it, the admin too: it describes, it does not show.
    for user in world.users().values():
        response = api.get(user, "openapi.json")
        assert response.status_code == 200, user.email
        text = response.get_data(as_text=True)
        for secret in ("Kalle Unik", case.reference, "19121212", world.reporter.email):
            assert secret not in text


def test_every_operation_has_a_fuzz_target(session, world, document):
    """tests/fuzz can only prove what it reaches: a new endpoint needs a target in targets.py."""
    ids = {op["operationId"] for op in _operations(document).values()}
    assert ids == set(api_targets(session, world))
