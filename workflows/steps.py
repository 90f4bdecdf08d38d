"""Checks and effects shared by the lex Sarah and lex Maria machines."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from app.models import (
    AffectedPerson,
    Case,
    CaseEvent,
    Closure,
    Decision,
    Filing,
    ImmediateMeasures,
    Investigation,
    IvoResponse,
    User,
)
from app.models.base import utcnow
from app.models.investigation import SERIOUS_GRADES

from .definition import N_, StepContext
from .references import next_reference

# Why the deadlines still open are waived when a case is closed (Step.ends).
CLOSED = N_("Ärendet avslutades.")

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def local_to_utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=STOCKHOLM)
    return value.astimezone(UTC)


# --- checks (each returns field errors; empty means fine) ---------------------------------


def immediate_measures_recorded(ctx: StepContext) -> Mapping[str, list[str]]:
    if ctx.case.immediate_measures is None:
        return {
            "immediate_measures": [
                _("Omedelbara åtgärder måste dokumenteras av enhetschefen först.")
            ]
        }
    return {}


def not_purged(ctx: StepContext) -> Mapping[str, list[str]]:
    # A purged case has lost its content (gallring); reopened, it would collect new text that
    # no later run removes, since retention only looks at cases not yet purged.
    if ctx.case.purged_at is not None:
        return {"reopen": [_("Ärendet är gallrat och kan inte öppnas igen.")]}
    return {}


def measures_not_yet_recorded(ctx: StepContext) -> Mapping[str, list[str]]:
    if ctx.case.immediate_measures is not None:
        return {"immediate_measures": [_("Omedelbara åtgärder är redan dokumenterade.")]}
    return {}


def investigator_is_valid(ctx: StepContext) -> Mapping[str, list[str]]:
    investigator_id = ctx.data.get("investigator_id")
    if investigator_id is None:
        return {}
    user = ctx.session.get(User, investigator_id)
    if user is None or not user.is_active or not user.has_role(ctx.role):
        return {"investigator_id": [_("Utredaren måste vara en aktiv användare med samma roll.")]}
    return {}


# The items each investigation must hold before it is completed (SOSFS 2011:5 5 kap. for lex
# Sarah; the event analysis of HSLF-FS 2017:40 for lex Maria, every item of it (rev. 2); a
# deviation's local investigation).
REQUIRED_ITEMS = {
    "lex_sarah": (
        "what_happened",
        "how_noticed",
        "when_occurred",
        "happened_before",
        "measures_text",
        "grade_motivation",
    ),
    "lex_maria": (
        "purpose",
        "commissioner",
        "method",
        "what_happened",
        "contributing_factors",
        "other_risks",
        "measures_text",
        "analysis_evaluation",
        "commissioner_comment",
        "grade_motivation",
    ),
    "deviation": ("what_happened", "measures_text"),
}
REQUIRED_CHOICES = {
    "lex_sarah": (
        "severity",
        "likelihood",
        "proposed_grade",
        "person_informed",
        "representative_informed",
        "person_heard",
        "noted_in_record",
        "police_report",
    ),
    "lex_maria": (
        "assignment_date",
        "report_due_date",
        "severity",
        "likelihood",
        "proposed_grade",
    ),
    "deviation": (),
}
# The person and their representative are told apart, and being heard is a third question
# (rev. 2): each is asked in its own words.
CHOICE_MESSAGES = {
    "person_informed": N_("Ange om den enskilde har informerats."),
    "representative_informed": N_(
        "Ange om den enskildes företrädare (god man, förvaltare eller anhörig) har informerats,"
        " eller att den enskilde inte har någon företrädare."
    ),
    "person_heard": N_("Ange om den enskilde har fått lämna synpunkter."),
}


def investigation_complete(ctx: StepContext) -> Mapping[str, list[str]]:
    inv = ctx.case.investigation
    if inv is None:
        return {"investigation": [_("Utredningen är inte påbörjad.")]}
    return investigation_gaps(inv, ctx.case.case_type)


def investigation_gaps(inv: Investigation, case_type: str = "lex_sarah") -> dict[str, list[str]]:
    missing = _("Uppgiften krävs innan utredningen kan slutföras.")
    errors: dict[str, list[Any]] = {}
    for field in REQUIRED_ITEMS[case_type]:
        if not (getattr(inv, field) or "").strip():
            errors[field] = [missing]
    if not inv.cause_areas and not inv.causes_text.strip():
        errors["cause_areas"] = [_("Ange orsaksområden eller beskriv orsakerna.")]
    for field in REQUIRED_CHOICES[case_type]:
        if getattr(inv, field) is None:
            errors[field] = [_(CHOICE_MESSAGES[field]) if field in CHOICE_MESSAGES else missing]
    if case_type == "lex_sarah":
        if not inv.event_types:
            errors["event_types"] = [missing]
        if inv.police_report == "not_required" and (
            "financial_irregularity" in inv.event_types or _origin_needs_police_report(inv)
        ):
            errors["police_report"] = [_("Stöld och ekonomiska övergrepp ska alltid polisanmälas.")]
    if case_type == "lex_maria":
        if not inv.underlying_causes:
            errors["underlying_causes"] = [_("Välj minst en bakomliggande orsak.")]
        team = team_gaps(inv)
        if team:
            errors["analysis_team"] = team
    return errors


def team_gaps(inv: Investigation) -> list[Any]:
    """The analysis team's gaps in WTForms' shape for a list of forms, row by row: at least one
    participant, and each with a name and a role."""
    if not inv.analysis_team:
        return [{"name": [_("Ange minst en deltagare i analysteamet.")]}]
    rows: list[dict[str, list[str]]] = [
        {
            **({"name": [_("Ange deltagarens namn.")]} if not p.name else {}),
            **({"role": [_("Ange deltagarens roll.")]} if not p.role else {}),
        }
        for p in inv.analysis_team
    ]
    return rows if any(rows) else []


def _origin_needs_police_report(inv: Investigation) -> bool:
    # A case converted from a theft deviation keeps the police report its category demands,
    # even if the investigator picks other event types.
    origin = inv.case.origin_case if inv.case is not None else None
    return bool(
        origin is not None and origin.assessment is not None and origin.assessment.police_report
    )


# The lex Maria grades that mean the patient suffered a care injury: PSL 3 kap. 8 § applies to
# a patient "som har drabbats av en vårdskada" (DOMAIN.md §3.2 rev. 2); for the others the
# information may be recorded but is not required.
CARE_INJURY_GRADES = ("care_injury", "serious_care_injury")


def care_injury_found(case: Case) -> bool:
    inv = case.investigation
    return (
        case.case_type == "lex_maria"
        and inv is not None
        and inv.completed_at is not None
        and inv.proposed_grade in CARE_INJURY_GRADES
    )


def patient_informed(ctx: StepContext) -> Mapping[str, list[str]]:
    if care_injury_found(ctx.case) and not ctx.case.patient_information:
        return {
            "patient_information": [
                _(
                    "Informationen till patienten (PSL 3 kap. 8 §) måste registreras innan ärendet avslutas."
                )
            ]
        }
    return {}


def feedback_given(ctx: StepContext) -> Mapping[str, list[str]]:
    if not ctx.case.feedback:
        return {
            "feedback": [
                _(
                    "Återkopplingen till den som rapporterade måste registreras innan ärendet avslutas."
                )
            ]
        }
    return {}


def medical_device_reported(ctx: StepContext) -> Mapping[str, list[str]]:
    if ctx.case.medical_device and ctx.case.medical_device_reported_on is None:
        return {
            "medical_device": [
                _(
                    "Rapporten till Läkemedelsverket om den medicintekniska produkten måste registreras."
                )
            ]
        }
    return {}


def actions_settled(ctx: StepContext) -> Mapping[str, list[str]]:
    open_actions = [a for a in ctx.case.actions if a.status == "planned"]
    if open_actions:
        return {
            "actions": [
                _(
                    "Alla åtgärder måste vara genomförda eller överlämnade till enhetens plan (%(n)d kvar).",
                    n=len(open_actions),
                )
            ]
        }
    return {}


def investigation_done(ctx: StepContext) -> Mapping[str, list[str]]:
    inv = ctx.case.investigation
    if inv is None or inv.completed_at is None:
        return {"investigation": [_("Utredningen måste vara slutförd innan ärendet avslutas.")]}
    if ctx.case.early_filing and ctx.case.investigation_sent_to_ivo_on is None:
        return {"investigation": [_("Utredningen måste skickas till IVO innan ärendet avslutas.")]}
    return {}


# --- route conditions ------------------------------------------------------------------------


def proposal_is_serious(ctx: StepContext) -> bool:
    inv = ctx.case.investigation
    return inv is not None and inv.proposed_grade in SERIOUS_GRADES


def proposal_not_serious(ctx: StepContext) -> bool:
    return not proposal_is_serious(ctx)


def early_proposal(ctx: StepContext) -> bool:
    return ctx.case.early_filing


def regular_proposal(ctx: StepContext) -> bool:
    return not ctx.case.early_filing


def supplement_requested(ctx: StepContext) -> bool:
    return ctx.data.get("outcome") == "supplement_requested"


def not_supplement_requested(ctx: StepContext) -> bool:
    return not supplement_requested(ctx)


# --- effects -------------------------------------------------------------------------------


def record_immediate_measures(ctx: StepContext) -> None:
    d = ctx.data
    none_needed = bool(d.get("none_needed"))
    ctx.case.immediate_measures = ImmediateMeasures(
        none_needed=none_needed,
        measures="" if none_needed else d["measures"].strip(),
        none_needed_reason=d["none_needed_reason"].strip() if none_needed else "",
        taken_at=None if none_needed else local_to_utc(d.get("taken_at")),
        recorded_by_id=ctx.actor.id,
    )
    ctx.record.update(none_needed=none_needed)


def start_investigation(ctx: StepContext) -> None:
    investigator_id = ctx.data.get("investigator_id") or ctx.actor.id
    ctx.case.investigator_id = investigator_id
    if ctx.case.investigation is None:
        ctx.case.investigation = Investigation(started_by_id=ctx.actor.id)
        origin = ctx.case.origin_case
        # A theft or financial abuse deviation arrives with its police report already due.
        if origin is not None and origin.assessment is not None and origin.assessment.police_report:
            ctx.case.investigation.police_report = "required"
    ctx.record.update(investigator_id=investigator_id)


def complete_investigation(ctx: StepContext) -> None:
    inv = ctx.case.investigation
    assert inv is not None  # noqa: S101  (checked by investigation_complete)
    inv.completed_at = utcnow()
    ctx.record.update(proposed_grade=inv.proposed_grade, investigation_number=inv.number)
    # Imported here: app.documents renders through the app, which imports the workflows.
    from app.documents import store_investigation

    store_investigation(ctx.session, ctx.case)


def propose_early_filing(ctx: StepContext) -> None:
    inv = ctx.case.investigation
    assert inv is not None  # noqa: S101  (started on entering under_investigation)
    inv.proposed_grade = ctx.data["proposed_grade"]
    inv.grade_motivation = ctx.data["grade_motivation"].strip()
    ctx.case.early_filing = True
    ctx.record.update(proposed_grade=inv.proposed_grade, early=True)


def _decision(
    ctx: StepContext, outcome: str, motivation: str, decider_grade: str | None = None
) -> None:
    inv = ctx.case.investigation
    ctx.case.decisions.append(
        Decision(
            outcome=outcome,
            motivation=motivation.strip(),
            decider_grade=decider_grade,
            proposed_grade=inv.proposed_grade if inv else None,
            early=ctx.case.early_filing,
            decider_id=ctx.actor.id,
            decider_name=ctx.actor.name,
            decider_role=ctx.role,
        )
    )
    ctx.record.update(outcome=outcome, decider_grade=decider_grade)


def approve_filing(ctx: StepContext) -> None:
    _decision(ctx, "approve_filing", ctx.data["motivation"])


def decline_filing(ctx: StepContext) -> None:
    _decision(ctx, "decline_filing", ctx.data["motivation"], ctx.data["decider_grade"])
    # Declining an early proposal sends the case back to be investigated in full.
    if ctx.case.early_filing:
        ctx.case.early_filing = False


def return_to_investigator(ctx: StepContext) -> None:
    _decision(ctx, "return_to_investigator", ctx.comment)
    ctx.case.early_filing = False
    inv = ctx.case.investigation
    if inv is not None and inv.completed_at is not None:
        # A returned investigation is reopened; its next version gets the next number.
        inv.completed_at = None
        inv.number += 1


def record_filing(ctx: StepContext) -> None:
    d = ctx.data
    ctx.case.filings.append(
        Filing(
            filed_on=d["filed_on"],
            channel=d["channel"],
            ivo_case_number=(d.get("ivo_case_number") or "").strip(),
            own_case_number=(d.get("own_case_number") or "").strip(),
            recorded_by_id=ctx.actor.id,
        )
    )
    ctx.record.update(filed_on=d["filed_on"].isoformat(), channel=d["channel"])


def record_ivo_response(ctx: StepContext) -> None:
    d = ctx.data
    ctx.case.ivo_responses.append(
        IvoResponse(
            received_on=d["received_on"],
            outcome=d["outcome"],
            text=(d.get("text") or "").strip(),
            recorded_by_id=ctx.actor.id,
        )
    )
    number = (d.get("ivo_case_number") or "").strip()
    filing = ctx.case.latest_filing
    if number and filing is not None and not filing.ivo_case_number:
        filing.ivo_case_number = number
    ctx.record.update(outcome=d["outcome"], received_on=d["received_on"].isoformat())


def close(ctx: StepContext) -> None:
    now = utcnow()
    person_informed = ctx.data["person_informed"]
    ctx.case.closures.append(
        Closure(person_informed=person_informed, closed_by_id=ctx.actor.id, closed_at=now)
    )
    ctx.case.closed_at = now
    ctx.record.update(person_informed=person_informed)


def reopen(ctx: StepContext) -> None:
    ctx.case.closed_at = None


def reclassify(ctx: StepContext) -> None:
    open_linked_case(ctx, ctx.data["target_type"], "created_from")


def convert_to_lex_sarah(ctx: StepContext) -> None:
    open_linked_case(ctx, "lex_sarah", "converted_from")


def convert_to_lex_maria(ctx: StepContext) -> None:
    open_linked_case(ctx, "lex_maria", "converted_from")


def open_linked_case(ctx: StepContext, target: str, link_trigger: str) -> Case:
    """Opens the case of the new type, carrying the report over; old and new point to each other.
    The new case starts its own clock; its page shows the old one's history."""
    old = ctx.case
    new = Case(
        case_type=target,
        state="submitted",
        unit_id=old.unit_id,
        reporter_id=old.reporter_id,
        reporter_name=old.reporter_name,
        reporter_title=old.reporter_title,
        reporter_employer=old.reporter_employer,
        occurred_on=old.occurred_on,
        occurred_time=old.occurred_time,
        discovered_on=old.discovered_on,
        location=old.location,
        description=old.description,
        reporter_actions=old.reporter_actions,
        person_informed=old.person_informed,
        affected=old.affected,
        harm=old.harm,
        medical_device=old.medical_device,
        origin_case_id=old.id,
        persons=[
            AffectedPerson(name=p.name, personnummer=p.personnummer, description=p.description)
            for p in old.persons
        ],
    )
    new.reference, new.year, new.seq = next_reference(ctx.session, target)
    ctx.session.add(new)
    ctx.session.flush()
    old.successor_case = new
    ctx.session.add(
        CaseEvent(
            case_id=new.id,
            actor_id=ctx.actor.id,
            actor_name=ctx.actor.name,
            actor_role=ctx.role,
            trigger=link_trigger,
            from_state=None,
            to_state=new.state,
            data={"origin_case_id": old.id, "origin_reference": old.reference},
            comment=ctx.comment,
        )
    )
    ctx.record.update(
        target_type=target, successor_case_id=new.id, successor_reference=new.reference
    )
    return new


