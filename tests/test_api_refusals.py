"""Refused requests answer 403/409/422 in JSON and leave the case exactly as it was."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.api_client import Api, error_of
from tests.factories import FILING, MEASURES, action_for, case_in, investigation_data


@pytest.fixture
def api(client, session):
    return Api(client, session)


def refused(api, case, response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_json()
    error = error_of(response)
    assert error["code"] == code
    return error


@pytest.fixture
def unchanged(api):
    """Asserts after the test's request that state, version and history are as before."""
    seen = {}

    def remember(case):
        seen[case.id] = api.snapshot(case.id)
        return case

    yield remember
    for case_id, before in seen.items():
        assert api.snapshot(case_id) == before


@pytest.mark.parametrize(
    ("state", "who", "trigger", "data"),
    [
        ("under_investigation", "sas", "record_filing", FILING),
        ("submitted", "sas", "close", {}),
        ("awaiting_filing", "chair", "approve_filing", {"motivation": "Igen."}),
        ("closed", "sas", "complete_investigation", {}),
    ],
)
def test_wrong_state_is_409(api, session, world, unchanged, state, who, trigger, data):
    case = unchanged(case_in(session, world, state))
    error = refused(
        api, case, api.fire(getattr(world, who), case.id, trigger, data), 409, "wrong_state"
    )
    assert "status" in error["message"]


@pytest.mark.parametrize(
    ("state", "who", "trigger", "data"),
    [
        ("submitted", "manager", "start_investigation", {}),
        ("submitted", "reporter", "record_immediate_measures", MEASURES),
        ("awaiting_decision", "sas", "approve_filing", {"motivation": "Själv."}),
        ("awaiting_decision", "manager", "approve_filing", {"motivation": "Själv."}),
        ("awaiting_filing", "chair", "record_filing", FILING),
        ("submitted", "other_manager", "record_immediate_measures", MEASURES),
        ("submitted", "admin", "start_investigation", {}),
        ("submitted", "mas", "start_investigation", {}),
    ],
)
def test_wrong_role_is_403(api, session, world, unchanged, state, who, trigger, data):
    case = unchanged(case_in(session, world, state))
    refused(api, case, api.fire(getattr(world, who), case.id, trigger, data), 403, "forbidden")


def test_the_other_units_manager_can_do_nothing(api, session, world, unchanged):
    case = unchanged(case_in(session, world, "under_investigation"))
    action = action_for(session, world, case)
    session.flush()
    unchanged(case)
    other = world.other_manager
    refused(api, case, api.get(other, f"cases/{case.id}"), 403, "forbidden")
    refused(
        api, case, api.fire(other, case.id, "record_immediate_measures", MEASURES), 403, "forbidden"
    )
    refused(
        api,
        case,
        api.post(
            other,
            f"cases/{case.id}/actions",
            {"description": "x", "owner_id": other.id, "due_on": "2030-01-01"},
        ),
        403,
        "forbidden",
    )
    refused(
        api,
        case,
        api.patch(
            other,
            f"cases/{case.id}/actions/{action.id}",
            {"status": "handed_over", "handed_over_note": "Min plan."},
        ),
        403,
        "forbidden",
    )


@pytest.mark.parametrize(
    ("state", "who", "trigger", "data", "fields"),
    [
        ("submitted", "manager", "record_immediate_measures", {}, {"measures", "taken_at"}),
        (
            "submitted",
            "manager",
            "record_immediate_measures",
            {"none_needed": True},
            {"none_needed_reason"},
        ),
        ("awaiting_decision", "chair", "approve_filing", {}, {"motivation"}),
        ("awaiting_decision", "chair", "decline_filing", {"motivation": "Nej."}, {"decider_grade"}),
        ("awaiting_decision", "chair", "return_to_investigator", {}, {"comment"}),
        ("awaiting_filing", "sas", "record_filing", {"channel": "email"}, {"filed_on", "channel"}),
        (
            "under_investigation",
            "sas",
            "complete_investigation",
            {},
            {"what_happened", "severity", "proposed_grade", "event_types"},
        ),
        (
            "under_investigation",
            "sas",
            "propose_early_filing",
            {"proposed_grade": "misconduct"},
            {"proposed_grade", "grade_motivation"},
        ),
    ],
)
def test_missing_data_is_422_with_field_errors(
    api, session, world, unchanged, state, who, trigger, data, fields
):
    case = unchanged(case_in(session, world, state))
    error = refused(
        api, case, api.fire(getattr(world, who), case.id, trigger, data), 422, "invalid_data"
    )
    assert fields <= set(error["fields"])
    assert all(isinstance(m, str) and m for v in error["fields"].values() for m in v)


