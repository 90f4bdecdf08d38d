"""Demo complaints and views (DOMAIN.md §3.4) across kinds, channels and areas, made through
create_complaint and walked through the machine by the demo users who would take each step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from app import db
from app.complaints.operations import create_complaint
from app.models import Case, Unit
from workflows.engine import fire

if TYPE_CHECKING:
    from .demo_cases import People


def _units(*names: str) -> list[int]:
    ids = [db.session().scalar(select(Unit.id).where(Unit.name == n)) for n in names]
    assert all(i is not None for i in ids)  # noqa: S101  (seeded just before)
    return [i for i in ids if i is not None]


def _answer(text: str, findings: str = "", days_ago: int = 0) -> dict[str, Any]:
    return {
        "findings": findings,
        "answered_on": (date.today() - timedelta(days=days_ago)).isoformat(),
        "answer_channel": "letter",
        "answer_text": text,
    }


def _new(text: str, kind: str, units: list[str], **kwargs: Any) -> Case:
    values: dict[str, Any] = {"sender_role": "relative", "channel": "letter"}
    values.update(kwargs)
    actor = values.pop("actor", None)
    return create_complaint(
        db.session(), actor=actor, kind=kind, text=text, unit_ids=_units(*units), **values
    )


def _received_e_service(p: People) -> None:
    _new(
        KL_KEYS,
        "complaint",
        ["Hemtjänst Norr"],
        channel="e_service",
        sender_role="care_recipient",
        sender_contact="brukare@example.se",
    )


def _praise_answered(p: People) -> None:
    case = _new(
        KL_PRAISE,
        "praise",
        ["Solgårdens särskilda boende"],
        actor=p.manager,
        channel="phone",
        sender_name="Karin Ek",
    )
    fire(db.session(), case, p.manager, "answer", _answer("Tack för dina vänliga ord!"))


def _question_acknowledged(p: People) -> None:
    case = _new(
        KL_QUESTION,
        "question",
        ["Gruppbostaden Linden"],
        actor=p.manager,
        sender_role="relative",
        sender_contact="anhorig@example.se",
    )
    fire(db.session(), case, p.manager, "acknowledge", {})


def _joint_complaint_investigated(p: People) -> None:
    session = db.session()
    case = _new(
        KL_JOINT,
        "complaint",
        ["Solgårdens särskilda boende", "Hemsjukvården"],
        actor=p.area_manager,
        channel="in_person",
        sender_name="Per Lund",
        sender_contact="per.lund@example.se",
    )
    fire(session, case, p.area_manager, "acknowledge", {})
    fire(session, case, p.area_manager, "assign", {})


def _via_ivo_escalated(p: People) -> None:
    session = db.session()
    case = _new(
        KL_IVO,
        "complaint",
        ["Gruppbostaden Linden"],
        actor=p.sas,
        channel="ivo",
        sender_role="organisation",
        ivo_case_number="3.5.1-04711/2026",
        ivo_answer_by=date.today() + timedelta(days=20),
    )
    fire(session, case, p.sas, "acknowledge", {})
    fire(
        session,
        case,
        p.sas,
        "escalate_to_lex_sarah",
        {"comment": "Uppgifterna tyder på ett missförhållande. Utreds enligt lex Sarah."},
    )


def _suggestion_closed(p: People) -> None:
    session = db.session()
    case = _new(
        KL_SUGGESTION,
        "suggestion",
        ["Hemsjukvården"],
        actor=p.health_manager,
        channel="patient_committee",
        sender_role="patient",
        sender_contact="patient@example.se",
    )
    fire(session, case, p.health_manager, "acknowledge", {})
    fire(session, case, p.health_manager, "assign", {})
    fire(
        session,
        case,
        p.health_manager,
        "answer",
        _answer(
            "Vi skickar nu alltid en påminnelse dagen innan besöket.",
            "Besöken bokades utan att patienten fick besked.",
        ),
    )
    fire(session, case, p.health_manager, "close", {})


KL_KEYS = "Hemtjänsten har tappat bort nyckeln till min lägenhet två gånger den här månaden."
KL_PRAISE = "Stort tack till personalen på avdelning 2 för omtanken om min pappa i slutet av livet."
KL_QUESTION = "Hur ofta får min bror följa med på utflykter, och vem bestämmer det?"
KL_JOINT = (
    "Min mamma fick fel tider för sina läkemedel efter flytten, och ingen på boendet eller i "
    "hemsjukvården visste vem som ansvarade."
)
KL_IVO = "Klagomål via IVO: en boende ska ha lämnats utan tillsyn en hel kväll."
KL_SUGGESTION = "Det vore bra att få en påminnelse innan sjuksköterskan kommer hem."

COMPLAINT_SCENARIOS: tuple[tuple[str, Callable[[People], None]], ...] = (
    (KL_KEYS, _received_e_service),
    (KL_PRAISE, _praise_answered),
    (KL_QUESTION, _question_acknowledged),
    (KL_JOINT, _joint_complaint_investigated),
    (KL_IVO, _via_ivo_escalated),
    (KL_SUGGESTION, _suggestion_closed),
)
