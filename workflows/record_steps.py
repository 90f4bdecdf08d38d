"""The steps that record without moving the state, declared like the state-moving ones: which
section each writes, from which states and by whom. Their operations (workflows.records,
workflows.lex_maria_records, workflows.intake) ask this declaration; so do the case page, the
API and the history's redaction (a row is shown to those who may see its step's section)."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Case, User

from .definition import Route, Step, StepContext
from .permissions import (
    OVERSIGHT_AREAS,
    as_case_handler,
    as_decider,
    as_investigation_writer,
    as_investigator,
    as_reporter,
    is_decider,
    manages,
    oversees,
)
from .start_events import INVESTIGATION_COMPLETED

STAYS = (Route(None),)

# From the investigation on, while the case is open: where actions may be added, and the
# investigation and its files written (records.investigation_writable narrows the text to the
# investigation itself and an early-filed case's until it is sent).
ACTION_STATES = INVESTIGATION_STATES = (
    "under_investigation",
    "local_investigation",
    "awaiting_decision",
    "awaiting_filing",
    "filed",
    "follow_up",
)

# Where an early-filed case's investigation may still be written, until it has been sent to IVO.
EARLY_WRITABLE = ("awaiting_decision", "awaiting_filing", "filed", "follow_up")


def investigation_writable(case: Case) -> bool:
    inv = case.investigation
    if inv is None or inv.locked:
        return False
    if case.state in ("under_investigation", "local_investigation"):
        return True
    return (
        case.early_filing
        and case.investigation_sent_to_ivo_on is None
        and case.state in EARLY_WRITABLE
    )


def investigation_open(ctx: StepContext) -> Mapping[str, list[str]]:
    if investigation_writable(ctx.case):
        return {}
    return {"investigation": [_("Utredningen kan inte ändras i ärendets nuvarande status.")]}


def awaiting_sending(ctx: StepContext) -> Mapping[str, list[str]]:
    """An early-filed case's investigation not yet sent to IVO."""
    if ctx.case.early_filing and ctx.case.investigation_sent_to_ivo_on is None:
        return {}
    return {"sent_on": [_("Det finns ingen utredning som väntar på att skickas till IVO.")]}


# Feedback to the reporter (DOMAIN.md §3.1 rev. 2): from the investigation's completion on, while
# the case is open. The states after complete_investigation; an early-filed case passes through
# them before its investigation is complete, so the guard asks the investigation itself.
FEEDBACK_STATES = ("awaiting_decision", "awaiting_filing", "filed", "follow_up")


def investigation_completed(ctx: StepContext) -> Mapping[str, list[str]]:
    inv = ctx.case.investigation
    if inv is not None and inv.completed_at is not None:
        return {}
    return {"feedback": [_("Återkoppling kan registreras först när utredningen är slutförd.")]}


def device_involved(ctx: StepContext) -> Mapping[str, list[str]]:
    if ctx.case.medical_device:
        return {}
    return {"reported_on": [_("Ingen medicinteknisk produkt är angiven i ärendet.")]}


def came_with_receipt(ctx: StepContext) -> Mapping[str, list[str]]:
    """Sent through the public e-service, so that there is a sender to write to (a staff
    member's own report is answered through their account)."""
    from app.models import Receipt

    if ctx.session.scalar(select(Receipt.id).where(Receipt.case_id == ctx.case.id)) is not None:
        return {}
    return {"text": [_("Ärendet kom inte in via e-tjänsten och har ingen avsändare utan konto.")]}


def no_user(_session: Session, _user: User, _case: Case) -> str | None:
    """A step no account takes: the sender without one writes through their receipt."""
    return None


# The role of someone who acts on a row of the case they own (an action) without seeing the case.
ROW_OWNER = "owner"


def as_action_handler(session: Session, user: User, case: Case) -> str | None:
    """The case's handler updates every action; an action's owner their own (the operation,
    workflows.records.update_action, holds the owner to the action they own)."""
    role = as_case_handler(session, user, case)
    if role is not None:
        return role
    return ROW_OWNER if any(a.owner_id == user.id for a in case.actions) else None


# Which attachment step writes to which section (DOMAIN.md §3.1 rev. 2): the reporter's files
# belong to the report, the investigator's to the investigation.
ATTACHMENT_TRIGGERS = {
    "report": "add_attachment",
    "investigation": "add_investigation_attachment",
    "decision": "add_decision_attachment",
}

# The decider's files (a signed protocol, a delegation decision): while deciding and after.
DECISION_STATES = ("awaiting_decision", "awaiting_filing", "filed", "follow_up")


def as_report_contributor(session: Session, user: User, case: Case) -> str | None:
    """Anyone who sees the case may add to its report's files, in the role they see it in."""
    if oversees(user, case):
        overseeing = as_investigator(session, user, case)
        return overseeing or next(r for r in OVERSIGHT_AREAS if user.has_role(r))
    if is_decider(session, user, case):
        return as_decider(session, user, case)
    return ("manager" if manages(session, user, case) else None) or as_reporter(session, user, case)


