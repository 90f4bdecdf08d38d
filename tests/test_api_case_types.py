"""The same endpoints serve all three case types: reporting, reading, filtering, and who sees
which deviation (the SAS those in SoL/LSS, the MAS those in HSL — permissions.oversees)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from app.models import Case
from tests.api_client import Api
from tests.factories import assessment, case_of, hsl_unit, report_data
from workflows.engine import fire
from workflows.permissions import can_view


@pytest.fixture
def api(client, session):
    return Api(client, session)


@pytest.mark.parametrize(
    ("answers", "types"),
    [
        ({"affected": "care_recipient", "harm": "harmed"}, ["lex_sarah"]),
        ({"affected": "patient", "harm": "risk"}, ["lex_maria"]),
        ({"affected": "care_recipient", "harm": "none"}, ["deviation"]),
        ({"affected": "unknown", "harm": "unknown"}, ["deviation"]),
        ({"affected": "both", "harm": "harmed"}, ["lex_sarah", "lex_maria"]),
        ({"affected": "patient", "harm": "harmed", "report_kind": "deviation"}, ["deviation"]),
    ],
)
def test_plain_answers_choose_the_case_type(api, world, answers, types):
    response = api.post(world.reporter, "cases", report_data(world.solgarden, **answers))
    assert response.status_code == 201, response.get_json()
    assert [c["case_type"] for c in response.get_json()["created"]] == types


@pytest.mark.parametrize(
    ("case_type", "prefix", "label"),
    [
        ("lex_sarah", "LS", "Rapport inkommen"),
        ("lex_maria", "LM", "Händelse rapporterad"),
        ("deviation", "AV", "Avvikelse rapporterad"),
    ],
)
def test_each_type_is_reported_and_read_through_the_same_endpoints(
    api, world, case_type, prefix, label
):
    response = api.post(
        world.reporter, "cases", {**report_data(world.solgarden), "case_type": case_type}
    )
    assert response.status_code == 201, response.get_json()
    case = response.get_json()
    assert re.fullmatch(rf"{prefix}-{date.today().year}-\d{{4}}", case["reference"])
    assert (case["case_type"], case["state"], case["state_label"]) == (
        case_type,
        "submitted",
        label,
    )
    assert case["sections"] == ["feedback", "report", "status"]
    assert case["report"]["affected"] == "care_recipient"
    overseer = world.mas if case_type == "lex_maria" else world.sas
    assert api.get(overseer, f"cases/{case['id']}").status_code == 200


def test_an_unknown_case_type_is_422(api, world):
    response = api.post(
        world.reporter, "cases", {**report_data(world.solgarden), "case_type": "complaint"}
    )
    assert response.status_code == 422


def test_a_deviation_walked_through_the_api(api, session, world):
    created = api.post(
        world.reporter, "cases", {**report_data(world.solgarden), "case_type": "deviation"}
    ).get_json()
    case_id = created["id"]
    available = api.get(world.manager, f"cases/{case_id}").get_json()["available_triggers"]
    assert available == ["assess"]
    # No severity, no assessment.
    refused = api.fire(
        world.manager,
        case_id,
        "assess",
        {**assessment(session, severity=1, likelihood=1), "severity": ""},
    )
    assert refused.status_code == 422
    assert "severity" in refused.get_json()["error"]["fields"]

    response = api.fire(
        world.manager,
        case_id,
        "assess",
        assessment(session, category="Läkemedel", severity=2, likelihood=3),
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()["case"]
    assert body["state"] == "local_investigation"
    assert body["assessment"] == {
        "legal_area": "SoL",
        "category": {"id": body["assessment"]["category"]["id"], "name": "Läkemedel"},
        "severity": 2,
        "likelihood": 3,
        "score": 6,
        "escalated": False,
        "police_report": False,
        "assessed_by": {"id": world.manager.id, "name": world.manager.name},
        "assessed_at": body["assessment"]["assessed_at"],
    }
    # The reporter sees the status, not the assessment.
    assert "assessment" not in api.get(world.reporter, f"cases/{case_id}").get_json()

    put = api.put(
        world.manager,
        f"cases/{case_id}/investigation",
        {"what_happened": "Fel dos gavs.", "causes_text": "Stress.", "measures_text": "Ny rutin."},
    )
    assert put.status_code == 200, put.get_json()
    assert api.fire(world.manager, case_id, "complete_investigation").status_code == 200
    assert api.get(world.manager, f"cases/{case_id}").get_json()["state"] == "follow_up"


def test_a_theft_deviation_escalates_and_only_becomes_lex_sarah(api, session, world):
    case = case_of(session, world, "deviation", "submitted")
    response = api.fire(
        world.manager,
        case.id,
        "assess",
        assessment(session, category="Stöld/ekonomiska övergrepp", severity=1, likelihood=1),
    )
    assert response.get_json()["case"]["state"] == "escalated"
    body = api.get(world.sas, f"cases/{case.id}").get_json()
    assert body["assessment"]["police_report"] is True
    assert body["assessment"]["escalated"] is True
    assert body["available_triggers"] == ["convert_to_lex_sarah"]


@pytest.fixture
def deviations(session, world):
    """Deviations in every area: unassessed and assessed, in mixed and single-area units."""
    hsl = hsl_unit(session, world)
    made = {
        "solgarden_new": case_of(session, world, "deviation", "submitted"),
        "solgarden_sol": case_of(session, world, "deviation", "escalated", legal_area="SoL"),
        "solgarden_hsl": case_of(session, world, "deviation", "escalated", legal_area="HSL"),
        "linden_new": case_of(session, world, "deviation", "submitted", unit=world.linden),
        "linden_lss": case_of(
            session,
            world,
            "deviation",
            "local_investigation",
            unit=world.linden,
            manager=world.other_manager,
        ),
        "hsl_new": case_of(session, world, "deviation", "submitted", unit=hsl),
        "hsl_assessed": case_of(
            session, world, "deviation", "escalated", unit=hsl, manager=world.area_manager
        ),
        "lex_maria": case_of(session, world, "lex_maria", "under_investigation"),
        "lex_sarah": case_of(session, world, "lex_sarah", "under_investigation"),
    }
    session.flush()
    return made


def ids(response) -> set[int]:
    assert response.status_code == 200, response.get_json()
    return {item["id"] for item in response.get_json()["items"]}


def test_the_sas_sees_sol_and_lss_deviations_the_mas_hsl_ones(api, world, deviations):
    d = {k: v.id for k, v in deviations.items()}
    assert ids(api.get(world.sas, "cases?type=deviation&per_page=100")) == {
        d["solgarden_new"],
        d["solgarden_sol"],
        d["linden_new"],
        d["linden_lss"],
    }
    assert ids(api.get(world.mas, "cases?type=deviation&per_page=100")) == {
        d["solgarden_new"],
        d["solgarden_hsl"],
        d["hsl_new"],
        d["hsl_assessed"],
    }
    assert ids(api.get(world.mas, "cases?type=lex_maria")) == {d["lex_maria"]}
    assert ids(api.get(world.sas, "cases?type=lex_maria")) == set()
    assert ids(api.get(world.mas, "cases?type=lex_maria&type=deviation&state=escalated")) == {
        d["solgarden_hsl"],
        d["hsl_assessed"],
    }


def test_the_list_agrees_with_can_view_for_everyone(api, session, world, deviations):
    every = session.scalars(select(Case)).all()
    for name, user in world.users().items():
        expected = {c.id for c in every if can_view(session, user, c)}
        assert ids(api.get(user, "cases?per_page=100")) == expected, name
        for case_type in ("lex_sarah", "lex_maria", "deviation"):
            assert ids(api.get(user, f"cases?type={case_type}&per_page=100")) == {
                c.id for c in every if c.case_type == case_type and c.id in expected
            }, name


def test_the_assessment_moves_a_deviation_between_sas_and_mas(api, session, world, deviations):
    case = deviations["solgarden_new"]
    fire(session, case, world.manager, "assess", assessment(session, legal_area="HSL"))
    session.flush()
    assert case.id in ids(api.get(world.mas, "cases?type=deviation"))
    assert case.id not in ids(api.get(world.sas, "cases?type=deviation"))
    assert api.get(world.sas, f"cases/{case.id}").status_code == 403
