"""A few lex Sarah cases in different states, walked through the real operations."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from app import db
from app.models import Unit, User
from workflows.engine import fire
from workflows.records import add_action, save_investigation, submit_report


def _user(email: str) -> User:
    user = db.session().scalar(select(User).where(User.email == email))
    assert user is not None  # noqa: S101  (seeded just before)
    return user


def _unit(name: str) -> int:
    unit_id = db.session().scalar(select(Unit.id).where(Unit.name == name))
    assert unit_id is not None  # noqa: S101
    return unit_id


FULL_INVESTIGATION = {
    "what_happened": "Boende blev utan tillsyn i fyra timmar under natten när larmet inte fungerade. "
                     "Risk för fall och otrygghet.",
    "how_noticed": "Nattpersonal upptäckte vid rond kl. 04 att larmet inte gått fram.",
    "when_occurred": "Natten mellan 3 och 4 mars, ca kl. 00–04.",
    "cause_areas": ["technology_equipment", "processes_routines"],
    "underlying_causes": ["technical_fault", "routine_missing_or_not_followed"],
    "causes_text": "Larmmottagaren var inte laddad; rutin för kontroll vid skiftbyte saknades.",
    "happened_before": "Liknande händelse 2025, rutinen infördes aldrig.",
    "severity": 3,
    "likelihood": 3,
    "measures_text": "Rutin för larmkontroll vid varje skiftbyte. Utbildning för nattpersonal.",
    "other_findings": "",
    "proposed_grade": "risk_of_serious_misconduct",
    "grade_motivation": "Boende utan möjlighet att larma under lång tid utgör påtaglig risk för allvarligt missförhållande.",
    "event_types": ["care_support_service_failure"],
    "person_informed": "yes",
    "person_heard": "yes",
    "noted_in_record": "yes",
    "police_report": "not_required",
}


def seed_cases() -> None:
    session = db.session()
    reporter, manager, sas = _user("medarbetare@exempelby.se"), _user("enhetschef@exempelby.se"), _user("sas@exempelby.se")
    solgarden, linden = _unit("Solgårdens särskilda boende"), _unit("Gruppbostaden Linden")
    today = date.today()

    def report(unit_id: int, text: str, days_ago: int) -> Any:
        return submit_report(session, reporter, {
            "unit_id": unit_id, "description": text, "occurred_on": (today - timedelta(days=days_ago)).isoformat(),
            "location": "Avdelning 2", "person_informed": "yes",
            "persons": [{"description": "Boende på avdelning 2"}],
        })

    report(solgarden, "En boende fick inte sina måltider på hela dagen eftersom ingen personal var schemalagd.", 0)

    case = report(linden, "Personal höjde rösten och hotade en boende med att inte få gå ut.", 2)
    fire(session, case, manager, "record_immediate_measures",
         {"measures": "Personalen flyttades till annan enhet i väntan på utredning.",
          "taken_at": f"{today - timedelta(days=2):%Y-%m-%d}T18:00"})

    case = report(solgarden, "Larmet fungerade inte under natten och en boende kunde inte påkalla hjälp.", 10)
    fire(session, case, manager, "record_immediate_measures",
         {"measures": "Larmet byttes ut samma natt.", "taken_at": f"{today - timedelta(days=10):%Y-%m-%d}T05:00"})
    fire(session, case, sas, "start_investigation", {})
    save_investigation(session, case, sas, FULL_INVESTIGATION)
    add_action(session, case, sas, {"description": "Inför kontroll av larm vid varje skiftbyte.",
                                    "owner_id": manager.id, "due_on": (today + timedelta(days=30)).isoformat()})
    fire(session, case, sas, "complete_investigation", {})
    session.flush()



