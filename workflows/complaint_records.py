"""The complaint's steps that record without moving the state (workflows/complaint.py declares
them): what the investigation found and which themes, that the sender cannot be answered, and
the spam mark."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from app.models import Case, Complaint, ComplaintTheme, User
from app.models.base import utcnow
from forms.complaint import ComplaintFindingsForm

from .engine import recording, validate_form

Data = Mapping[str, Any] | MultiDict[str, Any] | None


def _complaint(case: Case) -> Complaint:
    complaint = case.complaint
    assert complaint is not None  # noqa: S101  (created with the case)
    return complaint


def update_findings(
    session: Session, case: Case, actor: User, data: Data, expected_version: int | None = None
) -> Complaint:
    with recording(
        session, case, actor, "update_findings", expected_version=expected_version
    ) as ctx:
        form = validate_form(ComplaintFindingsForm, data, case=case)
        complaint = _complaint(case)
        themes = list(
            session.scalars(
                select(ComplaintTheme).where(ComplaintTheme.id.in_(form.theme_ids.data or []))
            )
        )
        findings = (form.findings.data or "").strip()
        before = (complaint.findings, sorted(t.id for t in complaint.themes))
        complaint.findings = findings
        complaint.themes = themes
        ctx.changed = before != (findings, sorted(t.id for t in themes))
        ctx.record = {"theme_ids": sorted(t.id for t in themes)}
    return complaint


def record_unanswerable(
    session: Session, case: Case, actor: User, expected_version: int | None = None
) -> Complaint:
    """No contact and no receipt code: nobody to answer, and the case may close (§3.4)."""
    with recording(
        session, case, actor, "record_unanswerable", expected_version=expected_version
    ) as ctx:
        complaint = _complaint(case)
        complaint.unanswerable_at = utcnow()
        ctx.record = {"unanswerable": True}
    return complaint


def mark_spam(
    session: Session, case: Case, actor: User, expected_version: int | None = None
) -> Complaint:
    """Kept, never counted (§3.5): lists and statistics leave the case out."""
    with recording(
        session,
        case,
        actor,
        "mark_spam",
        expected_version=expected_version,
        refusal=_("Endast handläggaren kan markera ett ärende som skräp."),
    ) as ctx:
        complaint = _complaint(case)
        complaint.spam_at = utcnow()
        complaint.spam_by_id = actor.id
        # The case's own mark is the one lists and statistics leave out (not_spam).
        case.spam = True
        ctx.record = {"spam": True}
    return complaint
