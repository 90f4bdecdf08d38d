"""POST /api/v1/cases: a report through the API, validated by the same form as the UI."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from app.models import AffectedPerson, Case, CaseEvent
from tests.api_client import Api, error_of
from tests.factories import report_data


@pytest.fixture
def api(client, session):
    return Api(client, session)


def test_report_creates_a_case(api, session, world):
    body = report_data(
        world.solgarden,
        persons=[
            {
                "name": "Anna Andersson",
                "personnummer": "19121212-1212",
                "description": "Boende rum 14",
            },
            {"name": "Bo Berg", "personnummer": "1212121212", "description": ""},
            {"name": "", "personnummer": "", "description": "Okänd besökare"},
        ],
    )
    response = api.post(world.reporter, "cases", body)
    assert response.status_code == 201, response.get_json()
    case = response.get_json()
    assert re.fullmatch(rf"LS-{date.today().year}-\d{{4}}", case["reference"])
    assert response.headers["Location"].endswith(f"/api/v1/cases/{case['id']}")
    assert case["case_type"] == "lex_sarah"
    assert case["state"] == "submitted"
    assert case["state_label"] == "Rapport inkommen"
    assert case["version"] >= 1
    assert case["unit"]["id"] == world.solgarden.id
    assert case["received_at"].endswith("Z")
    # The reporter sees what they reported and its status, not the persons section.
    assert case["sections"] == ["feedback", "report", "status"]
    assert case["report"]["description"] == body["description"]
    assert case["report"]["occurred_time"] == "21:30"
    assert case["report"]["reporter"]["name"] == world.reporter.name
    assert "persons" not in case
    assert case["available_triggers"] == []

    session.expire_all()
    stored = session.get(Case, case["id"])
    assert stored.reporter_id == world.reporter.id
    assert stored.location == "Avdelning 2, rum 14"
    persons = session.scalars(
        select(AffectedPerson)
        .where(AffectedPerson.case_id == stored.id)
        .order_by(AffectedPerson.id)
    )
    assert [(p.name, p.personnummer, p.description) for p in persons] == [
        ("Anna Andersson", "19121212-1212", "Boende rum 14"),
        ("Bo Berg", "20121212-1212", ""),
        ("", None, "Okänd besökare"),
    ]
    assert session.scalars(
        select(CaseEvent.trigger).where(CaseEvent.case_id == stored.id)
    ).all() == ["submit"]


def test_sas_sees_the_persons_of_a_new_report(api, world):
    created = api.post(world.reporter, "cases", report_data(world.solgarden)).get_json()
    case = api.get(world.sas, f"cases/{created['id']}").get_json()
    assert case["persons"][0]["personnummer"] == "19121212-1212"


def _count(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Case))


def test_invalid_personnummer_is_422(api, session, world):
    before = _count(session)
    body = report_data(world.solgarden, persons=[{"name": "A", "personnummer": "19121212-1213"}])
    response = api.post(world.reporter, "cases", body)
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid_data"
    assert "Personnumret är inte giltigt" in error["fields"]["persons"][0]["personnummer"][0]
    assert _count(session) == before


def test_missing_description_is_422(api, session, world):
    before = _count(session)
    response = api.post(world.reporter, "cases", report_data(world.solgarden, description="  "))
    assert response.status_code == 422
    assert error_of(response)["fields"]["description"] == ["Fältet måste fyllas i."]
    assert _count(session) == before


def test_unit_must_be_known(api, world):
    response = api.post(world.reporter, "cases", report_data(world.solgarden, unit_id=None))
    assert response.status_code == 422
    assert "unit_id" in error_of(response)["fields"]


def test_future_date_is_422(api, world):
    response = api.post(
        world.reporter, "cases", report_data(world.solgarden, occurred_on="2999-01-01")
    )
    assert response.status_code == 422
    assert "occurred_on" in error_of(response)["fields"]


@pytest.mark.parametrize(("case_type", "prefix"), [("lex_maria", "LM-"), ("deviation", "AV-")])
def test_every_case_type_can_be_reported(api, world, case_type, prefix):
    response = api.post(world.reporter, "cases", report_data(world.solgarden, case_type=case_type))
    assert response.status_code == 201
    assert response.get_json()["reference"].startswith(prefix)
    assert response.get_json()["case_type"] == case_type


@pytest.mark.parametrize("case_type", ["nonsense", "closed"])
def test_unknown_case_type_is_refused(api, session, world, case_type):
    before = _count(session)
    response = api.post(world.reporter, "cases", report_data(world.solgarden, case_type=case_type))
    assert response.status_code == 422
    assert "case_type" in error_of(response)["fields"]
    assert _count(session) == before


def test_explicit_lex_sarah(api, world):
    response = api.post(
        world.reporter, "cases", report_data(world.solgarden, case_type="lex_sarah")
    )
    assert response.status_code == 201
    assert response.get_json()["reference"].startswith("LS-")
