"""Every operation's real answers, read against the description: the success of each (with real
cases of every type, as the role that runs it), and its refusals (no token, not allowed, no such
case, a stale version, an unknown field). An answer whose status the description does not list,
whose body its schema refuses, or which lacks a header it promises, fails."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.api_client import Api
from tests.factories import case_of
from tests.fuzz.support import rolled_back
from tests.fuzz.targets import Target, api_targets

from .spec import Spec


@pytest.fixture
def api(client, session):
    return Api(client, session)


@pytest.fixture
def spec(api, world) -> Spec:
    return Spec(api.get(world.reporter, "openapi.json").get_json())


def send(api: Api, target: Target, **overrides: Any):  # type: ignore[no-untyped-def]
    body = overrides.pop("body", target.body)
    user = overrides.pop("user", target.user)
    path = overrides.pop("path", target.path)
    kwargs: dict[str, Any] = {"query_string": target.query, **overrides}
    if body is not None:
        kwargs["json"] = body
    return api.request(target.method, user, path, **kwargs)


def test_every_operation_answers_as_described(api, session, world, spec):
    targets = api_targets(session, world)
    for target in targets.values():
        api.token(target.user)  # issued outside the savepoints below
    api.token(world.other_reporter)
    wrong: dict[str, list[str]] = {}

    def judge(name: str, target: Target, response: Any, expected: set[int]) -> None:
        assert response.status_code in expected, (name, response.status_code, response.data[:300])
        problems = spec.check(target.method, target.path, response)
        if problems:
            wrong[f"{name} {response.status_code}"] = problems

    for name, target in sorted(targets.items()):
        with rolled_back(session):
            judge(name, target, send(api, target), {200, 201})
        with rolled_back(session):
            judge(name, target, send(api, target, user=None), {401})
        if "/cases/" in target.path:
            missing = re.sub(r"/cases/\d+", "/cases/2000000000", target.path, count=1)
            with rolled_back(session):
                judge(name, target, send(api, target, path=missing), {404})
            with rolled_back(session):
                # A reporter who reported none of these cases sees none of them.
                judge(name, target, send(api, target, user=world.other_reporter), {403})
        if target.method in ("POST", "PUT", "PATCH"):
            spoiled = {**(target.body or {}), "place": "Matsalen"}
            with rolled_back(session):
                judge(name, target, send(api, target, body=spoiled), {422})
        if target.body and "expected_version" in target.body:
            stale = {**target.body, "expected_version": target.body["expected_version"] - 1}
            with rolled_back(session):
                judge(name, target, send(api, target, body=stale), {409})
            fresh = {k: v for k, v in target.body.items() if k != "expected_version"}
            with rolled_back(session):
                judge(name, target, send(api, target, body=fresh, versioned=False), {422})
            with rolled_back(session):
                response = send(api, target, body=fresh, headers={"If-Match": 'W/"1"'})
                judge(name, target, response, {412})
    assert not wrong, wrong


@pytest.mark.parametrize("case_type", ["lex_sarah", "lex_maria", "deviation"])
def test_a_case_of_every_type_and_state_reads_as_described(api, session, world, spec, case_type):
    """The case shapes vary most: every section, as the roles who see them."""
    states = {
        "lex_sarah": [
            "submitted",
            "under_investigation",
            "awaiting_decision",
            "filed",
            "closed",
            "reclassified",
        ],
        "lex_maria": ["submitted", "under_investigation", "closed", "reclassified"],
        "deviation": ["submitted", "escalated", "follow_up", "closed", "converted"],
    }[case_type]
    cases = [case_of(session, world, case_type, state) for state in states]
    if case_type == "lex_maria":
        cases.append(case_of(session, world, "lex_maria", "closed", medical_device=True))
    wrong = {}
    for case in cases:
        for user in world.users().values():
            for path in (
                f"cases/{case.id}",
                f"cases/{case.id}/events",
                f"cases/{case.id}/deadlines",
            ):
                response = api.get(user, path)
                if response.status_code == 403:
                    continue
                problems = spec.check("GET", f"/api/v1/{path}", response)
                if problems:
                    wrong[f"{case.case_type} {case.state} {user.email} {path}"] = problems
    for user in world.users().values():
        for path in ("cases?per_page=100", "units", "statistics"):
            response = api.get(user, path)
            problems = spec.check("GET", f"/api/v1/{path}", response)
            if problems:
                wrong[f"{user.email} {path}"] = problems
    assert not wrong, wrong


def test_every_answer_is_described_not_just_an_object(spec):
    """No success says only {"type": "object"}; every body closes its objects; every error
    answer is the Error schema; every write to a case says how it names its version."""
    document = spec.document
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            where = (method, path)
            successes = [c for c in operation["responses"] if c.startswith("2")]
            assert len(successes) == 1, where
            content = operation["responses"][successes[0]]["content"]
            if "application/json" in content:
                assert set(content["application/json"]["schema"]) == {"$ref"}, where
            for code in ("401", "429"):
                assert operation["responses"][code] == {"$ref": f"#/components/responses/{code}"}
            if method in ("post", "put", "patch") and "{case_id}" in path:
                assert "412" in operation["responses"], where
                assert any(p["name"] == "If-Match" for p in operation["parameters"]), where
                body = spec.resolve(
                    operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                )
                assert "expected_version" in body["properties"], where
                assert body["additionalProperties"] is False, where
            if method in ("post", "put", "patch"):
                assert "422" in operation["responses"], where
    for name, schema in document["components"]["schemas"].items():
        if schema.get("type") == "object" and "properties" in schema:
            assert schema.get("additionalProperties") is False, name
    for code, response in document["components"]["responses"].items():
        assert response["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }, code
