"""Creating a complaint case: the one operation both the staff's page and the public e-service
(actor None) call. Its steps afterwards are the machine's (workflows/complaint.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from app.models import Case, CaseEvent, Complaint, Unit, User
from app.models.base import utcnow
from app.models.complaint import CHANNELS, COMPLAINT_KINDS, SENDER_ROLES
from forms.complaint import ComplaintForm
from workflows import deadlines, workdays
from workflows.engine import validate_form
from workflows.errors import InvalidData, NotAllowed
from workflows.records import unit_choices
from workflows.references import next_reference

# Who registers a complaint received by phone, letter or in person.
REGISTERING_ROLES = ("manager", "sas", "mas")
# The history's actor for a complaint that came through the public e-service (stored, shown
# translated).
E_SERVICE = "E-tjänsten"


def may_register(user: User) -> bool:
    return user.is_active and any(user.has_role(r) for r in REGISTERING_ROLES)


def create_complaint(
    session: Session,
    *,
    actor: User | None,
    kind: str,
    sender_role: str,
    channel: str,
    text: str,
    unit_ids: Sequence[int],
    sender_name: str | None = None,
    sender_contact: str | None = None,
    ivo_case_number: str | None = None,
    ivo_answer_by: date | None = None,
) -> Case:
    """A new complaint in ``received``, its clock started. ``actor`` None: it came through the
    public e-service. Several units make one complaint, answered jointly."""
    if actor is not None and not may_register(actor):
        raise NotAllowed(_("Du har inte behörighet att registrera synpunkter och klagomål."))
    units = _units(session, unit_ids)
    errors = _errors(kind, sender_role, channel, text, units, ivo_case_number, ivo_answer_by)
    if actor is None and channel != "e_service":
        errors.setdefault("channel", []).append(_("Ogiltigt val."))
    if errors:
        raise InvalidData(_("Uppgifterna är inte kompletta eller felaktiga."), errors)
    name = (sender_name or "").strip()
    via_ivo = channel == "ivo"
    case = Case(
        case_type="complaint",
        state="received",
        unit_id=units[0].id,
        reporter_id=None,
        reporter_name=name[:200],
        description=text.strip(),
    )
    case.complaint = Complaint(
        kind=kind,
        sender_role=sender_role,
        channel=channel,
        sender_name=name[:200],
        sender_contact=(sender_contact or "").strip()[:300],
        ivo_case_number=(ivo_case_number or "").strip() if via_ivo else "",
        ivo_answer_by=ivo_answer_by if via_ivo else None,
        registered_by_id=actor.id if actor is not None else None,
    )
    case.complaint.units = units
    case.reference, case.year, case.seq = next_reference(session, "complaint")
    session.add(case)
    session.flush()
    session.add(
        CaseEvent(
            case_id=case.id,
            actor_id=actor.id if actor is not None else None,
            actor_name=actor.name if actor is not None else E_SERVICE,
            actor_role=_role(actor),
            trigger="register_complaint",
            from_state=None,
            to_state=case.state,
            data={
                "reference": case.reference,
                "kind": kind,
                "channel": channel,
                "unit_ids": [u.id for u in units],
            },
            comment="",
        )
    )
    case.updated_at = utcnow()
    session.flush()
    deadlines.open_deadlines(session, case, "complaint_received", workdays.now(), actor=actor)
    session.flush()
    return case


def register_complaint(
    session: Session, actor: User, data: Mapping[str, Any] | MultiDict[str, Any] | None
) -> Case:
    """The staff's page and the API: the form, then create_complaint."""
    if not may_register(actor):
        raise NotAllowed(_("Du har inte behörighet att registrera synpunkter och klagomål."))
    form = validate_form(ComplaintForm, data, unit_choices=unit_choices(session))
    d = form.data
    return create_complaint(
        session,
        actor=actor,
        kind=d["kind"],
        sender_role=d["sender_role"],
        channel=d["channel"],
        text=d["text"],
        unit_ids=d["unit_ids"],
        sender_name=d["sender_name"],
        sender_contact=d["sender_contact"],
        ivo_case_number=d["ivo_case_number"],
        ivo_answer_by=d["ivo_answer_by"],
    )


def _role(actor: User | None) -> str:
    if actor is None:
        return "sender"
    return next(r for r in REGISTERING_ROLES if actor.has_role(r))


def _units(session: Session, unit_ids: Sequence[int]) -> list[Unit]:
    ids = list(dict.fromkeys(int(i) for i in unit_ids))
    if not ids:
        return []
    found = {
        u.id: u
        for u in session.scalars(select(Unit).where(Unit.id.in_(ids), Unit.active.is_(True)))
    }
    # The first unit named is the case's own (its list row, its clock's manager).
    return [found[i] for i in ids if i in found] if len(found) == len(ids) else []


def _errors(
    kind: str,
    sender_role: str,
    channel: str,
    text: str,
    units: list[Unit],
    ivo_case_number: str | None,
    ivo_answer_by: date | None,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    choice = _("Ogiltigt val.")
    for field, value, allowed in (
        ("kind", kind, COMPLAINT_KINDS),
        ("sender_role", sender_role, SENDER_ROLES),
        ("channel", channel, CHANNELS),
    ):
        if value not in allowed:
            errors[field] = [choice]
    if not (text or "").strip():
        errors["text"] = [_("Fältet måste fyllas i.")]
    if not units:
        errors["unit_ids"] = [_("Välj minst en aktiv enhet.")]
    if channel == "ivo":
        if not (ivo_case_number or "").strip():
            errors["ivo_case_number"] = [_("Ange IVO:s diarienummer.")]
        if ivo_answer_by is None:
            errors["ivo_answer_by"] = [_("Ange när IVO vill ha svar.")]
    return errors


def public_answer(case: Case) -> str | None:
    """The answer the sender reads through their receipt code (DOMAIN.md §3.5): the text sent,
    once it has been; nothing of what was found on the way there."""
    complaint = case.complaint if case.case_type == "complaint" else None
    if complaint is None or complaint.answered_on is None or not complaint.answer_text.strip():
        return None
    return complaint.answer_text
