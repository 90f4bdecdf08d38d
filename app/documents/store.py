"""Which documents a case has, their file names, and the investigation PDFs kept per number.

The investigation is stored when it is completed (and locked); a return to the investigator
reopens it under the next number, and the earlier PDF stays as it was issued."""

from __future__ import annotations

from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Case
from app.models.documents import StoredDocument

from . import data
from .renderer import render_pdf

KINDS = ("ivo_report", "investigation", "decision")
# The file name's first word, in Swedish and ASCII so that every mail client keeps it.
FILE_PREFIX = {"ivo_report": "Anmalan_IVO", "investigation": "Utredning", "decision": "Beslut"}
TEMPLATES = {
    "ivo_report": "documents/ivo_report.html",
    "investigation": "documents/investigation.html",
    "decision": "documents/decision.html",
}
IVO_CASE_TYPES = ("lex_sarah", "lex_maria")


def filename_for(case: Case, kind: str, number: int | None = None) -> str:
    suffix = f"_{number}" if number is not None else ""
    return f"{FILE_PREFIX[kind]}_{case.reference}{suffix}.pdf"


def stored_numbers(session: Session, case: Case) -> list[int]:
    return list(
        session.scalars(
            select(StoredDocument.number)
            .where(StoredDocument.case_id == case.id, StoredDocument.kind == "investigation")
            .order_by(StoredDocument.number)
        )
    )


def document_applies(session: Session, case: Case, kind: str) -> bool:
    """Whether the case has come far enough for the document to exist."""
    if case.case_type not in IVO_CASE_TYPES:
        return False
    if kind == "ivo_report":
        return data.filing_decision(case) is not None
    if kind == "investigation":
        inv = case.investigation
        return bool(stored_numbers(session, case)) or (inv is not None and inv.locked)
    if kind == "decision":
        return case.latest_decision is not None
    return False


def render_document(case: Case, kind: str) -> bytes:
    """The document as the case stands now."""
    build = {
        "ivo_report": data.ivo_report_data,
        "investigation": data.investigation_document_data,
        "decision": data.decision_document_data,
    }[kind]
    # The case's documents are the authority's records, filed with IVO and kept: Swedish,
    # whatever language the pages of the person who completes or opens them are in.
    with force_locale("sv"):
        return render_pdf(TEMPLATES[kind], build(case), case.reference, case.case_type)


def store_investigation(session: Session, case: Case) -> StoredDocument | None:
    """Keeps the just completed investigation's PDF under its number (replacing one stored under
    the same number, which only a re-completion without a return could leave)."""
    inv = case.investigation
    if case.case_type not in IVO_CASE_TYPES or inv is None:
        return None
    content = render_document(case, "investigation")
    doc = session.scalars(
        select(StoredDocument).where(
            StoredDocument.case_id == case.id,
            StoredDocument.kind == "investigation",
            StoredDocument.number == inv.number,
        )
    ).one_or_none()
    if doc is None:
        doc = StoredDocument(case_id=case.id, kind="investigation", number=inv.number)
        session.add(doc)
    doc.filename = filename_for(case, "investigation", inv.number)
    doc.content = content
    session.flush()
    return doc


def investigation_pdf(session: Session, case: Case, number: int | None) -> tuple[str, bytes] | None:
    """The stored investigation: the latest, or the given number; None if there is none."""
    query = select(StoredDocument).where(
        StoredDocument.case_id == case.id, StoredDocument.kind == "investigation"
    )
    if number is not None:
        query = query.where(StoredDocument.number == number)
    doc = session.scalars(query.order_by(StoredDocument.number.desc()).limit(1)).first()
    if doc is not None:
        return doc.filename, doc.content
    inv = case.investigation
    # Completed before documents were stored: render the locked investigation as it is.
    if inv is not None and inv.locked and number in (None, inv.number):
        return filename_for(case, "investigation", inv.number), render_document(
            case, "investigation"
        )
    return None
