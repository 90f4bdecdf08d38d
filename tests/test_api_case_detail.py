"""GET /api/v1/cases/<id> and /events: the sections the caller may see, and nothing else."""

from __future__ import annotations

import pytest

from tests.api_client import Api, error_of
from tests.factories import action_for, case_in, new_case
from workflows.engine import fire
from workflows.feedback import record_feedback
from workflows.records import update_action

ALL = {
    "report",
    "persons",
    "immediate_measures",
    "investigator",
    "investigation",
    "actions",
    "decisions",
    "filings",
    "ivo_responses",
    "obligations",
    "feedback",
}


@pytest.fixture
def api(client, session):
    return Api(client, session)


@pytest.fixture
def closed(session, world):
    case = case_in(session, world, "follow_up")
    action = action_for(session, world, case)
    update_action(
        session,
        action,
        world.manager,
        {"status": "completed", "completed_on": "2026-01-10", "effect_achieved": "yes"},
    )
    record_feedback(
        session,
        case,
        world.sas,
        {
            "feedback_on": "2026-01-11",
            "feedback_channel": "direct",
            "feedback_text": "Tack, rutinen är ändrad.",
        },
    )
    fire(session, case, world.sas, "close", {"person_informed": "yes"})
    session.flush()
    return case


def detail(api, user, case) -> dict:
    case_id = case if isinstance(case, int) else case.id
    response = api.get(user, f"cases/{case_id}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_the_sas_sees_everything(api, world, closed):
    body = detail(api, world.sas, closed)
    assert set(body) >= ALL
    assert body["reference"] == closed.reference
    assert body["state"] == "closed"
    assert body["state_label"] == "Avslutad"
    assert body["version"] == closed.version
    assert body["received_at"].endswith("Z")
    assert body["available_triggers"] == ["reopen"]
    inv = body["investigation"]
    assert inv["proposed_grade"] == "serious_misconduct"
    assert inv["risk_score"] == 9
    assert inv["locked"] is True
    assert inv["writable"] is False
    assert set(inv["item_authors"]) >= {"what_happened", "grade_motivation"}
    assert inv["item_authors"]["what_happened"]["name"] == world.sas.name
    assert body["investigator"]["id"] == world.sas.id
    assert body["immediate_measures"]["measures"].startswith("Extra tillsyn")
    assert body["immediate_measures"]["taken_at"].endswith("Z")
    assert body["decisions"][0]["outcome"] == "approve_filing"
    assert body["decisions"][0]["decider"]["name"] == world.chair.name
    assert body["filings"][0]["channel"] == "e_service"
    assert body["ivo_responses"][0]["outcome"] == "closed_duty_fulfilled"
    assert body["actions"][0]["status"] == "completed"
    assert body["actions"][0]["completed_on"] == "2026-01-10"
    assert body["actions"][0]["owner"]["id"] == world.manager.id
    assert body["feedback"] == [
        {
            "id": closed.feedback[0].id,
            "feedback_on": "2026-01-11",
            "feedback_channel": "direct",
            "feedback_text": "Tack, rutinen är ändrad.",
            "recorded_at": body["feedback"][0]["recorded_at"],
        }
    ]
    assert body["closures"] == [{"closed_at": body["closed_at"], "person_informed": "yes"}]
    assert body["obligations"] == []
    assert body["persons"][0]["personnummer"] == "19121212-1212"
    assert body["links"] == {
        "origin": None,
        "successor": None,
        "related": None,
        "events": f"/api/v1/cases/{closed.id}/events",
    }


def test_the_reporter_sees_report_status_and_feedback(api, world, closed):
    body = detail(api, world.reporter, closed)
    assert body["sections"] == ["feedback", "report", "status"]
    assert not (ALL - {"report", "feedback"}) & set(body)
    assert [
        {k: item[k] for k in ("feedback_on", "feedback_channel", "feedback_text")}
        for item in body["feedback"]
    ] == [
        {
            "feedback_on": "2026-01-11",
            "feedback_channel": "direct",
            "feedback_text": "Tack, rutinen är ändrad.",
        }
    ]
    # Whether the person was informed is the investigation's business, not the reporter's.
    assert "closures" not in body
    assert body["available_triggers"] == []
    assert body["links"]["events"] is None


def test_the_manager_sees_no_investigation(api, world, closed):
    body = detail(api, world.manager, closed)
    assert set(body) & ALL == {"report", "persons", "immediate_measures", "actions", "feedback"}
    assert "person_informed" not in body["feedback"][0]
    assert "closures" not in body
    text = str(body)
    assert "serious_misconduct" not in text
    assert "Tillsynsrutinen" not in text


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (
            "submitted",
            {
                "sas": ["start_investigation", "reclassify"],
                "manager": ["record_immediate_measures"],
                "area_manager": ["record_immediate_measures"],
                "chair": None,
                "reporter": [],
                "other_manager": None,
            },
        ),
        # The measures are already recorded, so the manager is not offered them again.
        (
            "under_investigation",
            {
                "sas": ["complete_investigation", "propose_early_filing", "reclassify"],
                "manager": [],
                "chair": None,
            },
        ),
        (
            "awaiting_decision",
            {
                "sas": ["reclassify"],
                "manager": [],
                "chair": ["approve_filing", "decline_filing", "return_to_investigator"],
            },
        ),
        ("awaiting_filing", {"sas": ["record_filing", "reclassify"], "chair": []}),
    ],
)
def test_available_triggers_per_role(api, session, world, state, expected):
    case = case_in(session, world, state)
    for who, triggers in expected.items():
        response = api.get(getattr(world, who), f"cases/{case.id}")
        if triggers is None:
            assert response.status_code == 403, who
        else:
            assert response.get_json()["available_triggers"] == triggers, who


