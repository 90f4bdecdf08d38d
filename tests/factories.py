"""Test data built through the real operations: an organisation, users per role, and lex Sarah
cases walked to any state by the people who would do it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from sqlalchemy.orm import Session

from app.auth.passwords import hash_password
from app.models import Case, Unit, User
from workflows.engine import fire
from workflows.feedback import record_feedback
from workflows.records import add_action, save_investigation, submit_report

PASSWORD = "password"
# Set as PASSWORD_HASH_METHOD in the tests' config too, or each login would renew the hash.
CHEAP_HASH_METHOD = "pbkdf2:sha256:1000"


@cache
def _password_hash() -> str:
    # Cheap on purpose: hashing a strong hash per user would dominate the suite's time.
    return hash_password(PASSWORD, method=CHEAP_HASH_METHOD)


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


def make_user(
    session: Session,
    email: str,
    roles: list[str],
    units: list[Unit] | None = None,
    name: str | None = None,
) -> User:
    user = User(
        email=email,
        name=name or email.split("@")[0].title(),
        title="Titel",
        password_hash=_password_hash(),
    )
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
        admin_unit=admin_unit,
        elder_care=elder_care,
        solgarden=solgarden,
        disability=disability,
        linden=linden,
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
        "representative_informed": "yes",
        "person_heard": "yes",
        "noted_in_record": "yes",
        "police_report": "not_required",
    }
    data.update(overrides)
    return data


MEASURES = {"measures": "Extra tillsyn infördes samma kväll.", "taken_at": "2026-01-05T22:00"}
FILING = {
    "filed_on": date.today().isoformat(),
    "channel": "e_service",
    "own_case_number": "SN 2026/12",
}
# Feedback to the reporter is its own step (record_feedback), recorded before closing.
FEEDBACK = {
    "feedback_on": date.today().isoformat(),
    "feedback_channel": "workplace_meeting",
    "feedback_text": "Tack för din rapport. Rutinen är ändrad.",
}
CLOSE = {"person_informed": "yes"}


def new_case(
    session: Session, world: World, reporter: User | None = None, unit: Unit | None = None
) -> Case:
    return submit_report(session, reporter or world.reporter, report_data(unit or world.solgarden))


# The path a case takes to reach each state, as (trigger, actor attribute, data).
LEX_SARAH_PATHS: dict[str, list[tuple[str, str, dict[str, Any]]]] = {
    "submitted": [],
    "awaiting_investigation": [("record_immediate_measures", "manager", MEASURES)],
}
LEX_SARAH_PATHS["under_investigation"] = [
    *LEX_SARAH_PATHS["awaiting_investigation"],
    ("start_investigation", "sas", {}),
]
LEX_SARAH_PATHS["awaiting_decision"] = [
    *LEX_SARAH_PATHS["under_investigation"],
    ("__investigate__", "sas", investigation_data()),
    ("complete_investigation", "sas", {}),
]
LEX_SARAH_PATHS["awaiting_filing"] = [
    *LEX_SARAH_PATHS["awaiting_decision"],
    ("approve_filing", "chair", {"motivation": "Allvarligt."}),
]
LEX_SARAH_PATHS["filed"] = [*LEX_SARAH_PATHS["awaiting_filing"], ("record_filing", "sas", FILING)]
LEX_SARAH_PATHS["follow_up"] = [
    *LEX_SARAH_PATHS["filed"],
    (
        "record_ivo_response",
        "sas",
        {
            "received_on": date.today().isoformat(),
            "outcome": "closed_duty_fulfilled",
            "text": "Avslutat.",
        },
    ),
]
LEX_SARAH_PATHS["closed"] = [
    *LEX_SARAH_PATHS["follow_up"],
    ("__feedback__", "sas", FEEDBACK),
    ("close", "sas", CLOSE),
]
LEX_SARAH_PATHS["reclassified"] = [
    ("reclassify", "sas", {"target_type": "deviation", "comment": "Fel lag."})
]


def walk(session: Session, world: World, case: Case, state: str) -> Case:
    for trigger, who, data in LEX_SARAH_PATHS[state]:
        actor = getattr(world, who)
        if trigger == "__investigate__":
            save_investigation(session, case, actor, data)
        elif trigger == "__feedback__":
            record_feedback(session, case, actor, data)
        else:
            fire(session, case, actor, trigger, data)
    assert case.state == state
    return case


def case_in(session: Session, world: World, state: str, **kwargs: Any) -> Case:
    return walk(session, world, new_case(session, world, **kwargs), state)


def action_for(session: Session, world: World, case: Case, owner: User | None = None) -> Any:
    return add_action(
        session,
        case,
        world.sas,
        {
            "description": "Utbilda personalen.",
            "owner_id": (owner or world.manager).id,
            "due_on": (date.today() + timedelta(days=14)).isoformat(),
        },
    )


# --- lex Maria and deviations ------------------------------------------------------------------
# Reports of the other two types, walked by the same people through the same operations.

TODAY = date.today().isoformat()


def lex_maria_report(unit: Unit, **overrides: Any) -> dict[str, Any]:
    """The plain answers that propose a lex Maria case: a patient, harmed."""
    return report_data(
        unit,
        **{
            "affected": "patient",
            "harm": "harmed",
            "description": "Patienten fick dubbel dos av ett blodförtunnande läkemedel.",
            **overrides,
        },
    )


def deviation_report(unit: Unit, **overrides: Any) -> dict[str, Any]:
    """The plain answers that propose a deviation: no harm and no serious risk."""
    return report_data(
        unit,
        **{
            "affected": "care_recipient",
            "harm": "none",
            "description": "Larmet på rum 14 fungerade inte under natten.",
            **overrides,
        },
    )


REPORTS = {"lex_sarah": report_data, "lex_maria": lex_maria_report, "deviation": deviation_report}


def lex_maria_investigation(grade: str = "serious_care_injury", **overrides: Any) -> dict[str, Any]:
    """A complete event analysis (händelseanalys, HSLF-FS 2017:40)."""
    data: dict[str, Any] = {
        "purpose": "Klarlägga hur dubbeldoseringen kunde ske.",
        "commissioner": "Verksamhetschef Eva Lind",
        "assignment_date": TODAY,
        "report_due_date": (date.today() + timedelta(days=30)).isoformat(),
        "analysis_team": [
            {"name": "Anna Berg", "role": "sjuksköterska, analysledare", "unit": "Solgården"},
            {"name": "Karin Ek", "role": "undersköterska", "unit": "Solgården"},
        ],
        "method": "Händelseanalys med tidslinje och orsaksträd.",
        "what_happened": "Patienten fick sin kvällsdos två gånger och blödde från näsan.",
        "cause_areas": ["communication"],
        "underlying_causes": ["communication_failure"],
        "causes_text": "Signeringslistan fördes inte.",
        "contributing_factors": "Hög arbetsbelastning under kvällen.",
        "other_risks": "Samma lista används på två avdelningar.",
        "severity": "3",
        "likelihood": "2",
        "measures_text": "Digital signering införs.",
        "proposed_grade": grade,
        "grade_motivation": "Patienten skadades av en dubbeldos.",
        "analysis_evaluation": "Analysen gav en tydlig bild av förloppet.",
        "commissioner_comment": "Åtgärderna godkänns.",
    }
    data.update(overrides)
    return data


def deviation_investigation(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "what_happened": "Larmet var ur funktion en natt; ingen kom till skada.",
        "causes_text": "Batteriet i larmmottagaren var slut.",
        "measures_text": "Batterierna kontrolleras varje vecka.",
    }
    data.update(overrides)
    return data


PATIENT_INFORMATION: dict[str, Any] = {
    "informed_on": TODAY,
    "informed_by": "Anna Berg, sjuksköterska",
    "recipient": "patient",
    "topics": [
        "injury_occurred",
        "planned_measures",
        "how_to_complain",
        "patient_advisory_committee",
        "ivo_complaint",
        "compensation",
    ],
    "noted_in_patient_record": True,
    "patient_account": "Jag märkte att jag fick två tabletter.",
}
IVO_RESPONSE = {"received_on": TODAY, "outcome": "closed_duty_fulfilled", "text": "Avslutat."}


def category_id(session: Session, name: str) -> int:
    from sqlalchemy import select

    from app.models import Category

    return session.scalars(select(Category.id).where(Category.name == name)).one()


def assessment(
    session: Session,
    category: str = "Fall",
    legal_area: str = "SoL",
    severity: int = 3,
    likelihood: int = 1,
) -> dict[str, Any]:
    """The manager's assessment of a deviation; by default it escalates on severity alone."""
    return {
        "legal_area": legal_area,
        "category_id": category_id(session, category),
        "severity": str(severity),
        "likelihood": str(likelihood),
    }


