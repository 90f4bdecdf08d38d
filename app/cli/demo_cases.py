"""Demo cases of all three types in different states, walked through the real operations by the
demo users who would do each step. Each case is made once: a case with the same report text
already there means it is skipped, so seeding again changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from app import db
from app.models import Case, Category, Unit, User
from workflows.engine import fire
from workflows.intake import report_event
from workflows.lex_maria_records import record_patient_information
from workflows.records import add_action, save_investigation


def _user(email: str) -> User:
    user = db.session().scalar(select(User).where(User.email == email))
    assert user is not None  # noqa: S101  (seeded just before)
    return user


def _unit(name: str) -> int:
    unit_id = db.session().scalar(select(Unit.id).where(Unit.name == name))
    assert unit_id is not None  # noqa: S101
    return unit_id


def _category(name: str) -> int:
    category_id = db.session().scalar(select(Category.id).where(Category.name == name))
    assert category_id is not None  # noqa: S101  (seeded by the migration)
    return category_id


@dataclass
class People:
    reporter: User
    nurse: User
    manager: User  # Solgården and Linden
    area_manager: User  # Äldreomsorg: Solgården and Hemtjänst Norr
    health_manager: User  # Hemsjukvården
    sas: User
    mas: User


def _people() -> People:
    return People(
        reporter=_user("medarbetare@exempelby.se"),
        nurse=_user("sjukskoterska@exempelby.se"),
        manager=_user("enhetschef@exempelby.se"),
        area_manager=_user("omradeschef@exempelby.se"),
        health_manager=_user("hemsjukvard@exempelby.se"),
        sas=_user("sas@exempelby.se"),
        mas=_user("mas@exempelby.se"),
    )


def _day(days_ago: int) -> str:
    return (date.today() - timedelta(days=days_ago)).isoformat()


def _in_days(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


def _report(
    reporter: User,
    unit: str,
    text: str,
    days_ago: int,
    kind: str,
    *,
    person: str = "Boende",
    **answers: Any,
) -> list[Case]:
    """A report as a member of staff makes it; ``kind`` is the type they chose (or "auto", and
    their plain ``answers`` decide)."""
    return report_event(
        db.session(),
        reporter,
        {
            "unit_id": _unit(unit),
            "description": text,
            "occurred_on": _day(days_ago),
            "discovered_on": _day(days_ago),
            "person_informed": "yes",
            "report_kind": kind,
            "persons": [{"description": person}],
            **answers,
        },
    )


def _measures(text: str, days_ago: int, hour: str = "18:00") -> dict[str, str]:
    return {"measures": text, "taken_at": f"{_day(days_ago)}T{hour}"}


def _assessment(area: str, category: str, severity: int, likelihood: int) -> dict[str, Any]:
    return {
        "legal_area": area,
        "category_id": _category(category),
        "severity": severity,
        "likelihood": likelihood,
    }


LEX_SARAH_INVESTIGATION = {
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
    "representative_informed": "yes",
    "person_heard": "yes",
    "noted_in_record": "yes",
    "police_report": "not_required",
}


def _event_analysis_started() -> dict[str, Any]:
    return {
        "purpose": "Klarlägga varför förflyttningen gjordes av en person trots att vårdplanen anger två.",
        "commissioner": "Maria MAS, medicinskt ansvarig sjuksköterska",
        "assignment_date": _day(5),
        "report_due_date": _in_days(25),
        "analysis_team": [
            {"name": "Sanna Sjuksköterska", "role": "sjuksköterska, analysledare", "unit": ""},
            {"name": "Fredrik Fysioterapeut", "role": "fysioterapeut", "unit": "Solgården"},
            {"name": "Ulla Undersköterska", "role": "undersköterska", "unit": "avdelning 2"},
        ],
        "method": "Händelseanalys enligt Socialstyrelsens och SKR:s modell: intervjuer, tidslinje "
        "och orsaksträd.",
        "what_happened": "Den boende skulle flyttas från sängen till rullstolen på morgonen. En "
        "undersköterska gjorde det ensam, utan lift. Den boende gled ned på golvet och "
        "bröt höften.",
    }


def _event_analysis_done() -> dict[str, Any]:
    return {
        "purpose": "Klarlägga hur patienten kunde få en annan patients läkemedel.",
        "commissioner": "Maria MAS, medicinskt ansvarig sjuksköterska",
        "assignment_date": _day(12),
        "report_due_date": _day(0),
        "analysis_team": [
            {"name": "Sanna Sjuksköterska", "role": "sjuksköterska, analysledare", "unit": ""},
            {"name": "Ulla Undersköterska", "role": "undersköterska", "unit": "hemsjukvården"},
            {"name": "Anders Apotekare", "role": "apotekare", "unit": "regionens läkemedelsenhet"},
        ],
        "method": "Händelseanalys med intervjuer, tidslinje och orsaksträd.",
        "what_happened": "Vid lunchen fick patienten en dospåse som var avsedd för en annan patient med "
        "liknande namn, bland annat ett starkt smärtstillande läkemedel. Patienten blev "
        "mycket trött och andades långsamt och fördes med ambulans till akuten, där hen "
        "fick motgift och vårdades ett dygn.",
        "cause_areas": ["processes_routines", "communication"],
        "underlying_causes": ["routine_missing_or_not_followed", "time_pressure"],
        "causes_text": "Kontroll av namn och personnummer mot dospåsen gjordes inte. Två patienter med "
        "liknande namn fick sina påsar i samma låda.",
        "contributing_factors": "Ny personal utan introduktion i läkemedelsrutinen; två besök samtidigt.",
        "other_risks": "Samma förvaring används hos fler patienter i samma boende.",
        "severity": 4,
        "likelihood": 2,
        "measures_text": "Individuella låsta läkemedelsskåp. Kontroll av identitet mot dospåsen vid varje "
        "överlämning. Introduktion i läkemedelshantering före första pass.",
        "proposed_grade": "serious_care_injury",
        "grade_motivation": "Patienten fick ett starkt opioidläkemedel som inte var ordinerat, med "
        "andningspåverkan och sjukhusvård som följd.",
        "analysis_evaluation": "Analysteamet fick en tydlig bild av förloppet; alla inblandade intervjuades.",
        "commissioner_comment": "Åtgärderna godkänns och följs upp om tre månader.",
    }


LOCAL_INVESTIGATION = {
    "what_happened": "Kvällsbesöket fanns inte med i planeringen efter en schemaändring. Brukaren "
    "fick ingen kvällsmat och hjälp till sängs först av nattpatrullen.",
    "causes_text": "Ändringen fördes in i schemat men inte i planeringssystemet.",
}


def _lex_sarah_submitted(p: People) -> None:
    _report(
        p.reporter, "Solgårdens särskilda boende", LS_MEALS, 0, "lex_sarah", location="Avdelning 2"
    )


def _lex_sarah_awaiting_investigation(p: People) -> None:
    [case] = _report(p.reporter, "Gruppbostaden Linden", LS_THREAT, 2, "lex_sarah")
    fire(
        db.session(),
        case,
        p.manager,
        "record_immediate_measures",
        _measures("Personalen flyttades till annan enhet i väntan på utredning.", 2),
    )


def _lex_sarah_awaiting_decision(p: People) -> None:
    session = db.session()
    [case] = _report(
        p.reporter, "Solgårdens särskilda boende", LS_ALARM, 10, "lex_sarah", location="Avdelning 2"
    )
    fire(
        session,
        case,
        p.manager,
        "record_immediate_measures",
        _measures("Larmet byttes ut samma natt.", 10, "05:00"),
    )
    fire(session, case, p.sas, "start_investigation", {})
    save_investigation(session, case, p.sas, LEX_SARAH_INVESTIGATION)
    add_action(
        session,
        case,
        p.sas,
        {
            "description": "Inför kontroll av larm vid varje skiftbyte.",
            "owner_id": p.manager.id,
            "due_on": _in_days(30),
        },
    )
    fire(session, case, p.sas, "complete_investigation", {})


def _lex_maria_awaiting_assessment(p: People) -> None:
    [case] = _report(
        p.nurse,
        "Hemsjukvården",
        LM_INSULIN,
        1,
        "auto",
        affected="patient",
        harm="harmed",
        person="Patient i hemsjukvården",
    )
    fire(
        db.session(),
        case,
        p.health_manager,
        "record_immediate_measures",
        _measures(
            "Patienten fick druvsocker och blodsockret kontrollerades var 30:e minut under "
            "kvällen. Läkare kontaktades.",
            1,
            "19:30",
        ),
    )


def _lex_maria_investigated_patient_informed(p: People) -> None:
    session = db.session()
    [case] = _report(
        p.reporter,
        "Solgårdens särskilda boende",
        LM_FALL,
        6,
        "auto",
        affected="patient",
        harm="harmed",
        location="Avdelning 2, rum 8",
    )
    fire(
        session,
        case,
        p.manager,
        "record_immediate_measures",
        _measures(
            "Ambulans tillkallades. Förflyttningar hos den boende görs med lift och två "
            "personal tills vidare.",
            6,
            "08:15",
        ),
    )
    fire(session, case, p.mas, "start_investigation", {})
    save_investigation(session, case, p.mas, _event_analysis_started())
    record_patient_information(
        session,
        case,
        p.mas,
        {
            "informed_on": _day(4),
            "informed_by": "Maria MAS, medicinskt ansvarig sjuksköterska",
            "recipient": "relative",
            "recipient_name": "Dottern",
            "topics": [
                "injury_occurred",
                "planned_measures",
                "how_to_complain",
                "patient_advisory_committee",
                "ivo_complaint",
                "compensation",
            ],
            "noted_in_patient_record": True,
            "patient_account": "Dottern berättar att mamma tidigare sagt att hon är rädd vid "
            "förflyttningar när bara en personal är där.",
        },
    )


def _lex_maria_awaiting_decision(p: People) -> None:
    session = db.session()
    [case] = _report(
        p.nurse,
        "Hemsjukvården",
        LM_WRONG_PATIENT,
        14,
        "lex_maria",
        person="Patient i hemsjukvården",
    )
    fire(
        session,
        case,
        p.health_manager,
        "record_immediate_measures",
        _measures(
            "Ambulans larmades. Övriga patienters dospåsar kontrollerades samma dag.", 14, "12:40"
        ),
    )
    fire(session, case, p.mas, "start_investigation", {})
    save_investigation(session, case, p.mas, _event_analysis_done())
    add_action(
        session,
        case,
        p.mas,
        {
            "description": "Installera låsta läkemedelsskåp hos "
            "patienter med dosdispenserade läkemedel.",
            "owner_id": p.health_manager.id,
            "due_on": _in_days(45),
        },
    )
    fire(session, case, p.mas, "complete_investigation", {})


def _lex_maria_medical_device(p: People) -> None:
    session = db.session()
    [case] = _report(
        p.nurse,
        "Hemsjukvården",
        LM_PUMP,
        3,
        "lex_maria",
        medical_device=True,
        person="Patient i hemsjukvården",
    )
    fire(session, case, p.mas, "start_investigation", {})


def _deviation_submitted(p: People) -> None:
    _report(
        p.reporter,
        "Solgårdens särskilda boende",
        AV_FALL,
        0,
        "auto",
        affected="care_recipient",
        harm="none",
        location="Avdelning 1, rum 3",
    )


def _deviation_local(p: People) -> None:
    session = db.session()
    [case] = _report(
        p.reporter,
        "Hemtjänst Norr",
        AV_MISSED_VISIT,
        4,
        "deviation",
        person="Brukare i hemtjänsten",
    )
    fire(session, case, p.area_manager, "assess", _assessment("SoL", "Utebliven insats", 2, 3))
    save_investigation(session, case, p.area_manager, LOCAL_INVESTIGATION)


def _deviation_theft(p: People) -> None:
    [case] = _report(p.reporter, "Solgårdens särskilda boende", AV_THEFT, 3, "deviation")
    fire(
        db.session(),
        case,
        p.manager,
        "assess",
        _assessment("SoL", "Stöld/ekonomiska övergrepp", 2, 2),
    )


def _deviation_converted(p: People) -> None:
    session = db.session()
    [case] = _report(p.reporter, "Gruppbostaden Linden", AV_SHOWER, 5, "deviation")
    fire(session, case, p.manager, "assess", _assessment("LSS", "Brister i omvårdnad", 3, 2))
    fire(
        session,
        case,
        p.sas,
        "convert_to_lex_sarah",
        {
            "comment": "Påtaglig risk för allvarligt missförhållande: den boende har epilepsi och "
            "ska enligt genomförandeplanen aldrig lämnas ensam i duschen. Utreds enligt "
            "lex Sarah."
        },
    )


def _deviation_hsl_escalated(p: People) -> None:
    [case] = _report(
        p.nurse, "Hemsjukvården", AV_INSULIN, 2, "deviation", person="Patient i hemsjukvården"
    )
    fire(db.session(), case, p.health_manager, "assess", _assessment("HSL", "Läkemedel", 3, 2))


def _both_laws(p: People) -> None:
    _report(
        p.reporter,
        "Solgårdens särskilda boende",
        BOTH_PRESSURE_ULCER,
        1,
        "auto",
        affected="both",
        harm="harmed",
        location="Avdelning 3",
    )


LS_MEALS = "En boende fick inte sina måltider på hela dagen eftersom ingen personal var schemalagd."
LS_THREAT = "Personal höjde rösten och hotade en boende med att inte få gå ut."
LS_ALARM = "Larmet fungerade inte under natten och en boende kunde inte påkalla hjälp."
LM_INSULIN = (
    "Vid kvällsbesöket upptäcktes att patienten hade fått sin insulindos två gånger, både "
    "av dagpersonalen och av kvällspersonalen. Blodsockret var 2,8 mmol/l."
)
LM_FALL = (
    "Vid förflyttning från säng till rullstol föll en boende när bara en personal hjälpte "
    "till, trots att vårdplanen anger två personal och lift. Den boende fick ont i höften "
    "och röntgen visade en höftfraktur."
)
LM_WRONG_PATIENT = (
    "Vid lunchens läkemedelsutdelning fick patienten en annan patients dospåse, "
    "bland annat oxikodon 10 mg. Patienten blev dåsig och andningspåverkad och "
    "fördes med ambulans till akuten."
)
LM_PUMP = (
    "Infusionspumpen larmade inte när slangen var avklämd. Patienten fick inte sin "
    "antibiotika under cirka sex timmar. Pumpen är tagen ur bruk och märkt."
)
AV_FALL = (
    "Boende hittades sittande på golvet i sitt rum vid morgonrundan. Hen sa att hen halkat "
    "på väg till toaletten. Inga synliga skador; sjuksköterskan tittade till hen."
)
AV_MISSED_VISIT = (
    "Kvällsbesöket hos en brukare uteblev. Brukaren fick ingen kvällsmat och kom i "
    "säng först när nattpatrullen kom kl. 22.30."
)
AV_THEFT = (
    "En boendes anhöriga saknar 1 500 kronor som låg i plånboken i byrålådan. Pengarna "
    "fanns där vid förra besöket för en vecka sedan."
)
AV_SHOWER = (
    "En boende lämnades ensam i duschen i cirka 20 minuter, trots att "
    "genomförandeplanen anger att personal ska vara med hela tiden på grund av epilepsi."
)
AV_INSULIN = (
    "Patienten fick inte sin morgondos insulin eftersom den ändrade ordinationen inte "
    "förts in i signeringslistan. Blodsockret var 19 mmol/l vid kontroll på "
    "eftermiddagen."
)
BOTH_PRESSURE_ULCER = (
    "En boende med trycksår på hälen har inte fått såromläggning enligt "
    "ordination under en vecka och har flera nätter lämnats i våt säng. Såret "
    "har blivit djupare."
)

# (the report text that identifies the case, the steps that make it)
SCENARIOS: tuple[tuple[str, Callable[[People], None]], ...] = (
    (LS_MEALS, _lex_sarah_submitted),
    (LS_THREAT, _lex_sarah_awaiting_investigation),
    (LS_ALARM, _lex_sarah_awaiting_decision),
    (LM_INSULIN, _lex_maria_awaiting_assessment),
    (LM_FALL, _lex_maria_investigated_patient_informed),
    (LM_WRONG_PATIENT, _lex_maria_awaiting_decision),
    (LM_PUMP, _lex_maria_medical_device),
    (AV_FALL, _deviation_submitted),
    (AV_MISSED_VISIT, _deviation_local),
    (AV_THEFT, _deviation_theft),
    (AV_SHOWER, _deviation_converted),
    (AV_INSULIN, _deviation_hsl_escalated),
    (BOTH_PRESSURE_ULCER, _both_laws),
)


def seed_cases() -> bool:
    """Makes each demo case not yet there; returns whether any was made."""
    session = db.session()
    people = _people()
    made = False
    from .demo_complaints import COMPLAINT_SCENARIOS

    for text, make in (*SCENARIOS, *COMPLAINT_SCENARIOS):
        if session.scalar(select(Case.id).where(Case.description == text).limit(1)) is None:
            make(people)
            made = True
    session.flush()
    return made
