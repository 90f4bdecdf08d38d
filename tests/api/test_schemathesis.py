"""Schemathesis against the API's own description, in-process through WSGI (the test client),
as two roles (an SAS, who may do most, and a reporter, who may do least): for every operation a
bounded number of generated requests, valid and invalid, and for each answer no server error,
a status the description lists, and a body its schema accepts.

Generated ids would almost never name a row, so the description it reads (a copy) offers the ids
of real cases and actions, and their real versions, as the only values of those parameters; the
contract itself is unchanged. Each example runs in a savepoint that is rolled back, so examples do
not see each other's writes, and the test's own transaction (the app fixture) is rolled back at
its end: nothing is committed to the database, which a second connection confirms.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
import schemathesis
from flask import current_app
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import func, select

from app.models import Action, Case, Unit
from tests.api_client import Api
from tests.factories import case_of
from tests.fuzz.support import SCALE, rolled_back
from tests.fuzz.targets import api_targets

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Examples per operation, role and mode: 19 operations × 2 roles × (8 + 4) stays under a
# minute on one core. LEXFLODE_FUZZ_SCALE=10 runs ten times as many.
EXAMPLES = {GenerationMode.POSITIVE: 8 * SCALE, GenerationMode.NEGATIVE: 4 * SCALE}


@pytest.fixture
def api(client, session):
    return Api(client, session)


def narrowed(document: dict[str, Any], session) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The description with real ids and versions as the only values of those parameters."""
    document = copy.deepcopy(document)
    cases = session.execute(select(Case.id, Case.version)).all()
    actions = sorted(session.scalars(select(Action.id)))
    values = {
        "case_id": {"enum": sorted(c.id for c in cases)},
        "action_id": {"enum": actions},
    }
    for methods in document["paths"].values():
        for operation in methods.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] in values:
                    parameter["schema"] = values[parameter["name"]]
    units = sorted(session.scalars(select(Unit.id).where(Unit.active.is_(True))))
    document["components"]["schemas"]["Report"]["properties"]["unit_id"] = {"enum": units}
    versions = {"enum": sorted({c.version for c in cases})}
    for schema in document["components"]["schemas"].values():
        if "expected_version" in schema.get("properties", {}):
            schema["properties"]["expected_version"] = versions
    return document


def test_schemathesis_finds_no_server_error_and_no_schema_violation(app, api, session, world):
    # Real rows of every kind the operations read and write.
    targets = api_targets(session, world)
    case_of(session, world, "deviation", "escalated")
    case_of(session, world, "lex_maria", "closed", medical_device=True)
    session.flush()
    roles = {"sas": world.sas, "reporter": world.reporter}
    headers = {name: {"Authorization": f"Bearer {api.token(user)}"} for name, user in roles.items()}
    session.flush()
    before = session.scalar(select(func.count()).select_from(Case))
    document = api.get(world.sas, "openapi.json").get_json()
    schema = schemathesis.openapi.from_dict(narrowed(document, session))
    client = app.test_client()

    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.definition.raw["operationId"] for op in operations} == set(targets)
    found: dict[str, str] = {}
    calls = 0
    for operation in operations:
        for mode, examples in EXAMPLES.items():
            for role, auth in headers.items():
                label = f"{operation.label} [{mode.value}, {role}]"
                calls += exercise(client, session, operation, mode, examples, auth, label, found)
    assert not found, "\n\n".join(f"{k}:\n{v}" for k, v in found.items())
    assert calls >= len(operations) * len(headers) * 2
    # Nothing any example wrote is left, in this transaction or outside it.
    assert session.scalar(select(func.count()).select_from(Case)) == before
    engine = current_app.extensions["lexflode_engine"]
    with engine.connect() as outside:
        assert outside.scalar(select(func.count()).select_from(Case)) == 0


def exercise(  # type: ignore[no-untyped-def]
    client, session, operation, mode: GenerationMode, examples: int, auth, label: str, found
) -> int:
    """Runs the examples of one operation, mode and role; what fails is kept in ``found`` (the
    first failure of each), so that one run reports every operation that fails."""
    calls = 0

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: schemathesis.Case) -> None:
        nonlocal calls
        calls += 1
        with rolled_back(session):
            try:
                case.call_and_validate(session=client, app=current_app, headers=auth, checks=CHECKS)
            # One failed check is an AssertionError, several a group of them.
            except (AssertionError, BaseExceptionGroup) as failure:
                found.setdefault(label, _described(failure))

    run()
    return calls


def _described(failure: BaseException) -> str:
    parts = [str(failure)]
    if isinstance(failure, BaseExceptionGroup):
        parts += [str(e) for e in failure.exceptions]
    return "\n".join(parts)[:3000]