# As LEX_SARAH_PATHS. Actor "target" is whoever an escalated deviation goes to (SAS or MAS);
# "__investigate__" saves the investigation, "__patient_information__" records it (PSL 3:8),
# "__medical_device_report__" records the report to Läkemedelsverket if the case has a device,
# and an assessment's data is {"assess": overrides for factories.assessment}.
LEX_MARIA_PATHS: dict[str, list[tuple[str, str, dict[str, Any]]]] = {
    "submitted": [],
    "awaiting_assessment": [("record_immediate_measures", "manager", MEASURES)],
}
LEX_MARIA_PATHS["under_investigation"] = [
    *LEX_MARIA_PATHS["awaiting_assessment"],
    ("start_investigation", "mas", {}),
]
LEX_MARIA_PATHS["awaiting_decision"] = [
    *LEX_MARIA_PATHS["under_investigation"],
    ("__investigate__", "mas", lex_maria_investigation()),
    ("complete_investigation", "mas", {}),
]
LEX_MARIA_PATHS["awaiting_filing"] = [
    *LEX_MARIA_PATHS["awaiting_decision"],
    ("approve_filing", "mas", {"motivation": "Allvarlig vårdskada."}),
]
LEX_MARIA_PATHS["filed"] = [*LEX_MARIA_PATHS["awaiting_filing"], ("record_filing", "mas", FILING)]
LEX_MARIA_PATHS["follow_up"] = [
    *LEX_MARIA_PATHS["filed"],
    ("record_ivo_response", "mas", IVO_RESPONSE),
]
LEX_MARIA_PATHS["closed"] = [
    *LEX_MARIA_PATHS["follow_up"],
    ("__patient_information__", "mas", PATIENT_INFORMATION),
    ("__medical_device_report__", "mas", {"reported_on": TODAY}),
    ("__feedback__", "mas", FEEDBACK),
    ("close", "mas", CLOSE),
]
LEX_MARIA_PATHS["reclassified"] = [
    ("reclassify", "mas", {"target_type": "lex_sarah", "comment": "Gäller omsorgen."})
]

