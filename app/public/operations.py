"""What those without an account do (DOMAIN.md §3.5 rev. 2), as plain operations: the published
links, a report or complaint sent through one, the receipt (code and secret) that lets the sender
follow it, the messages between sender and handler, and the handler's spam mark.

The sender has no user row. Where the shared operations need an actor (the history's name, the
deadlines' "who did this"), a transient, never-saved ``User`` stands in for them: its id is None,
so nothing points at it and no step's permission rule can grant it anything.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from app.auth import passwords, ratelimit
from app.models import Case, CaseMessage, PublicLink, Receipt, Unit, User
from app.models.base import utcnow
from workflows import deadlines, intake
from workflows.engine import history_row, recording, validate_form
from workflows.errors import InvalidData
from workflows.permissions import as_case_handler

# Easy to read aloud and type from paper: no 0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B.
CODE_ALPHABET = "ACDEFHJKMNPQRTUVWXY3479"
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4
SECRET_MIN_LENGTH = 12
# What the history says of a sender who has no account; never their name.
SENDER_NAME = "Avsändare utan konto"
SENDER_ROLE = "sender"

# The sender's view of where the case stands: plain words, never the internal state's name.
PUBLIC_STATUS = {
    "submitted": _l("Mottaget. Det väntar på att bli behandlat."),
    "received": _l("Mottaget. Det väntar på att bli behandlat."),
    "acknowledged": _l("Mottaget och bekräftat. Det kommer att utredas."),
    "closed": _l("Avslutat."),
    "answered": _l("Besvarat."),
    "converted": _l("Behandlas vidare som ett annat ärende."),
    "escalated": _l("Behandlas."),
}
IN_PROGRESS = _l("Behandlas.")


def public_status(case: Case) -> str:
    return str(PUBLIC_STATUS.get(case.state, IN_PROGRESS))


# Links ----------------------------------------------------------------------------------------


def new_token() -> str:
    return secrets.token_urlsafe(24)


def create_link(session: Session, unit_id: int | None) -> PublicLink:
    if unit_id is not None and session.get(Unit, unit_id) is None:
        raise InvalidData(str(_l("Enheten finns inte.")), {"unit_id": [str(_l("Välj en enhet."))]})
    link = PublicLink(token=new_token(), unit_id=unit_id)
    session.add(link)
    session.flush()
    return link


def rotate_link(session: Session, link: PublicLink) -> PublicLink:
    """A new token for the same place; the old one stops working (a printed poster is replaced)."""
    link.active = False
    return create_link(session, link.unit_id)


def active_link(session: Session, token: str) -> PublicLink | None:
    if not token or len(token) > 64:
        return None
    return session.scalar(
        select(PublicLink).where(PublicLink.token == token, PublicLink.active.is_(True))
    )


# Rate limits ----------------------------------------------------------------------------------


def limited(keys: Mapping[str, str], now: datetime | None = None) -> int | None:
    """Counts one attempt against each named limit; seconds to wait when one is exceeded."""
    config = current_app.config
    window = int(config.get("PUBLIC_RATE_WINDOW_SECONDS", 3600))
    limits = [
        ratelimit.Limit(f"public:{name}:{value}", int(config.get(setting, default)), window)
        for name, value in keys.items()
        for setting, default in [LIMIT_SETTINGS[name]]
    ]
    with ratelimit.own_transaction() as connection:
        exceeded = ratelimit.hit(connection, limits, now or utcnow())
    return exceeded.retry_after if exceeded else None


LIMIT_SETTINGS = {
    "submit_address": ("PUBLIC_SUBMITS_PER_ADDRESS", 20),
    "submit_link": ("PUBLIC_SUBMITS_PER_LINK", 200),
    "follow_address": ("PUBLIC_FOLLOW_UP_PER_ADDRESS", 30),
    "follow_code": ("PUBLIC_FOLLOW_UP_PER_CODE", 10),
    "message_case": ("PUBLIC_MESSAGES_PER_CASE", 30),
}


# Receipts -------------------------------------------------------------------------------------


def normal_code(text: str) -> str:
    """The code as stored, whatever the sender typed around it (spaces, dashes, lower case)."""
    letters = "".join(ch for ch in (text or "").upper() if ch.isalnum())[:40]
    groups = [letters[i : i + CODE_GROUP_LENGTH] for i in range(0, len(letters), CODE_GROUP_LENGTH)]
    return "-".join(groups)[:20]


def new_code(session: Session) -> str:
    while True:
        code = "-".join(
            "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH))
            for _ in range(CODE_GROUPS)
        )
        if session.scalar(select(Receipt.id).where(Receipt.code == code)) is None:
            return code


def new_secret() -> str:
    # Four groups of the code's alphabet: 80 bits, typeable from paper.
    return "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(5)) for _ in range(4))


@dataclass(frozen=True)
class Issued:
    code: str
    secret: str


def issue_receipt(session: Session, case: Case, chosen_secret: str | None = None) -> Issued:
    secret = (chosen_secret or "").strip() or new_secret()
    if len(secret) < SECRET_MIN_LENGTH:
        raise InvalidData(
            str(_l("Uppgifterna är inte kompletta eller felaktiga.")),
            {"secret": [str(_l("Lösenordet måste ha minst 12 tecken."))]},
        )
    code = new_code(session)
    session.add(Receipt(case_id=case.id, code=code, secret_hash=passwords.hash_password(secret)))
    session.flush()
    return Issued(code, secret)


def followed_case(session: Session, code: str, secret: str) -> Case | None:
    """The case the code and secret open, or None. An unknown code costs the same scrypt check
    as a wrong secret (passwords.verify against a dummy hash), so neither answer nor timing tells
    which was wrong."""
    receipt = session.scalar(select(Receipt).where(Receipt.code == normal_code(code)))
    if passwords.verify(receipt.secret_hash if receipt else None, secret or ""):
        assert receipt is not None  # noqa: S101  (verify is False without a hash)
        return receipt.case
    return None


def receipt_case(session: Session, receipt_id: int) -> Case | None:
    receipt = session.get(Receipt, receipt_id)
    return receipt.case if receipt else None


def receipt_of(session: Session, case: Case) -> Receipt | None:
    return session.scalar(select(Receipt).where(Receipt.case_id == case.id))


# What the sender sees ---------------------------------------------------------------------


@dataclass(frozen=True)
class PublicCase:
    reference: str
    status: str
    received_on: str
    feedback: list[tuple[str, str]]
    answer: str | None


@dataclass(frozen=True)
class PublicMessage:
    from_sender: bool
    at: datetime
    text: str


@dataclass(frozen=True)
class PublicView:
    """Plain data for the follow-up page: the status in plain words, the feedback or the answer,
    the messages — never the investigation, nor anyone's name (not even the handler's)."""

    cases: list[PublicCase]
    messages: list[PublicMessage]
    open: bool


def _answer(case: Case) -> str | None:
    """A complaint's answer, as its case type gives it to the sender (app.complaints)."""
    from app.complaints.operations import public_answer

    return public_answer(case)


