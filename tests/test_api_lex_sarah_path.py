"""A lex Sarah case walked end to end through the API alone, by the people who would do it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.models import Case
from tests.api_client import Api
from tests.factories import CLOSE, FEEDBACK, FILING, MEASURES, investigation_data, report_data

TODAY = date.today().isoformat()


@pytest.fixture
def api(client, session):
    return Api(client, session)


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.get_json()
    return response.get_json()


def step(api, user, case_id, trigger, data=None, **extra) -> dict:
    body = ok(api.fire(user, case_id, trigger, data, **extra))
    assert body["event"]["trigger"] == trigger
    assert body["event"]["to_state"] == body["case"]["state"]
    assert api.snapshot(case_id)[:2] == (body["case"]["state"], body["case"]["version"])
    return body["case"]


def test_whole_path(api, session, world):
    case = ok(api.post(world.reporter, "cases", report_data(world.solgarden)), 201)
    case_id = case["id"]
    assert case["state"] == "submitted"

    case = step(api, world.manager, case_id, "record_immediate_measures", MEASURES)
    assert case["state"] == "awaiting_investigation"
    assert case["immediate_measures"]["measures"] == MEASURES["measures"]

    case = step(api, world.sas, case_id, "start_investigation", expected_version=case["version"])
    assert case["state"] == "under_investigation"
    assert case["investigator"]["id"] == world.sas.id
    assert case["investigation"]["writable"] is True

    body = ok(
        api.put(
            world.sas,
            f"cases/{case_id}/investigation",
            {**investigation_data(), "expected_version": case["version"]},
        )
    )
    case = body["case"]
    assert case["state"] == "under_investigation"
    assert case["investigation"]["severity"] == 3
    assert case["investigation"]["person_informed"] == "yes"
    assert case["investigation"]["item_authors"]["what_happened"]["name"] == world.sas.name

    due = (date.today() + timedelta(days=30)).isoformat()
    body = ok(
        api.post(
            world.sas,
            f"cases/{case_id}/actions",
            {
                "description": "Ny tillsynsrutin på APT.",
                "owner_id": world.manager.id,
                "due_on": due,
            },
        ),
        201,
    )
    action = body["action"]
    assert action["status"] == "planned"
    assert action["due_on"] == due
    assert body["case"]["actions"] == [action]

    case = step(api, world.sas, case_id, "complete_investigation")
    assert case["state"] == "awaiting_decision"
    assert case["investigation"]["locked"] is True

    case = step(
        api, world.chair, case_id, "approve_filing", {"motivation": "Allvarligt missförhållande."}
    )
    assert case["state"] == "awaiting_filing"
    assert case["decisions"][0]["decider"]["id"] == world.chair.id

    case = step(api, world.sas, case_id, "record_filing", FILING)
    assert case["state"] == "filed"
    assert case["filings"][0]["own_case_number"] == "SN 2026/12"
    assert case["obligations"] == []

    case = step(
        api,
        world.sas,
        case_id,
        "record_ivo_response",
        {
            "received_on": TODAY,
            "outcome": "closed_duty_fulfilled",
            "text": "Avslutat.",
            "ivo_case_number": "3.5.1-12345/2026",
        },
    )
    assert case["state"] == "follow_up"
    assert case["filings"][0]["ivo_case_number"] == "3.5.1-12345/2026"

    # The action's owner reports it done.
    body = ok(
        api.patch(
            world.manager,
            f"cases/{case_id}/actions/{action['id']}",
            {
                "status": "completed",
                "completed_on": TODAY,
                "effect_achieved": "yes",
                "effect_evaluation": "Tillsynen fungerar.",
            },
        )
    )
    assert body["action"]["status"] == "completed"
    assert body["case"]["state"] == "follow_up"

    # Closing checks that the reporter has had feedback; it is its own step (rev. 2).
    refused = api.fire(world.sas, case_id, "close", CLOSE)
    assert refused.status_code == 422
    assert set(refused.get_json()["error"]["fields"]) == {"feedback"}
    assert "record_feedback" in ok(api.get(world.sas, f"cases/{case_id}"))["available_records"]
    refused = api.post(world.reporter, f"cases/{case_id}/feedback", FEEDBACK)
    assert refused.status_code == 403
    given = ok(api.post(world.sas, f"cases/{case_id}/feedback", FEEDBACK), 201)
    assert given["feedback"]["feedback_text"] == FEEDBACK["feedback_text"]
    assert given["case"]["feedback"] == [given["feedback"]]
    case = step(api, world.sas, case_id, "close", CLOSE, comment="Klart.")
    assert case["state"] == "closed"
    assert case["closed_at"] is not None
    assert case["available_triggers"] == ["reopen"]

    events = ok(api.get(world.sas, f"cases/{case_id}/events"))["items"]
    assert [e["trigger"] for e in events] == [
        "submit",
        "record_immediate_measures",
        "start_investigation",
        "update_investigation",
        "add_action",
        "complete_investigation",
        "approve_filing",
        "record_filing",
        "record_ivo_response",
        "update_action",
        "record_feedback",
        "close",
    ]
    assert events[-1]["comment"] == "Klart."
    assert events[-1]["actor_role"] == "sas"

    # What the reporter gets back: the feedback, none of the investigation.
    mine = ok(api.get(world.reporter, f"cases/{case_id}"))
    assert mine["feedback"][0]["feedback_text"] == FEEDBACK["feedback_text"]
    assert "investigation" not in mine

    session.expire_all()
    assert session.get(Case, case_id).state == "closed"


def test_early_filing_path(api, session, world):
    case_id = ok(api.post(world.reporter, "cases", report_data(world.solgarden)), 201)["id"]
    step(api, world.manager, case_id, "record_immediate_measures", MEASURES)
    step(api, world.sas, case_id, "start_investigation")

    case = step(
        api,
        world.sas,
        case_id,
        "propose_early_filing",
        {"proposed_grade": "serious_misconduct", "grade_motivation": "Uppenbart allvarligt."},
    )
    assert case["state"] == "awaiting_decision"
    assert case["investigation"]["early_filing"] is True

    case = step(api, world.chair, case_id, "approve_filing", {"motivation": "Anmäls genast."})
    assert case["decisions"][0]["early"] is True
    case = step(api, world.sas, case_id, "record_filing", FILING)
    assert case["state"] == "filed"

    session.expire_all()
    received = session.get(Case, case_id).received_at
    [obligation] = case["obligations"]
    assert obligation["kind"] == "investigation_to_ivo"
    assert obligation["overdue"] is False
    assert obligation["due_at"][:10] > (received + timedelta(days=58)).date().isoformat()
    assert obligation["due_at"][:10] <= (received + timedelta(days=62)).date().isoformat()
    # Only those who see the filing see the obligation.
    assert "obligations" not in ok(api.get(world.manager, f"cases/{case_id}"))

    # The investigation goes on after the filing, then is sent.
    assert case["investigation"]["writable"] is True
    ok(api.put(world.sas, f"cases/{case_id}/investigation", investigation_data()))
    body = ok(api.post(world.sas, f"cases/{case_id}/investigation-sent", {"sent_on": TODAY}))
    case = body["case"]
    assert case["state"] == "filed"
    assert case["obligations"] == []
    assert case["investigation"]["sent_to_ivo_on"] == TODAY
    assert case["investigation"]["locked"] is True

    case = step(
        api,
        world.sas,
        case_id,
        "record_ivo_response",
        {"received_on": TODAY, "outcome": "closed_duty_fulfilled"},
    )
    assert case["state"] == "follow_up"
    ok(api.post(world.sas, f"cases/{case_id}/feedback", FEEDBACK), 201)
    case = step(api, world.sas, case_id, "close", CLOSE)
    assert case["state"] == "closed"

    triggers = [e["trigger"] for e in ok(api.get(world.sas, f"cases/{case_id}/events"))["items"]]
    assert triggers == [
        "submit",
        "record_immediate_measures",
        "start_investigation",
        "propose_early_filing",
        "approve_filing",
        "record_filing",
        "update_investigation",
        "record_investigation_sent",
        "record_ivo_response",
        "record_feedback",
        "close",
    ]


def test_early_filed_case_cannot_close_before_the_investigation_is_sent(api, session, world):
    case_id = ok(api.post(world.reporter, "cases", report_data(world.solgarden)), 201)["id"]
    step(api, world.manager, case_id, "record_immediate_measures", MEASURES)
    step(api, world.sas, case_id, "start_investigation")
    step(
        api,
        world.sas,
        case_id,
        "propose_early_filing",
        {"proposed_grade": "risk_of_serious_misconduct", "grade_motivation": "Risk."},
    )
    step(api, world.chair, case_id, "approve_filing", {"motivation": "Ja."})
    step(api, world.sas, case_id, "record_filing", FILING)
    step(
        api,
        world.sas,
        case_id,
        "record_ivo_response",
        {"received_on": TODAY, "outcome": "closed_duty_fulfilled"},
    )
    before = api.snapshot(case_id)
    response = api.fire(world.sas, case_id, "close", CLOSE)
    assert response.status_code == 422
    assert "investigation" in response.get_json()["error"]["fields"]
    assert api.snapshot(case_id) == before
    # Sending with gaps in the investigation is refused too.
    response = api.post(world.sas, f"cases/{case_id}/investigation-sent", {"sent_on": TODAY})
    assert response.status_code == 422
    assert "what_happened" in response.get_json()["error"]["fields"]
    assert api.snapshot(case_id) == before


def test_an_investigation_read_can_be_written_back(api, session, world):
    case_id = ok(api.post(world.reporter, "cases", report_data(world.solgarden)), 201)["id"]
    step(api, world.sas, case_id, "start_investigation")
    written = ok(api.put(world.sas, f"cases/{case_id}/investigation", investigation_data()))["case"]
    before = api.snapshot(case_id)
    read = ok(api.get(world.sas, f"cases/{case_id}"))["investigation"]
    again = ok(
        api.put(
            world.sas,
            f"cases/{case_id}/investigation",
            {**read, "expected_version": written["version"]},
        )
    )["case"]
    assert again["investigation"] == read
    # Nothing changed, so nothing was recorded.
    assert api.snapshot(case_id) == before