@pytest.mark.parametrize("who", ["other_manager", "other_reporter", "admin", "log_reviewer", "mas"])
def test_not_visible_is_403(api, session, world, who):
    case = case_in(session, world, "under_investigation")
    response = api.get(getattr(world, who), f"cases/{case.id}")
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"
    assert api.get(getattr(world, who), f"cases/{case.id}/events").status_code == 403


def test_reclassified_case_links_both_ways(api, session, world):
    case = case_in(session, world, "reclassified")
    old = detail(api, world.sas, case)
    successor = old["links"]["successor"]
    assert successor["reference"].startswith("AV-")
    assert old["links"]["origin"] is None
    # The reporter may follow the link: the report went over with them as its reporter.
    new = detail(api, world.reporter, successor["id"])
    assert new["case_type"] == "deviation"
    assert new["available_triggers"] == []
    assert new["links"]["origin"] == {
        "id": case.id,
        "reference": case.reference,
        "case_type": "lex_sarah",
        "may_open": True,
        "url": f"/api/v1/cases/{case.id}",
    }


def test_events_in_order_with_content(api, session, world):
    case = case_in(session, world, "awaiting_filing")
    response = api.get(world.sas, f"cases/{case.id}/events")
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert [e["trigger"] for e in items] == [
        "submit",
        "record_immediate_measures",
        "start_investigation",
        "update_investigation",
        "complete_investigation",
        "approve_filing",
    ]
    assert [e["id"] for e in items] == sorted(e["id"] for e in items)
    assert [(e["from_state"], e["to_state"]) for e in items] == [
        (None, "submitted"),
        ("submitted", "awaiting_investigation"),
        ("awaiting_investigation", "under_investigation"),
        ("under_investigation", "under_investigation"),
        ("under_investigation", "awaiting_decision"),
        ("awaiting_decision", "awaiting_filing"),
    ]
    first, approve = items[0], items[-1]
    assert first["actor"] == {"id": world.reporter.id, "name": world.reporter.name}
    assert first["actor_role"] == "reporter"
    assert first["data"] == {"reference": case.reference}
    assert first["at"].endswith("Z")
    assert approve["actor_role"] == "chair"
    assert approve["trigger_label"] == "Besluta om anmälan till IVO"
    assert approve["data"]["outcome"] == "approve_filing"
    assert not any(e["redacted"] for e in items)


def test_the_manager_sees_history_without_investigation_content(api, session, world):
    case = case_in(session, world, "awaiting_filing")
    items = api.get(world.manager, f"cases/{case.id}/events").get_json()["items"]
    by_trigger = {e["trigger"]: e for e in items}
    assert by_trigger["record_immediate_measures"]["data"] == {"none_needed": False}
    for trigger in ("complete_investigation", "update_investigation", "approve_filing"):
        assert by_trigger[trigger]["redacted"] is True
        assert by_trigger[trigger]["data"] is None
        assert by_trigger[trigger]["comment"] is None
    assert "serious_misconduct" not in str(items)


def test_the_reporter_gets_no_history(api, session, world):
    case = new_case(session, world)
    response = api.get(world.reporter, f"cases/{case.id}/events")
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"
