"""The access log (DOMAIN.md §9): every read of case content, by whom, when, in which view and
from which address.

Views call ``record_read`` where they hand content out; the rows are written when the request
ends (``write_pending``), also when the request's own change was refused and rolled back: a page
shown again with its errors still showed the case.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import g, has_request_context, request
from sqlalchemy.orm import Session

from app.models import AccessLogEntry, Case, User


@dataclass(frozen=True)
class Read:
    # None: the sender of a public submission, who reads with their receipt and has no account.
    user_id: int | None
    user_name: str
    case_id: int
    case_reference: str
    view: str
    detail: str
    address: str


def record_read(user: User, case: Case, detail: str = "", view: str | None = None) -> None:
    record_reads(user, [case], detail, view)


def record_reads(
    user: User, cases: Iterable[Case], detail: str = "", view: str | None = None
) -> None:
    """``view`` defaults to the request's endpoint (e.g. ``cases.case_page``), which the log
    reviewer's pages name in words."""
    if not has_request_context():
        return
    address = request.remote_addr or ""
    view = view or request.endpoint or ""
    pending: list[Read] = g.setdefault("access_reads", [])
    seen = {(r.case_id, r.view, r.detail) for r in pending}
    for case in cases:
        if (case.id, view, detail) in seen:
            continue
        seen.add((case.id, view, detail))
        pending.append(
            Read(user.id, user.name, case.id, case.reference, view, detail[:255], address[:64])
        )


SENDER_READER = "Avsändare med kvittokod"


def record_sender_read(case: Case, detail: str = "") -> None:
    """A read by the sender without an account, through their receipt (DOMAIN.md §3.5 rev. 2)."""
    if not has_request_context():
        return
    pending: list[Read] = g.setdefault("access_reads", [])
    pending.append(
        Read(
            None,
            SENDER_READER,
            case.id,
            case.reference,
            request.endpoint or "",
            detail[:255],
            (request.remote_addr or "")[:64],
        )
    )


def write_pending(session: Session) -> int:
    """Adds this request's reads to the session (the caller commits); returns how many."""
    pending: list[Read] = g.pop("access_reads", [])
    session.add_all(
        AccessLogEntry(
            user_id=r.user_id,
            user_name=r.user_name,
            case_id=r.case_id,
            case_reference=r.case_reference,
            view=r.view,
            detail=r.detail,
            address=r.address,
        )
        for r in pending
    )
    return len(pending)