def public_view(cases: list[Case], thread: list[CaseMessage]) -> PublicView:
    from workflows.registry import flow_for

    return PublicView(
        cases=[
            PublicCase(
                reference=case.reference,
                status=public_status(case),
                received_on=case.received_at.date().isoformat(),
                feedback=[(f.given_on.isoformat(), f.text) for f in case.feedback],
                answer=_answer(case),
            )
            for case in cases
        ],
        messages=[
            PublicMessage(m.direction == "from_sender", m.created_at, m.text) for m in thread
        ],
        open=cases[0].state not in flow_for(cases[0].case_type).final,
    )


# Submissions ----------------------------------------------------------------------------------


def sender(name: str = "", title: str = "", employer: str = "") -> User:
    """The stand-in actor for a sender without an account (see the module's docstring)."""
    return User(
        id=None, email="", name=name or SENDER_NAME, title=title, employer=employer, active=True
    )


def submit_report(
    session: Session,
    link: PublicLink,
    data: Any,
    files: list[FileStorage] | None,
    *,
    spam: bool = False,
) -> tuple[list[Case], Issued]:
    """A lex Sarah report, lex Maria event or deviation from staff without an account: the staff
    form's questions (forms.public.PublicReportForm), named or anonymous."""
    from forms.public import PublicReportForm

    form = validate_form(PublicReportForm, data, unit_choices=unit_choices_for(session, link))
    anonymous = bool(form.anonymous.data)
    name = "" if anonymous else (form.reporter_name.data or "").strip()
    if not anonymous and not name:
        raise InvalidData(
            str(_l("Uppgifterna är inte kompletta eller felaktiga.")),
            {"reporter_name": [str(_l("Skriv ditt namn, eller välj att vara anonym."))]},
        )
    actor = sender(
        name,
        "" if anonymous else (form.reporter_title.data or "").strip(),
        "" if anonymous else (form.reporter_employer.data or "").strip(),
    )
    from workflows.records import create_reported_case, history

    cases = [
        create_reported_case(session, actor, form.data, files, case_type)
        for case_type in intake.chosen_case_types(form.data)
    ]
    for case in cases:
        # The history's actor is the stand-in; the report keeps what the sender gave.
        case.reporter_name = name
        case.spam = spam
    if len(cases) == 2:
        # One report about both laws: linked as intake.report_event links a staff member's.
        first, second = cases
        first.related_case_id, second.related_case_id = second.id, first.id
        for case, other in ((first, second), (second, first)):
            history(
                session,
                case,
                actor,
                "reporter",
                "reported_together",
                {"related_case_id": other.id, "related_reference": other.reference},
            )
    session.flush()
    return cases, issue_receipt(session, cases[0], form.secret.data)


