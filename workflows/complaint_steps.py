"""Checks and effects of the complaint's machine (DOMAIN.md §3.4)."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _

from app.models import Case, Complaint, User
from app.models.base import utcnow
from app.models.complaint import ANSWER_AT_ONCE

from .definition import StepContext
from .steps import open_linked_case

# States in which only praise and questions may be answered, without an investigation.
BEFORE_INVESTIGATION = ("received", "acknowledged")


def _complaint(case: Case) -> Complaint:
    complaint = case.complaint
    assert complaint is not None  # noqa: S101  (created with the case: operations.create_complaint)
    return complaint


# --- guards ---------------------------------------------------------------------------------


def may_answer_now(ctx: StepContext) -> Mapping[str, list[str]]:
    """A complaint or a suggestion is investigated before it is answered; praise and questions
    may be answered at once."""
    if ctx.case.state in BEFORE_INVESTIGATION and _complaint(ctx.case).kind not in ANSWER_AT_ONCE:
        return {"answer_text": [_("Ett klagomål eller en synpunkt utreds innan det besvaras.")]}
    return {}


def answered_or_unanswerable(ctx: StepContext) -> Mapping[str, list[str]]:
    complaint = _complaint(ctx.case)
    if ctx.case.state == "answered" or complaint.unanswerable_at is not None or complaint.spam:
        return {}
    return {
        "answer_text": [
            _(
                "Svaret måste registreras, eller att avsändaren inte kan nås, innan ärendet avslutas."
            )
        ]
    }


def not_escalated(ctx: StepContext) -> Mapping[str, list[str]]:
    if ctx.case.successor_case_id is not None:
        return {"comment": [_("Klagomålet har redan lett till ett annat ärende.")]}
    return {}


def no_contact(ctx: StepContext) -> Mapping[str, list[str]]:
    complaint = _complaint(ctx.case)
    if complaint.reachable:
        return {"sender_contact": [_("Avsändaren har lämnat en kontaktuppgift.")]}
    if complaint.unanswerable_at is not None:
        return {"sender_contact": [_("Det är redan registrerat att avsändaren inte kan nås.")]}
    return {}


def not_spam(ctx: StepContext) -> Mapping[str, list[str]]:
    if _complaint(ctx.case).spam:
        return {"spam": [_("Ärendet är redan markerat som skräp.")]}
    return {}


def investigator_may_handle(ctx: StepContext) -> Mapping[str, list[str]]:
    from .permissions import as_complaint_overseer, manages

    investigator_id = ctx.data.get("investigator_id")
    if investigator_id is None:
        return {}
    user = ctx.session.get(User, investigator_id)
    if user is None or not user.is_active:
        return {"investigator_id": [_("Utredaren måste vara en aktiv användare.")]}
    if as_complaint_overseer(ctx.session, user, ctx.case) is None and not manages(
        ctx.session, user, ctx.case
    ):
        return {
            "investigator_id": [
                _("Utredaren måste vara chef för en berörd enhet eller SAS/MAS för den.")
            ]
        }
    return {}


# --- effects --------------------------------------------------------------------------------


def acknowledge(ctx: StepContext) -> None:
    complaint = _complaint(ctx.case)
    complaint.acknowledged_at = utcnow()
    sent = send_receipt(ctx)
    ctx.record.update(receipt_sent=sent)


# Swedish whatever the handler's UI language (as notifications/texts.py): the mail goes to the
# sender, outside the system, and says nothing of the case but its reference.
RECEIPT_SUBJECT = "Vi har tagit emot ditt ärende"
RECEIPT_BODY = (
    "Vi har tagit emot det du skickade till oss och har gett det referensnumret {reference}. "
    "Ange referensnumret om du kontaktar oss."
)


def send_receipt(ctx: StepContext) -> bool:
    """The receipt to the sender, when they gave an e-mail address: only the reference and a
    sentence, like every mail that leaves the system (DOMAIN.md §6). A sender reached some
    other way is told by the handler; one without a contact cannot be told at all."""
    from app.models import OutboxMail

    complaint = _complaint(ctx.case)
    address = complaint.sender_contact.strip()
    if complaint.receipt_sent or "@" not in address or " " in address:
        return False
    at = utcnow()
    ctx.session.add(
        OutboxMail(
            user_id=None,
            to_address=address[:254],
            subject=f"{ctx.case.reference}: {RECEIPT_SUBJECT}",
            body=RECEIPT_BODY.format(reference=ctx.case.reference),
            dedupe_key=f"complaint_receipt:{ctx.case.id}",
            next_attempt_at=at,
            created_at=at,
        )
    )
    complaint.receipt_sent = True
    return True


def assign(ctx: StepContext) -> None:
    investigator_id = ctx.data.get("investigator_id") or ctx.actor.id
    ctx.case.investigator_id = investigator_id
    ctx.record.update(investigator_id=investigator_id)


def answer(ctx: StepContext) -> None:
    d = ctx.data
    complaint = _complaint(ctx.case)
    findings = (d.get("findings") or "").strip()
    if findings:
        complaint.findings = findings
    complaint.answered_on = d["answered_on"]
    complaint.answer_channel = d["answer_channel"]
    complaint.answer_text = d["answer_text"].strip()
    if ctx.case.investigator_id is None:
        ctx.case.investigator_id = ctx.actor.id
    ctx.record.update(
        answered_on=d["answered_on"].isoformat(),
        answer_channel=d["answer_channel"],
        units=[u.id for u in complaint.units],
    )


def close(ctx: StepContext) -> None:
    ctx.case.closed_at = utcnow()


def reopen(ctx: StepContext) -> None:
    ctx.case.closed_at = None


def _escalate(ctx: StepContext, target: str) -> None:
    from . import deadlines, workdays

    new = open_linked_case(ctx, target, "escalated_from")
    # The complaint stays open (it still gets its answer), so the new case's clock starts here
    # rather than with a step that ends the complaint (deadlines.on_event).
    deadlines.open_deadlines(ctx.session, new, "report_received", workdays.now(), actor=ctx.actor)


def escalate_to_lex_sarah(ctx: StepContext) -> None:
    _escalate(ctx, "lex_sarah")


def escalate_to_lex_maria(ctx: StepContext) -> None:
    _escalate(ctx, "lex_maria")


def escalate_to_deviation(ctx: StepContext) -> None:
    _escalate(ctx, "deviation")