def record_steps(
    case_type: str, states: tuple[str, ...], open_states: tuple[str, ...]
) -> tuple[Step, ...]:
    def within(*names: str) -> tuple[str, ...]:
        return tuple(s for s in names if s in states)

    steps = [
        Step(
            "submit",
            ("submitted",),
            (Route(None, opens=("report_received",)),),
            who=as_reporter,
            section="report",
        ),
        # The reporter was told at once that the report became two cases.
        Step("reported_together", ("submitted",), STAYS, who=as_reporter, section="report"),
        Step("created_from", ("submitted",), STAYS, who=as_investigator, section="investigation"),
        Step("converted_from", ("submitted",), STAYS, who=as_investigator, section="investigation"),
        # Opened from a complaint (workflows/complaint.py).
        Step("escalated_from", ("submitted",), STAYS, who=as_investigator, section="investigation"),
        Step("add_attachment", open_states, STAYS, who=as_report_contributor, section="report"),
        Step(
            "add_investigation_attachment",
            within(*INVESTIGATION_STATES),
            STAYS,
            who=as_investigation_writer,
            section="investigation",
        ),
        Step(
            "add_decision_attachment",
            within(*DECISION_STATES),
            STAYS,
            who=as_decider,
            section="decision",
        ),
        Step(
            "update_investigation",
            within(*INVESTIGATION_STATES),
            STAYS,
            who=as_investigation_writer,
            section="investigation",
            guards=(investigation_open,),
        ),
        Step("add_action", within(*ACTION_STATES), STAYS, who=as_case_handler, section="actions"),
        Step("update_action", open_states, STAYS, who=as_action_handler, section="actions"),
        Step(
            "record_feedback",
            within(*FEEDBACK_STATES),
            STAYS,
            # Whoever closes the case gives the feedback: the SAS or MAS, a deviation's manager.
            who=as_case_handler,
            section="feedback",
            guards=(investigation_completed,),
            meets=("reporter_feedback",),
        ),
        # Those without an account (DOMAIN.md §3.5 rev. 2): the handler writes to the sender; the
        # sender's own messages come through their receipt, with no user to ask, so no one takes
        # that step here (app/public/operations.py writes its row); spam is marked, not removed.
        Step(
            "reply_to_sender",
            open_states,
            STAYS,
            who=as_case_handler,
            section="messages",
            guards=(came_with_receipt,),
        ),
        Step("sender_message", states, STAYS, who=no_user, section="messages"),
        Step(
            "mark_spam",
            open_states,
            STAYS,
            who=as_case_handler,
            section="report",
            guards=(came_with_receipt,),
        ),
        # A records request (DOMAIN.md §9 rev. 2): the SAS or MAS releases the case's documents,
        # masked, in any state; a closed case is asked for as often as an open one.
        Step("release_records", states, STAYS, who=as_investigator, section="filing"),
    ]
    if case_type in ("lex_sarah", "lex_maria"):
        # Co-investigators (DOMAIN.md §2 rev. 2): added by the SAS or MAS while the investigation
        # is open, and removed by them at any time, so that access can always be taken back.
        steps += [
            Step(
                "add_co_investigator",
                within(*INVESTIGATION_STATES),
                STAYS,
                who=as_investigator,
                section="investigation",
            ),
            Step(
                "remove_co_investigator",
                states,
                STAYS,
                who=as_investigator,
                section="investigation",
            ),
        ]
        # The committee's diarienummer, for the IVO report: from the proposal to the decider
        # on (the report is prepared once the filing is decided), before the filing is recorded.
        steps.append(
            Step(
                "record_own_case_number",
                within(*DECISION_STATES),
                STAYS,
                who=as_investigator,
                section="filing",
            )
        )
        steps.append(
            Step(
                "record_investigation_sent",
                within("filed", "follow_up"),
                # An early-filed investigation is completed by being sent: what a completed
                # investigation opens (the feedback's deadline) starts here, as it does when
                # complete_investigation completes one.
                (Route(None, opens=(INVESTIGATION_COMPLETED,)),),
                who=as_investigator,
                section="filing",
                guards=(awaiting_sending,),
                meets=("investigation_to_ivo", "investigation_complete"),
            )
        )
    if case_type == "lex_maria":
        steps += [
            Step(
                "record_patient_information",
                open_states,
                STAYS,
                who=as_investigator,
                section="investigation",
                meets=("patient_information",),
            ),
            Step(
                "record_medical_device_report",
                open_states,
                STAYS,
                who=as_investigator,
                section="measures",
                guards=(device_involved,),
            ),
        ]
    return tuple(steps)