# --- deviations ------------------------------------------------------------------------------


def escalates(ctx: StepContext) -> bool:
    """Severity ≥ threshold, score ≥ threshold, or a category that always escalates (§3.3, §5)."""
    from app.models import Category

    from .escalation import escalates as by_rule

    category = ctx.session.get(Category, ctx.data["category_id"])
    return by_rule(ctx.session, category, int(ctx.data["severity"]), int(ctx.data["likelihood"]))


def stays_local(ctx: StepContext) -> bool:
    return not escalates(ctx)


def assess(ctx: StepContext) -> None:
    from app.models import Category, DeviationAssessment

    d = ctx.data
    category = ctx.session.get(Category, d["category_id"])
    escalated = escalates(ctx)
    ctx.case.assessment = DeviationAssessment(
        legal_area=d["legal_area"],
        category_id=d["category_id"],
        severity=int(d["severity"]),
        likelihood=int(d["likelihood"]),
        escalated=escalated,
        police_report=bool(category and category.police_report),
        assessed_by_id=ctx.actor.id,
    )
    if not escalated:
        _start_local_investigation(ctx)
    ctx.record.update(
        legal_area=d["legal_area"],
        category_id=d["category_id"],
        severity=int(d["severity"]),
        likelihood=int(d["likelihood"]),
        escalated=escalated,
    )