def submit_complaint(
    session: Session, link: PublicLink, data: Any, *, spam: bool = False
) -> tuple[Case, Issued]:
    """A complaint or view from anyone (DOMAIN.md §3.4), through the complaint case type's own
    operation."""
    from app.complaints.operations import create_complaint
    from forms.public import PublicComplaintForm

    form = validate_form(PublicComplaintForm, data, unit_choices=unit_choices_for(session, link))
    anonymous = bool(form.anonymous.data)
    case: Case = create_complaint(
        session,
        actor=None,
        kind=form.kind.data,
        sender_role="anonymous" if anonymous else form.sender_role.data,
        channel="e_service",
        text=form.text.data.strip(),
        unit_ids=[form.unit_id.data],
        sender_name=None if anonymous else (form.sender_name.data or "").strip() or None,
        sender_contact=None if anonymous else (form.sender_contact.data or "").strip() or None,
    )
    case.spam = spam
    session.flush()
    return case, issue_receipt(session, case, form.secret.data)


def unit_choices_for(session: Session, link: PublicLink) -> list[tuple[int, str]]:
    """A unit's link offers that unit alone; the administration's link every active unit."""
    from workflows.records import unit_choices

    choices = unit_choices(session)
    if link.unit_id is None:
        return choices
    return [(uid, label) for uid, label in choices if uid == link.unit_id]


# Messages -------------------------------------------------------------------------------------


def messages(session: Session, case: Case) -> list[CaseMessage]:
    return list(
        session.scalars(
            select(CaseMessage)
            .where(CaseMessage.case_id == case.id)
            .order_by(CaseMessage.created_at, CaseMessage.id)
        )
    )


def _text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidData(
            str(_l("Uppgifterna är inte kompletta eller felaktiga.")),
            {"text": [str(_l("Skriv ett meddelande."))]},
        )
    if len(text) > 5000:
        raise InvalidData(
            str(_l("Uppgifterna är inte kompletta eller felaktiga.")),
            {"text": [str(_l("Meddelandet får vara högst 5000 tecken."))]},
        )
    return text


def handlers(session: Session, case: Case) -> list[User]:
    """Who hears of a sender's message: those who handle the case (the SAS or MAS, a deviation's
    unit managers; for a complaint, whoever its type names)."""
    from app.models import UserRole

    candidates = list(
        session.scalars(
            select(User).join(UserRole).where(UserRole.role.in_(("sas", "mas"))).distinct()
        )
    )
    candidates += list(case.unit.managers)
    return [u for u in dict.fromkeys(candidates) if u.active and as_case_handler(session, u, case)]


def post_sender_message(session: Session, case: Case, text: str) -> CaseMessage:
    """The sender writes through their receipt. The history row says a message came, nothing of
    what it says; the handlers are told in the inbox and by a mail without content."""
    from notifications.notify import Notice, notify

    message = CaseMessage(case_id=case.id, direction="from_sender", text=_text(text))
    session.add(message)
    session.flush()
    case.updated_at = utcnow()
    session.add(history_row(case, sender(), SENDER_ROLE, "sender_message", case.state, {}, ""))
    notify(
        session,
        handlers(session, case),
        Notice(
            kind="sender_message", case_id=case.id, reference=case.reference, key=str(message.id)
        ),
        at=utcnow(),
        base_url=deadlines.base_url(),
    )
    session.flush()
    return message


def reply_to_sender(
    session: Session, case: Case, actor: User, text: str, expected_version: int | None = None
) -> CaseMessage:
    with recording(
        session,
        case,
        actor,
        "reply_to_sender",
        expected_version=expected_version,
        refusal=str(_l("Du kan inte skriva till avsändaren i det här ärendet.")),
    ) as ctx:
        message = CaseMessage(
            case_id=case.id, direction="to_sender", author_id=actor.id, text=_text(text)
        )
        session.add(message)
        session.flush()
        ctx.record = {}
    return message


def mark_spam(
    session: Session, case: Case, actor: User, expected_version: int | None = None
) -> None:
    with recording(session, case, actor, "mark_spam", expected_version=expected_version) as ctx:
        case.spam = True
        ctx.record = {}
