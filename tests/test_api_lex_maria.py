"""Lex Maria through the API: information to the patient (PSL 3 kap. 8 §), the report to
Läkemedelsverket about a medical device, and closing only once the patient has been informed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.api_client import Api, error_of
from tests.factories import CLOSE, FEEDBACK, PATIENT_INFORMATION, TODAY, case_in, case_of
from workflows.feedback import record_feedback


@pytest.fixture
def api(client, session):
    return Api(client, session)


@pytest.fixture
def follow_up(session, world):
    case = case_of(session, world, "lex_maria", "follow_up")
    record_feedback(session, case, world.mas, FEEDBACK)
    return case


def test_the_mas_walks_a_lex_maria_case_and_closes_it_after_informing_the_patient(
    api, session, world, follow_up
):
    refused = api.fire(world.mas, follow_up.id, "close", CLOSE)
    assert refused.status_code == 422
    assert "patient_information" in error_of(refused)["fields"]
    assert "PSL 3 kap. 8 §" in error_of(refused)["fields"]["patient_information"][0]
    assert api.snapshot(follow_up.id)[0] == "follow_up"

    response = api.post(world.mas, f"cases/{follow_up.id}/patient-information", PATIENT_INFORMATION)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    info = body["patient_information"]
    assert info["recipient"] == "patient"
    assert info["informed_on"] == TODAY
    assert info["noted_in_patient_record"] is True
    assert info["recorded_by"] == {"id": world.mas.id, "name": world.mas.name}
    assert body["case"]["patient_information"] == [info]

    closed = api.fire(world.mas, follow_up.id, "close", CLOSE)
    assert closed.status_code == 200, closed.get_json()
    assert closed.get_json()["case"]["state"] == "closed"


def test_patient_information_is_investigation_content(api, session, world, follow_up):
    api.post(world.mas, f"cases/{follow_up.id}/patient-information", PATIENT_INFORMATION)
    for who in ("manager", "reporter"):
        body = api.get(getattr(world, who), f"cases/{follow_up.id}").get_json()
        assert "patient_information" not in body, who
        assert "Jag märkte" not in str(body), who
    event = next(
        e
        for e in api.get(world.manager, f"cases/{follow_up.id}/events").get_json()["items"]
        if e["trigger"] == "record_patient_information"
    )
    assert event["redacted"] is True


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"informed_on": ""}, "informed_on"),
        ({"informed_on": (date.today() + timedelta(days=1)).isoformat()}, "informed_on"),
        ({"informed_by": ""}, "informed_by"),
        ({"recipient": "neighbour"}, "recipient"),
        ({"recipient": "relative", "recipient_name": ""}, "recipient_name"),
        ({"topics": []}, "topics"),
    ],
)
def test_invalid_patient_information_is_422(api, session, world, follow_up, change, field):
    before = api.snapshot(follow_up.id)
    response = api.post(
        world.mas, f"cases/{follow_up.id}/patient-information", {**PATIENT_INFORMATION, **change}
    )
    assert response.status_code == 422
    assert field in error_of(response)["fields"]
    assert api.snapshot(follow_up.id) == before


@pytest.mark.parametrize(
    ("who", "status"),
    [("sas", 403), ("manager", 403), ("reporter", 403), ("chair", 403), ("admin", 403)],
)
def test_only_the_mas_records_patient_information(api, session, world, follow_up, who, status):
    response = api.post(
        getattr(world, who), f"cases/{follow_up.id}/patient-information", PATIENT_INFORMATION
    )
    assert response.status_code == status


def test_patient_information_belongs_to_lex_maria_only(api, session, world):
    lex_sarah = case_in(session, world, "under_investigation")
    response = api.post(world.sas, f"cases/{lex_sarah.id}/patient-information", PATIENT_INFORMATION)
    # The SAS may see the case, but it is no lex Maria case.
    assert response.status_code == 409
    assert (
        api.post(world.mas, "cases/999999/patient-information", PATIENT_INFORMATION).status_code
        == 404
    )


def test_the_medical_device_report(api, session, world):
    case = case_of(session, world, "lex_maria", "under_investigation", medical_device=True)
    body = api.get(world.mas, f"cases/{case.id}").get_json()
    assert body["report"]["medical_device"] is True
    assert body["medical_device"] == {"involved": True, "reported_on": None}
    assert body["obligations"] == [
        {"kind": "medical_device_report", "due_at": None, "overdue": False}
    ]
    # The unit's manager sees whether the device has been reported, not the investigation.
    manager_view = api.get(world.manager, f"cases/{case.id}").get_json()
    assert manager_view["medical_device"] == {"involved": True, "reported_on": None}
    assert "obligations" not in manager_view

    refused = api.post(world.mas, f"cases/{case.id}/medical-device-report", {"reported_on": ""})
    assert refused.status_code == 422
    assert "reported_on" in error_of(refused)["fields"]
    assert (
        api.post(
            world.manager, f"cases/{case.id}/medical-device-report", {"reported_on": TODAY}
        ).status_code
        == 403
    )

    response = api.post(world.mas, f"cases/{case.id}/medical-device-report", {"reported_on": TODAY})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()["case"]
    assert body["medical_device"] == {"involved": True, "reported_on": TODAY}
    assert body["obligations"] == []


def test_no_device_no_report(api, session, world):
    case = case_of(session, world, "lex_maria", "under_investigation")
    body = api.get(world.mas, f"cases/{case.id}").get_json()
    assert body["medical_device"] == {"involved": False, "reported_on": None}
    assert body["obligations"] == []
    response = api.post(world.mas, f"cases/{case.id}/medical-device-report", {"reported_on": TODAY})
    assert response.status_code == 409


def test_closing_a_device_case_needs_its_report(api, session, world):
    case = case_of(session, world, "lex_maria", "follow_up", medical_device=True)
    record_feedback(session, case, world.mas, FEEDBACK)
    api.post(world.mas, f"cases/{case.id}/patient-information", PATIENT_INFORMATION)
    refused = api.fire(world.mas, case.id, "close", CLOSE)
    assert refused.status_code == 422
    assert "medical_device" in error_of(refused)["fields"]
    api.post(world.mas, f"cases/{case.id}/medical-device-report", {"reported_on": TODAY})
    assert api.fire(world.mas, case.id, "close", CLOSE).status_code == 200
