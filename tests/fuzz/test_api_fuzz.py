"""Every operation of the OpenAPI description, as the user whose role runs it, fed wrong types,
missing and unknown fields, hostile and oversized text, huge numbers, nesting and broken JSON:
never a 500, always a JSON error that says what is wrong (and which field, for a 422)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.api_client import Api

from .strategies import (
    MEGABYTE,
    json_values,
    malformed_bodies,
    mutated,
    nested,
    query_values,
)
from .support import FEW, FUZZ, assert_api_answer, dumps, rolled_back
from .targets import Target, api_targets

WRITES = ("POST", "PUT", "PATCH")
# Fields a body may carry besides the target's own valid ones.
OPTIONAL_KEYS = {"create_case": ("case_type", "report_kind", "medical_device")}


@pytest.fixture
def api(client, session):
    return Api(client, session)


@pytest.fixture
def targets(api, session, world) -> dict[str, Target]:
    found = api_targets(session, world)
    for target in found.values():
        api.token(target.user)  # issued outside the per-example savepoints, so they stay
    return found


def send(api: Api, target: Target, body: Any = None, **kwargs: Any):  # type: ignore[no-untyped-def]
    if body is not None:
        kwargs.update(data=dumps(body), content_type="application/json")
    return api.request(target.method, target.user, target.path, **kwargs)


def writes(targets: dict[str, Target]) -> dict[str, Target]:
    return {name: t for name, t in targets.items() if t.method in WRITES}


def test_spoiled_bodies(api, session, targets):
    # The baseline first: unspoiled, each target succeeds, so a refusal below is the spoiling's.
    for name, target in targets.items():
        with rolled_back(session):
            response = send(api, target, target.body, query_string=target.query)
        assert response.status_code in (200, 201), (name, response.get_data(as_text=True))
    for name, target in writes(targets).items():
        spoiled_bodies(api, session, name, target)()

    persons = targets["create_case"]

    @FEW
    @given(value=st.one_of(st.lists(json_values(), max_size=12), json_values()))
    def spoiled_persons(value: Any) -> None:
        with rolled_back(session):
            body = {**(persons.body or {}), "persons": value}
            assert_api_answer(send(api, persons, body), value)

    spoiled_persons()


def spoiled_bodies(api: Api, session: Any, name: str, target: Target) -> Any:
    @FUZZ
    @given(body=mutated(target.body or {}, OPTIONAL_KEYS.get(name, ())))
    def run(body: dict[str, Any]) -> None:
        with rolled_back(session):
            assert_api_answer(send(api, target, body), (name, body))

    return run


def test_malformed_nested_and_oversized_bodies(api, session, targets):
    content_types = ["application/json", "text/plain", "application/x-www-form-urlencoded", None]

    @FUZZ
    @given(
        target=st.sampled_from(list(writes(targets).values())),
        raw=malformed_bodies(),
        content_type=st.sampled_from(content_types),
    )
    def malformed(target: Target, raw: bytes, content_type: str | None) -> None:
        with rolled_back(session):
            response = api.request(
                target.method, target.user, target.path, data=raw, content_type=content_type
            )
        assert_api_answer(response, (target.path, raw[:80]))
        if response.status_code < 400:
            # Only an empty body (taken as {}) or a JSON object gets past json_body.
            assert not raw.strip() or raw.lstrip(b"\xef\xbb\xbf").lstrip().startswith(b"{")

    malformed()

    for name, target in writes(targets).items():
        valid = target.body or {}
        # Nesting: refused as a whole, whichever field holds it.
        for key in sorted({*valid, "data"}):
            for depth in (12, 900):
                with rolled_back(session):
                    response = send(api, target, {**valid, key: nested(depth)})
                assert_api_answer(response, (name, key, depth))
                assert response.status_code == 400, (name, key, depth)
        # A megabyte in every text field at once: each is named in the 422.
        texts = [k for k, v in valid.items() if isinstance(v, str)]
        for fill in (MEGABYTE, [MEGABYTE], {"x": MEGABYTE}):
            with rolled_back(session):
                response = send(api, target, {**valid, **dict.fromkeys(texts, fill)})
            error = assert_api_answer(response, (name, str(fill)[:20]))
            if texts and fill is MEGABYTE:
                assert response.status_code == 422, (name, response.status_code)
                # A form names each field; a transition stops at the first (its comment).
                assert set(texts) & set(error["error"]["fields"]), (name, error)


def test_query_strings_and_path_ids(api, session, targets):
    names = sorted(targets)
    keys = ["page", "per_page", "type", "state", "unit_id", "unit", "number", "year", "q"]
    values = query_values()

    @FUZZ
    @given(
        name=st.sampled_from(names),
        query=st.lists(st.tuples(st.sampled_from(keys), values), max_size=4),
    )
    def run(name: str, query: list[tuple[str, str]]) -> None:
        target = targets[name]
        with rolled_back(session):
            response = api.request(
                target.method, target.user, target.path, query_string=query, json=target.body
            )
        assert_api_answer(response, (name, query))

    run()
    for target in targets.values():
        if "/cases/" not in target.path:
            continue
        for bad in ("0", str(2**31), str(2**63), str(2**64), "9" * 5000, "²", "١"):
            path = re.sub(r"/cases/\d+", f"/cases/{bad}", target.path, count=1)
            response = api.request(target.method, target.user, path, json=target.body)
            assert_api_answer(response, path)
            # Arabic-Indic digits are digits to the router: case 1, whatever it is.
            assert response.status_code == 404 or bad == "١", (path, response.status_code)
    allowed: dict[str, set[str]] = {}
    for target in targets.values():
        allowed.setdefault(target.path, set()).add(target.method)
    for target in targets.values():
        for method in {"GET", "POST", "PUT", "PATCH", "DELETE"} - allowed[target.path]:
            response = api.request(method, target.user, target.path, json={})
            assert response.status_code == 405, (method, target.path)
            assert_api_answer(response, (method, target.path))


def test_control_characters_and_huge_numbers_are_422(api, session, targets):
    """PostgreSQL refuses NUL in text; SQLite takes it; a lone surrogate fails on both, and so
    does an integer past 64 bits on SQLite. Both databases must answer the same clear 422,
    naming the field, before anything is stored."""
    document = api.get(targets["openapi_document"].user, "openapi.json").get_json()
    schemas = document["components"]["schemas"]
    bodies = {
        "create_case": schemas["Report"],
        "save_investigation": schemas["InvestigationForm"],
        "add_action": schemas["ActionForm"],
        "update_action": schemas["ActionUpdateForm"],
        "record_patient_information": schemas["PatientInformationForm"],
        "investigation_sent": schemas["InvestigationSentForm"],
        "record_medical_device_report": schemas["MedicalDeviceReportForm"],
        "add_co_investigator": schemas["CoInvestigatorForm"],
    }
    for name, schema in bodies.items():
        target = targets[name]
        for field, prop in schema["properties"].items():
            kinds = _types(prop)
            if "string" in kinds or "enum" in prop:
                spoiled = ("före\x00efter", "\ud800", "a\x1bb")
            elif "integer" in kinds:
                spoiled = (2**63, -(2**64), 10**30)
            else:
                continue
            for bad in spoiled:
                with rolled_back(session):
                    response = send(api, target, {**(target.body or {}), field: bad})
                error = assert_api_answer(response, (name, field, bad))["error"]
                assert response.status_code == 422, (name, field, bad, error)
                assert field in error["fields"], (name, field, error)
    transition = targets["fire_transition"]
    for body in (
        {**(transition.body or {}), "comment": "a\x00b"},
        {**(transition.body or {}), "comment": MEGABYTE},
        {"trigger": "complete\x00_investigation"},
        {"trigger": "x" * 100_000},
    ):
        with rolled_back(session):
            response = send(api, transition, body)
        error = assert_api_answer(response, body)["error"]
        assert response.status_code == 422, (body, error)


def _types(prop: dict[str, Any]) -> list[str]:
    kind = prop.get("type", [])
    return [kind] if isinstance(kind, str) else list(kind)


def test_numbers_past_any_id_in_query_strings(api, session, targets):
    listing, document = targets["list_cases"], targets["case_document"]
    for bad in ("99999999999999999999", "²", "9" * 5000, "-1", "0"):
        for key in ("page", "per_page", "unit_id"):
            if key == "unit_id" and bad == "0":
                continue  # a unit id like any other: no unit has it, so no case is listed
            response = api.get(listing.user, listing.path, query_string={key: bad})
            error = assert_api_answer(response, (key, bad))["error"]
            assert response.status_code == 422, (key, bad)
            assert key in error["fields"]
        response = api.get(document.user, document.path, query_string={"number": bad})
        assert response.status_code == 404, bad
        assert_api_answer(response, bad)