def test_measures_first_before_completing(api, session, world, unchanged):
    case = case_in(session, world, "submitted")
    api.fire(world.sas, case.id, "start_investigation")
    api.put(world.sas, f"cases/{case.id}/investigation", investigation_data())
    unchanged(case)
    error = refused(
        api, case, api.fire(world.sas, case.id, "complete_investigation"), 422, "invalid_data"
    )
    assert set(error["fields"]) == {"immediate_measures"}


def test_stale_version_is_409(api, session, world, unchanged):
    case = unchanged(case_in(session, world, "awaiting_investigation"))
    response = api.fire(
        world.sas, case.id, "start_investigation", expected_version=case.version - 1
    )
    error = refused(api, case, response, 409, "stale_version")
    assert "ändrats" in error["message"]


def test_the_version_a_client_read_is_the_one_to_send(api, session, world):
    case = case_in(session, world, "awaiting_investigation")
    version = api.get(world.sas, f"cases/{case.id}").get_json()["version"]
    assert (
        api.fire(world.sas, case.id, "start_investigation", expected_version=version).status_code
        == 200
    )
    # A second client still holding the old version is refused.
    assert (
        api.put(
            world.sas,
            f"cases/{case.id}/investigation",
            {**investigation_data(), "expected_version": version},
        ).status_code
        == 409
    )


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"data": {}}, "trigger", "invalid_data"),
        ({"trigger": "  "}, "trigger", "invalid_data"),
        ({"trigger": 7}, "trigger", "invalid_data"),
        ({"trigger": "start_investigation", "data": ["x"]}, "data", "invalid_data"),
        (
            {"trigger": "start_investigation", "expected_version": "3"},
            "expected_version",
            "invalid_data",
        ),
        (
            {"trigger": "start_investigation", "expected_version": True},
            "expected_version",
            "invalid_data",
        ),
        ({"trigger": "start_investigation", "comment": 5}, "comment", "invalid_data"),
    ],
)
def test_malformed_transition_is_422(api, session, world, unchanged, body, field, code):
    case = unchanged(case_in(session, world, "submitted"))
    error = refused(api, case, api.post(world.sas, f"cases/{case.id}/transitions", body), 422, code)
    assert field in error["fields"]


def test_unknown_trigger_is_422(api, session, world, unchanged):
    case = unchanged(case_in(session, world, "submitted"))
    refused(api, case, api.fire(world.sas, case.id, "approve_everything"), 422, "unknown_trigger")


def test_reclassified_case_starts_over_in_its_own_machine(api, session, world):
    case = case_in(session, world, "reclassified")
    successor = case.successor_case
    assert successor.case_type == "deviation"
    refused(api, successor, api.fire(world.sas, successor.id, "close"), 403, "forbidden")
    refused(api, successor, api.fire(world.manager, successor.id, "close"), 409, "wrong_state")
    detail = api.get(world.manager, f"cases/{successor.id}").get_json()
    assert detail["available_triggers"] == ["assess"]


# --- the record endpoints -------------------------------------------------------------------


