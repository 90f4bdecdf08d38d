"""Serving a document to a user: who may have it, whether it exists yet, and the response.
Shared by the case page's links and the API."""

from __future__ import annotations

from io import BytesIO

from flask import Response, send_file
from sqlalchemy.orm import Session

from app.audit.access import record_read
from app.models import Case, User
from workflows.permissions import may_read_document

from .store import KINDS, document_applies, filename_for, investigation_pdf, render_document


class NoDocument(Exception):
    """Refused (403) or not there (404)."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def may_read(session: Session, user: User, case: Case, kind: str) -> bool:
    # The sections each document needs: workflows.permissions.DOCUMENT_SECTIONS.
    return may_read_document(session, user, case, kind)


def available(session: Session, user: User, case: Case) -> list[str]:
    """The kinds the user may download from this case now, for the case page's links."""
    return [
        k for k in KINDS if may_read(session, user, case, k) and document_applies(session, case, k)
    ]


def document(
    session: Session, user: User, case: Case, kind: str, number: int | None = None
) -> tuple[str, bytes]:
    if kind not in KINDS:
        raise NoDocument(404)
    if not may_read(session, user, case, kind):
        raise NoDocument(403)
    if not document_applies(session, case, kind):
        raise NoDocument(404)
    if kind == "investigation":
        found = investigation_pdf(session, case, number)
        if found is None:
            raise NoDocument(404)
        filename, content = found
    else:
        filename, content = filename_for(case, kind), render_document(case, kind)
    # Every download reads case content under secrecy.
    record_read(user, case, filename)
    return filename, content


def pdf_response(filename: str, content: bytes) -> Response:
    response = send_file(
        BytesIO(content), mimetype="application/pdf", as_attachment=True, download_name=filename
    )
    # Case content under secrecy: no copies in shared caches or the browser's.
    response.headers["Cache-Control"] = "no-store"
    return response