DEVIATION_PATHS: dict[str, list[tuple[str, str, dict[str, Any]]]] = {
    "submitted": [],
    "escalated": [("assess", "manager", {"assess": {}})],
    "local_investigation": [("assess", "manager", {"assess": {"severity": 1, "likelihood": 1}})],
}
DEVIATION_PATHS["follow_up"] = [
    *DEVIATION_PATHS["local_investigation"],
    ("__investigate__", "manager", deviation_investigation()),
    ("complete_investigation", "manager", {}),
]
DEVIATION_PATHS["closed"] = [
    *DEVIATION_PATHS["follow_up"],
    ("__feedback__", "manager", FEEDBACK),
    ("close", "manager", CLOSE),
]
DEVIATION_PATHS["converted"] = [
    *DEVIATION_PATHS["escalated"],
    ("convert_to_lex_sarah", "target", {"comment": "Missförhållande."}),
]

PATHS = {"lex_sarah": LEX_SARAH_PATHS, "lex_maria": LEX_MARIA_PATHS, "deviation": DEVIATION_PATHS}


def new_case_of(
    session: Session,
    world: World,
    case_type: str,
    *,
    reporter: User | None = None,
    unit: Unit | None = None,
    **overrides: Any,
) -> Case:
    data = REPORTS[case_type](unit or world.solgarden, **overrides)
    return submit_report(session, reporter or world.reporter, data, case_type=case_type)


