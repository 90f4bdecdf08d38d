"""Checks and effects shared by the lex Sarah and lex Maria machines."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
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
from app.models.investigation import SERIOUS_GRADES

from .definition import StepContext
from .references import next_reference

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
        return {"immediate_measures": [_("Omedelbara åtgärder måste dokumenteras av enhetschefen först.")]}
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


LEX_SARAH_REQUIRED_ITEMS = {
    "what_happened": "1",
    "how_noticed": "2",
    "when_occurred": "3",
    "happened_before": "5",
    "measures_text": "7",
    "grade_motivation": "9",
}


def investigation_complete(ctx: StepContext) -> Mapping[str, list[str]]:
    inv = ctx.case.investigation
    if inv is None:
        return {"investigation": [_("Utredningen är inte påbörjad.")]}
    return investigation_gaps(inv)


def investigation_gaps(inv: Investigation) -> dict[str, list[str]]:
    missing = _("Uppgiften krävs innan utredningen kan slutföras.")
    errors: dict[str, list[str]] = {}
    for field in LEX_SARAH_REQUIRED_ITEMS:
        if not (getattr(inv, field) or "").strip():
            errors[field] = [missing]
    if not inv.cause_areas and not inv.causes_text.strip():
        errors["cause_areas"] = [_("Ange orsaksområden eller beskriv orsakerna.")]
    for field in ("severity", "likelihood", "proposed_grade", "person_informed",
                  "noted_in_record", "police_report"):
        if getattr(inv, field) is None:
            errors[field] = [missing]
    if not inv.event_types:
        errors["event_types"] = [missing]
    if "financial_irregularity" in inv.event_types and inv.police_report == "not_required":
        errors["police_report"] = [_("Stöld och ekonomiska övergrepp ska alltid polisanmälas.")]
    return errors


def actions_settled(ctx: StepContext) -> Mapping[str, list[str]]:
    open_actions = [a for a in ctx.case.actions if a.status == "planned"]
    if open_actions:
        return {"actions": [_("Alla åtgärder måste vara genomförda eller överlämnade till enhetens plan (%(n)d kvar).", n=len(open_actions))]}
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
    ctx.record.update(investigator_id=investigator_id)


def complete_investigation(ctx: StepContext) -> None:
    inv = ctx.case.investigation
    assert inv is not None  # noqa: S101  (checked by investigation_complete)
    inv.completed_at = datetime.now(UTC)
    ctx.record.update(proposed_grade=inv.proposed_grade, investigation_number=inv.number)


def propose_early_filing(ctx: StepContext) -> None:
    inv = ctx.case.investigation
    assert inv is not None  # noqa: S101  (started on entering under_investigation)
    inv.proposed_grade = ctx.data["proposed_grade"]
    inv.grade_motivation = ctx.data["grade_motivation"].strip()
    ctx.case.early_filing = True
    ctx.record.update(proposed_grade=inv.proposed_grade, early=True)


def _decision(ctx: StepContext, outcome: str, motivation: str, decider_grade: str | None = None) -> None:
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
    d = ctx.data
    now = datetime.now(UTC)
    ctx.case.closures.append(
        Closure(
            feedback_on=d["feedback_on"],
            feedback_channel=d["feedback_channel"],
            feedback_text=d["feedback_text"].strip(),
            person_informed=d["person_informed"],
            closed_by_id=ctx.actor.id,
            closed_at=now,
        )
    )
    ctx.case.closed_at = now
    ctx.record.update(feedback_on=d["feedback_on"].isoformat(), person_informed=d["person_informed"])


def reopen(ctx: StepContext) -> None:
    ctx.case.closed_at = None


def reclassify(ctx: StepContext) -> None:
    """Opens the linked case of the new type, carrying the report over; the old one points to it."""
    old = ctx.case
    target = ctx.data["target_type"]
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
            trigger="created_from",
            from_state=None,
            to_state=new.state,
            data={"origin_case_id": old.id, "origin_reference": old.reference},
            comment=ctx.comment,
        )
    )
    ctx.record.update(target_type=target, successor_case_id=new.id, successor_reference=new.reference)

