"""The records of a case that go into its package: each document the case has come far enough to
have, rendered as the case stands (the renderer gives PDF/A), every investigation PDF kept as it
was issued, and the attachments as they were filed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.utils import secure_filename

from app.documents import document_applies, filename_for, render_document
from app.models import Attachment, Case, StoredDocument

# How the package names each kind of record (FGS: the record's type, in Swedish).
RECORD_TYPES = {
    "investigation": "Utredning",
    "ivo_report": "Anmälan till IVO",
    "decision": "Beslut",
    "attachment": "Bilaga",
}
DATA_FOLDER = "representations/rep1/data"


class AttachmentMissing(Exception):
    """An attachment's file is not in the upload folder: the package would be incomplete."""


@dataclass(frozen=True)
class Record:
    kind: str
    title: str
    # The file's name in the package's data folder: unique within the case, ASCII.
    name: str
    content: bytes
    mimetype: str
    created_at: datetime

    @property
    def path(self) -> str:
        return f"{DATA_FOLDER}/{self.name}"


def case_records(session: Session, case: Case, upload_dir: Path, now: datetime) -> list[Record]:
    return [*_documents(session, case, now), *_attachments(session, case, upload_dir)]


def _documents(session: Session, case: Case, now: datetime) -> list[Record]:
    records = []
    stored = session.scalars(
        select(StoredDocument)
        .where(StoredDocument.case_id == case.id, StoredDocument.kind == "investigation")
        .order_by(StoredDocument.number)
    ).all()
    # Each investigation as issued: a return to the investigator left the earlier ones as they were.
    for doc in stored:
        title = f"{RECORD_TYPES['investigation']} {doc.number}"
        records.append(_pdf("investigation", title, doc.filename, doc.content, doc.created_at))
    inv = case.investigation
    if inv is not None and inv.locked and inv.number not in {d.number for d in stored}:
        # Completed before documents were stored (app/documents/store.py): as it stands.
        name = filename_for(case, "investigation", inv.number)
        title = f"{RECORD_TYPES['investigation']} {inv.number}"
        content = render_document(case, "investigation")
        records.append(_pdf("investigation", title, name, content, now))
    for kind in ("ivo_report", "decision"):
        if document_applies(session, case, kind):
            name = filename_for(case, kind)
            content = render_document(case, kind)
            records.append(_pdf(kind, RECORD_TYPES[kind], name, content, now))
    return records


def _pdf(kind: str, title: str, name: str, content: bytes, created_at: datetime) -> Record:
    return Record(kind, title, name, content, "application/pdf", created_at)


def _attachments(session: Session, case: Case, upload_dir: Path) -> list[Record]:
    rows = session.scalars(
        select(Attachment).where(Attachment.case_id == case.id).order_by(Attachment.id)
    ).all()
    records = []
    for number, row in enumerate(rows, start=1):
        # The uploader's file name may hold anything; the number keeps two "foto.jpg" apart.
        name = f"Bilaga_{case.reference}_{number}_{secure_filename(row.filename) or 'fil'}"
        try:
            content = (upload_dir / row.stored_name).read_bytes()
        except FileNotFoundError as exc:
            raise AttachmentMissing(
                f"bilagan {row.filename!r} saknas i uppladdningsmappen ({row.stored_name})"
            ) from exc
        title = f"{RECORD_TYPES['attachment']} {number}: {row.filename}"
        records.append(
            Record("attachment", title, name, content, row.content_type, row.uploaded_at)
        )
    return records