def escalation_target(world: World, case: Case) -> User:
    """The SAS for a SoL/LSS deviation, the MAS for an HSL one."""
    area = case.assessment.legal_area if case.assessment else case.unit.legal_areas[0]
    return world.mas if area == "HSL" else world.sas


def walk_to(
    session: Session,
    world: World,
    case: Case,
    state: str,
    *,
    legal_area: str | None = None,
    manager: User | None = None,
) -> Case:
    """Walks a case of any type to ``state``. ``legal_area`` (deviations; default the unit's
    first) and ``manager`` (default Solgården's) stand in for the path's defaults."""
    from workflows.lex_maria_records import record_medical_device_report, record_patient_information

    for trigger, who, data in PATHS[case.case_type][state]:
        if who == "target":
            actor = escalation_target(world, case)
        elif who == "manager" and manager is not None:
            actor = manager
        else:
            actor = getattr(world, who)
        if "assess" in data:
            data = assessment(
                session, **{"legal_area": legal_area or case.unit.legal_areas[0], **data["assess"]}
            )
        if trigger == "__investigate__":
            save_investigation(session, case, actor, data)
        elif trigger == "__patient_information__":
            record_patient_information(session, case, actor, data)
        elif trigger == "__feedback__":
            record_feedback(session, case, actor, data)
        elif trigger == "__medical_device_report__":
            if case.medical_device:
                record_medical_device_report(session, case, actor, data)
        else:
            fire(session, case, actor, trigger, data)
    assert case.state == state
    return case


def case_of(
    session: Session,
    world: World,
    case_type: str,
    state: str,
    *,
    legal_area: str | None = None,
    manager: User | None = None,
    **kwargs: Any,
) -> Case:
    """A case of ``case_type`` in ``state``; kwargs as for new_case_of."""
    case = new_case_of(session, world, case_type, **kwargs)
    return walk_to(session, world, case, state, legal_area=legal_area, manager=manager)


def hsl_unit(session: Session, world: World) -> Unit:
    """A health-care-only unit (Hemsjukvården) below Äldreomsorg: only the area manager answers
    for it."""
    unit = Unit(name="Hemsjukvården", kind="unit", parent=world.elder_care)
    unit.legal_areas = ["HSL"]
    session.add(unit)
    session.flush()
    return unit


def linked_rows(session: Session, case_id: int) -> dict[str, Any]:
    """What support.snapshot does not see: a deviation's assessment, lex Maria's patient
    information and medical-device report, and the links between cases."""
    from sqlalchemy import func, select

    from app.models import DeviationAssessment, PatientInformation

    session.expire_all()
    case = session.get(Case, case_id)
    assert case is not None
    return {
        "assessments": session.scalar(
            select(func.count())
            .select_from(DeviationAssessment)
            .where(DeviationAssessment.case_id == case_id)
        ),
        "patient_information": session.scalar(
            select(func.count())
            .select_from(PatientInformation)
            .where(PatientInformation.case_id == case_id)
        ),
        "medical_device_reported_on": case.medical_device_reported_on,
        "links": (case.origin_case_id, case.successor_case_id, case.related_case_id),
        "investigation": case.investigation.id if case.investigation else None,
    }