def test_investigation_refusals(api, session, world, unchanged):
    submitted = unchanged(case_in(session, world, "submitted"))
    refused(
        api,
        submitted,
        api.put(world.sas, f"cases/{submitted.id}/investigation", investigation_data()),
        409,
        "wrong_state",
    )
    case = unchanged(case_in(session, world, "under_investigation"))
    refused(
        api,
        case,
        api.put(world.manager, f"cases/{case.id}/investigation", investigation_data()),
        403,
        "forbidden",
    )
    refused(
        api,
        case,
        api.put(
            world.sas,
            f"cases/{case.id}/investigation",
            {**investigation_data(), "expected_version": case.version + 1},
        ),
        409,
        "stale_version",
    )
    error = refused(
        api,
        case,
        api.put(
            world.sas,
            f"cases/{case.id}/investigation",
            investigation_data(severity="9", cause_areas=["luck"]),
        ),
        422,
        "invalid_data",
    )
    assert {"severity", "cause_areas"} <= set(error["fields"])


def test_action_refusals(api, session, world, unchanged):
    case = case_in(session, world, "under_investigation")
    action = action_for(session, world, case)
    other = case_in(session, world, "under_investigation")
    session.flush()
    unchanged(case)
    unchanged(other)
    due = (date.today() + timedelta(days=7)).isoformat()
    refused(
        api,
        case,
        api.post(
            world.manager,
            f"cases/{case.id}/actions",
            {"description": "x", "owner_id": world.manager.id, "due_on": due},
        ),
        403,
        "forbidden",
    )
    error = refused(
        api,
        case,
        api.post(
            world.sas,
            f"cases/{case.id}/actions",
            {"description": "x", "owner_id": 999999, "due_on": due},
        ),
        422,
        "invalid_data",
    )
    assert "owner_id" in error["fields"]
    error = refused(
        api, case, api.post(world.sas, f"cases/{case.id}/actions", {}), 422, "invalid_data"
    )
    assert {"description", "owner_id", "due_on"} <= set(error["fields"])
    # An action is reached through its own case only.
    refused(
        api,
        other,
        api.patch(
            world.sas,
            f"cases/{other.id}/actions/{action.id}",
            {"status": "handed_over", "handed_over_note": "Plan."},
        ),
        404,
        "not_found",
    )
    error = refused(
        api,
        case,
        api.patch(world.manager, f"cases/{case.id}/actions/{action.id}", {"status": "completed"}),
        422,
        "invalid_data",
    )
    assert {"completed_on", "effect_achieved"} <= set(error["fields"])
    refused(
        api,
        case,
        api.patch(
            world.reporter,
            f"cases/{case.id}/actions/{action.id}",
            {"status": "handed_over", "handed_over_note": "Plan."},
        ),
        403,
        "forbidden",
    )


def test_action_owner_who_cannot_see_the_case_gets_only_the_action(api, session, world):
    case = case_in(session, world, "under_investigation")
    from workflows.records import add_action

    action = add_action(
        session,
        case,
        world.sas,
        {
            "description": "Se över larmen.",
            "owner_id": world.manager.id,
            "due_on": (date.today() + timedelta(days=7)).isoformat(),
        },
    )
    # Owners are chosen among those who can act on the case (permissions.may_own_actions); one
    # who has since moved to another unit still owns the action and reports on it.
    action.owner_id = world.other_manager.id
    session.flush()
    response = api.patch(
        world.other_manager,
        f"cases/{case.id}/actions/{action.id}",
        {"status": "handed_over", "handed_over_note": "Lindens plan."},
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["action"]["status"] == "handed_over"
    assert body["case"] is None


def test_investigation_sent_needs_an_early_filed_case(api, session, world, unchanged):
    case = unchanged(case_in(session, world, "filed"))
    refused(
        api,
        case,
        api.post(
            world.sas, f"cases/{case.id}/investigation-sent", {"sent_on": date.today().isoformat()}
        ),
        409,
        "wrong_state",
    )
    refused(
        api,
        case,
        api.post(
            world.chair,
            f"cases/{case.id}/investigation-sent",
            {"sent_on": date.today().isoformat()},
        ),
        403,
        "forbidden",
    )
