"""Test data built through the real operations: an organisation, users per role, and lex Sarah
cases walked to any state by the people who would do it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from app.models import Case, Unit, User
from workflows.engine import fire
from workflows.records import add_action, save_investigation, submit_report

PASSWORD = "password"


@cache
def _password_hash() -> str:
    # Cheap on purpose: hashing a strong hash per user would dominate the suite's time.
    return generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


@dataclass
class World:
    admin_unit: Unit
    elder_care: Unit
    solgarden: Unit
    disability: Unit
    linden: Unit
    reporter: User
    other_reporter: User
    manager: User  # manages Solgården
    other_manager: User  # manages Linden
    area_manager: User  # manages Äldreomsorg, so Solgården below it too
    sas: User
    mas: User
    chair: User
    admin: User
    log_reviewer: User

    def users(self) -> dict[str, User]:
        return {k: v for k, v in vars(self).items() if isinstance(v, User)}


def make_user(session: Session, email: str, roles: list[str], units: list[Unit] | None = None,
              name: str | None = None) -> User:
    user = User(email=email, name=name or email.split("@")[0].title(), title="Titel",
                password_hash=_password_hash())
    user.set_roles(roles)
    session.add(user)
    user.managed_units.extend(units or [])
    session.flush()
    return user


def make_world(session: Session) -> World:
    def unit(name: str, kind: str, areas: list[str], parent: Unit | None = None) -> Unit:
        u = Unit(name=name, kind=kind, parent=parent)
        u.legal_areas = areas
        session.add(u)
        return u

    admin_unit = unit("Förvaltningen", "administration", [])
    elder_care = unit("Äldreomsorg", "area", ["SoL", "HSL"], admin_unit)
    solgarden = unit("Solgården", "unit", ["SoL", "HSL"], elder_care)
    disability = unit("Funktionsstöd", "area", ["LSS"], admin_unit)
    linden = unit("Linden", "unit", ["LSS"], disability)
    session.flush()
    return World(
        admin_unit=admin_unit, elder_care=elder_care, solgarden=solgarden,
        disability=disability, linden=linden,
        reporter=make_user(session, "reporter@test.se", ["reporter"]),
        other_reporter=make_user(session, "other.reporter@test.se", ["reporter"]),
        manager=make_user(session, "manager@test.se", ["manager", "reporter"], [solgarden]),
        other_manager=make_user(session, "other.manager@test.se", ["manager"], [linden]),
        area_manager=make_user(session, "area.manager@test.se", ["manager"], [elder_care]),
        sas=make_user(session, "sas@test.se", ["sas"]),
        mas=make_user(session, "mas@test.se", ["mas"]),
        chair=make_user(session, "chair@test.se", ["chair"]),
        admin=make_user(session, "admin@test.se", ["admin"]),
        log_reviewer=make_user(session, "log@test.se", ["log_reviewer"]),
    )


def report_data(unit: Unit, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        # The plain answers that propose a lex Sarah case.
        "affected": "care_recipient",
        "harm": "harmed",
        "unit_id": unit.id,
        "description": "En boende föll i badrummet och blev liggande i en timme.",
        "occurred_on": (date.today() - timedelta(days=1)).isoformat(),
        "occurred_time": "21:30",
        "discovered_on": (date.today() - timedelta(days=1)).isoformat(),
        "location": "Avdelning 2, rum 14",
        "reporter_actions": "Larmade sjuksköterskan.",
        "person_informed": "yes",
        "persons": [{"name": "Anna Andersson", "personnummer": "19121212-1212"}],
    }
    data.update(overrides)
    return data


def investigation_data(grade: str = "serious_misconduct", **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "what_happened": "Den boende blev liggande utan hjälp; risk för allvarlig skada.",
        "how_noticed": "Personal upptäckte det vid tillsyn.",
        "when_occurred": "Kvällen den angivna dagen.",
        "cause_areas": ["processes_routines"],
        "underlying_causes": ["routine_missing_or_not_followed"],
        "causes_text": "Tillsynsrutinen följdes inte.",
        "happened_before": "Nej.",
        "severity": "3",
        "likelihood": "3",
        "measures_text": "Ny tillsynsrutin.",
        "other_findings": "",
        "proposed_grade": grade,
        "grade_motivation": "Motivering av graden.",
        "event_types": ["care_support_service_failure"],
        "person_informed": "yes",
        "person_heard": "yes",
        "noted_in_record": "yes",
        "police_report": "not_required",
    }
    data.update(overrides)
    return data


MEASURES = {"measures": "Extra tillsyn infördes samma kväll.", "taken_at": "2026-01-05T22:00"}
FILING = {"filed_on": date.today().isoformat(), "channel": "e_service", "own_case_number": "SN 2026/12"}
CLOSE = {"feedback_on": date.today().isoformat(), "feedback_channel": "workplace_meeting",
         "feedback_text": "Tack för din rapport. Rutinen är ändrad.", "person_informed": "yes"}


def new_case(session: Session, world: World, reporter: User | None = None, unit: Unit | None = None) -> Case:
    return submit_report(session, reporter or world.reporter, report_data(unit or world.solgarden))


# The path a case takes to reach each state, as (trigger, actor attribute, data).
LEX_SARAH_PATHS: dict[str, list[tuple[str, str, dict[str, Any]]]] = {
    "submitted": [],
    "awaiting_investigation": [("record_immediate_measures", "manager", MEASURES)],
}
LEX_SARAH_PATHS["under_investigation"] = [*LEX_SARAH_PATHS["awaiting_investigation"],
                                          ("start_investigation", "sas", {})]
LEX_SARAH_PATHS["awaiting_decision"] = [*LEX_SARAH_PATHS["under_investigation"],
                                        ("__investigate__", "sas", investigation_data()),
                                        ("complete_investigation", "sas", {})]
LEX_SARAH_PATHS["awaiting_filing"] = [*LEX_SARAH_PATHS["awaiting_decision"],
                                      ("approve_filing", "chair", {"motivation": "Allvarligt."})]
LEX_SARAH_PATHS["filed"] = [*LEX_SARAH_PATHS["awaiting_filing"], ("record_filing", "sas", FILING)]
LEX_SARAH_PATHS["follow_up"] = [*LEX_SARAH_PATHS["filed"], (
    "record_ivo_response", "sas",
    {"received_on": date.today().isoformat(), "outcome": "closed_duty_fulfilled", "text": "Avslutat."})]
LEX_SARAH_PATHS["closed"] = [*LEX_SARAH_PATHS["follow_up"], ("close", "sas", CLOSE)]
LEX_SARAH_PATHS["reclassified"] = [("reclassify", "sas", {"target_type": "deviation", "comment": "Fel lag."})]


def walk(session: Session, world: World, case: Case, state: str) -> Case:
    for trigger, who, data in LEX_SARAH_PATHS[state]:
        actor = getattr(world, who)
        if trigger == "__investigate__":
            save_investigation(session, case, actor, data)
        else:
            fire(session, case, actor, trigger, data)
    assert case.state == state
    return case


def case_in(session: Session, world: World, state: str, **kwargs: Any) -> Case:
    return walk(session, world, new_case(session, world, **kwargs), state)


def action_for(session: Session, world: World, case: Case) -> Any:
    return add_action(session, case, world.sas, {
        "description": "Utbilda personalen.", "owner_id": world.manager.id,
        "due_on": (date.today() + timedelta(days=14)).isoformat()})
