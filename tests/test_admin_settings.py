"""/admin/installningar: escalation thresholds and the deciding role, and what they change."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import Category, get_setting
from tests.api_client import Api
from tests.factories import case_in, report_data
from workflows.engine import fire
from workflows.records import submit_report

DEFAULTS = {
    "escalation_severity": "3",
    "escalation_score": "8",
    "deciding_role_lex_sarah": "chair",
    "deciding_role_lex_maria": "mas",
    "retention_lex_sarah": "5",
    "retention_lex_maria": "5",
    "retention_deviation": "5",
    "retention_complaint": "5",
    "retention_plan_lex_sarah": "purge",
    "retention_plan_lex_maria": "purge",
    "retention_plan_deviation": "purge",
    "retention_plan_complaint": "purge",
    "pattern_min_cases": "5",
    "pattern_factor": "2",
}


@pytest.fixture
def admin(client, auth, world):
    auth.login(world.admin.email)
    return client


def save(client, **changes):
    return client.post("/admin/installningar", data={**DEFAULTS, **changes})


def stored(session) -> dict:
    session.expire_all()
    return {
        key: get_setting(session, key)
        for key in (
            "escalation.severity",
            "escalation.score",
            "deciding_role.lex_sarah",
            "deciding_role.lex_maria",
        )
    }


def test_the_form_shows_the_current_settings(admin, world):
    html = admin.get("/admin/installningar").get_data(as_text=True)
    assert 'name="escalation_severity" required type="number" value="3"' in html
    assert 'checked id="deciding_role_lex_sarah-0" name="deciding_role_lex_sarah"' in html
    assert (
        "Sparade gränser: allvarlighetsgrad från och med 3 eller riskpoäng från och med 8" in html
    )


def test_saving_stores_every_setting(admin, session):
    response = save(
        admin,
        escalation_severity="4",
        escalation_score="12",
        deciding_role_lex_sarah="sas",
        deciding_role_lex_maria="chair",
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/installningar")
    assert stored(session) == {
        "escalation.severity": 4,
        "escalation.score": 12,
        "deciding_role.lex_sarah": "sas",
        "deciding_role.lex_maria": "chair",
    }
    assert "Inställningarna är sparade." in admin.get("/admin/installningar").get_data(as_text=True)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("escalation_severity", "5", "Ange ett heltal från 1 till 4."),
        ("escalation_severity", "0", "Ange ett heltal från 1 till 4."),
        ("escalation_severity", "", "Fältet måste fyllas i."),
        ("escalation_score", "17", "Ange ett heltal från 1 till 16."),
        ("escalation_score", "åtta", "Ange ett heltal."),
        ("deciding_role_lex_sarah", "admin", "Inte ett giltigt val"),
        ("deciding_role_lex_maria", "reporter", "Inte ett giltigt val"),
    ],
)
def test_an_invalid_value_is_422_with_a_swedish_message_and_kept_values(
    admin, session, field, value, message
):
    # One valid change along with the invalid value: it must be neither stored nor lost.
    changes = {"deciding_role_lex_maria": "chair", field: value}
    response = save(admin, **changes)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Uppgifterna är inte kompletta eller felaktiga." in html
    assert message in html
    assert f'href="#{field}"' in html
    # What was typed is shown again: the bad value and the good ones.
    if field.startswith("escalation"):
        assert f'name="{field}" required type="number" value="{value}"' in html
    if field != "deciding_role_lex_maria":
        assert 'checked id="deciding_role_lex_maria-0"' in html
    # Nothing is stored, not even the valid fields.
    assert stored(session) == {
        "escalation.severity": 3,
        "escalation.score": 8,
        "deciding_role.lex_sarah": "chair",
        "deciding_role.lex_maria": "mas",
    }


def _assess(session, world, severity: int, likelihood: int) -> str:
    """The state a fresh deviation reaches on this assessment."""
    case = submit_report(
        session, world.reporter, report_data(world.solgarden), case_type="deviation"
    )
    fall = session.scalars(select(Category.id).where(Category.name == "Fall")).one()
    fire(
        session,
        case,
        world.manager,
        "assess",
        {"legal_area": "SoL", "category_id": fall, "severity": severity, "likelihood": likelihood},
    )
    return case.state


def test_the_thresholds_decide_escalation(admin, session, world):
    # Severity 2 × likelihood 3 = 6: below both default thresholds.
    assert _assess(session, world, 2, 3) == "local_investigation"
    assert save(admin, escalation_score="6").status_code == 302
    session.expire_all()
    assert _assess(session, world, 2, 3) == "escalated"
    assert save(admin, escalation_score="16", escalation_severity="2").status_code == 302
    session.expire_all()
    assert _assess(session, world, 2, 1) == "escalated"
    assert _assess(session, world, 1, 4) == "local_investigation"


@pytest.fixture
def api(client, session):
    return Api(client, session)


def test_the_deciding_role_setting_makes_the_sas_the_decider(admin, api, session, world):
    case = case_in(session, world, "awaiting_decision")
    before = api.get(world.sas, f"cases/{case.id}").get_json()["available_triggers"]
    assert "approve_filing" not in before
    assert (
        "approve_filing"
        in api.get(world.chair, f"cases/{case.id}").get_json()["available_triggers"]
    )

    assert save(admin, deciding_role_lex_sarah="sas").status_code == 302
    session.expire_all()
    triggers = api.get(world.sas, f"cases/{case.id}").get_json()["available_triggers"]
    assert {"approve_filing", "decline_filing", "return_to_investigator"} <= set(triggers)
    assert api.get(world.chair, f"cases/{case.id}").status_code == 403
    response = api.fire(world.sas, case.id, "approve_filing", {"motivation": "Allvarligt."})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["event"]["actor_role"] == "sas"