def category_known(ctx: StepContext) -> Mapping[str, list[str]]:
    from app.models import Category

    category = ctx.session.get(Category, ctx.data.get("category_id") or 0)
    if category is None or not category.active:
        return {"category_id": [_("Välj en kategori.")]}
    return {}


def _forced_type(ctx: StepContext) -> str | None:
    assessment = ctx.case.assessment
    if assessment is None or not assessment.category.always_escalate:
        return None
    return assessment.category.escalate_to


def may_become_lex_maria(ctx: StepContext) -> Mapping[str, list[str]]:
    forced = _forced_type(ctx)
    if forced is not None and forced != "lex_maria":
        return {
            "comment": [
                _(
                    "Avvikelser i kategorin %(category)s blir alltid ett lex Sarah-ärende.",
                    category=ctx.case.assessment.category.name if ctx.case.assessment else "",
                )
            ]
        }
    return {}


def may_become_lex_sarah(ctx: StepContext) -> Mapping[str, list[str]]:
    forced = _forced_type(ctx)
    if forced is not None and forced != "lex_sarah":
        return {"comment": [_("Avvikelser i den här kategorin blir alltid ett lex Maria-ärende.")]}
    return {}


def may_stay_local(ctx: StepContext) -> Mapping[str, list[str]]:
    if _forced_type(ctx) is not None:
        return {
            "comment": [
                _(
                    "Avvikelser i den här kategorin ska alltid utredas enligt lex Sarah eller lex Maria och kan inte återföras."
                )
            ]
        }
    return {}


def return_to_manager(ctx: StepContext) -> None:
    _start_local_investigation(ctx)


def _start_local_investigation(ctx: StepContext) -> None:
    if ctx.case.investigation is None:
        ctx.case.investigation = Investigation(started_by_id=ctx.actor.id)
