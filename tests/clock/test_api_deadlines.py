"""GET /api/v1/cases/<id>/deadlines: kind, due time, status, responsible, rule version and legal
basis — for those who may see the case's status."""

from __future__ import annotations

import pytest

from tests.api_client import Api
from tests.clock.support import Clock, local
from tests.factories import case_in, new_case
from workflows.policy import current_policy, new_policy_version
from workflows.sweep import sweep


@pytest.fixture
def api(client, session):
    return Api(client, session)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, local(2026, 12, 7, 9, 0))


def test_the_deadlines_of_a_case(api, session, world, clock):
    case = case_in(session, world, "under_investigation")
    sweep(session, local(2026, 12, 9, 9, 0))
    response = api.get(world.sas, f"cases/{case.id}/deadlines")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["reference"] == case.reference
    by_kind = {d["kind"]: d for d in body["items"]}
    assert set(by_kind) == {"immediate_measures", "investigation_start", "investigation_complete"}
    complete = by_kind["investigation_complete"]
    assert complete["due_at"] == "2027-01-18T08:00:00Z"
    assert (complete["status"], complete["overdue"], complete["late"]) == ("open", False, False)
    assert complete["responsible"] == {
        "role": "sas",
        "role_label": "SAS",
        "user": {"id": world.sas.id, "name": world.sas.name},
    }
    assert complete["rule"]["version"] == current_policy(session).version
    assert complete["rule"]["basis_kind"] == "local_routine"
    assert "SOSFS 2011:5" in complete["rule"]["legal_basis"]
    assert complete["rule"]["duration"] == {"value": 42, "unit": "calendar_days"}
    assert by_kind["immediate_measures"]["status"] == "met"
    # Sorted by due time.
    assert [d["due_at"] for d in body["items"]] == sorted(d["due_at"] for d in body["items"])


def test_overdue_and_escalated_deadlines_show_as_such(api, session, world, clock):
    case = new_case(session, world)
    assert api.get(world.sas, f"cases/{case.id}/deadlines").get_json()["overdue"] is False
    sweep(session, clock.set(local(2026, 12, 8, 9, 30)))
    body = api.get(world.sas, f"cases/{case.id}/deadlines").get_json()
    assert body["overdue"] is True
    items = {d["kind"]: d for d in body["items"]}
    measures = items["immediate_measures"]
    assert (measures["status"], measures["escalation_level"], measures["overdue"]) == (
        "escalated",
        1,
        True,
    )
    assert measures["status_label"] == "Eskalerad"


def test_a_new_policy_version_shows_on_new_deadlines_only(api, session, world, clock):
    now = current_policy(session).version
    old = new_case(session, world)
    new_policy_version(
        session, world.admin, {("investigation_start", "lex_sarah"): {"duration_value": 1}}
    )
    new = new_case(session, world)

    def version(case):  # type: ignore[no-untyped-def]
        items = api.get(world.sas, f"cases/{case.id}/deadlines").get_json()["items"]
        return {d["kind"]: d["rule"]["version"] for d in items}

    assert version(old) == {"immediate_measures": now, "investigation_start": now}
    assert version(new) == {"immediate_measures": now + 1, "investigation_start": now + 1}


def test_who_may_see_them(api, session, world, clock):
    case = new_case(session, world)
    path = f"cases/{case.id}/deadlines"
    for user in (world.sas, world.manager, world.area_manager):
        assert api.get(user, path).status_code == 200, user.email
    # The reporter sees the status of their report, not who handles it.
    mine = api.get(world.reporter, path).get_json()["items"]
    assert {d["responsible"]["user"] for d in mine} == {None}
    for user in (
        world.other_reporter,
        world.other_manager,
        world.admin,
        world.log_reviewer,
        world.mas,
    ):
        response = api.get(user, path)
        assert response.status_code == 403, user.email
        assert response.get_json()["error"]["code"]
    assert api.get(None, path).status_code == 401
    assert api.get(world.sas, "cases/999999/deadlines").status_code == 404
