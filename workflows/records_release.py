"""Releasing documents on a records request (begäran om allmän handling, DOMAIN.md §9 rev. 2):
a recording step of its own (workflows/record_steps.py, ``release_records``), taken by the SAS
or MAS of the case, in any state (requests come long after a case is closed).

The release, its history row and the redacted PDF commit together. Nothing unredacted is kept:
the marked names are used to mask and counted, and then forgotten; the history row and the
release row hold which documents, for whom, and how many terms of each kind were masked."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from app.models import Case, RecordsRelease, User
from forms.records_request import RecordsRequestForm

from .engine import recording, validate_form

Data = Mapping[str, Any] | MultiDict[str, Any] | None


def request_form(session: Session, case: Case, data: Data) -> RecordsRequestForm:
    """The request, validated against the documents the case has now."""
    # Imported here: app.documents renders through the app, which imports the workflows.
    from app.documents.release import RELEASE_LABELS, releasable

    kinds = tuple((k, RELEASE_LABELS[k]) for k in releasable(session, case))
    form: RecordsRequestForm = validate_form(RecordsRequestForm, data, case=case, kinds=kinds)
    return form


def release_records(
    session: Session, case: Case, actor: User, data: Data, expected_version: int | None = None
) -> RecordsRelease:
    from app.documents.release import marked_terms, masked, release_filename, release_pdf

    with recording(
        session,
        case,
        actor,
        "release_records",
        expected_version=expected_version,
        refusal=_("Endast ärendets SAS eller MAS kan lämna ut handlingar ur det."),
    ) as ctx:
        form = request_form(session, case, data)
        d = form.data
        reference = (d["requester_reference"] or "").strip()
        context, redactions = masked(
            case, d["documents"], marked_terms(d["redact_terms"] or ""), reference
        )
        release = RecordsRelease(
            case_id=case.id,
            released_by_id=actor.id,
            released_by_name=actor.name,
            documents=[k for k, _part in context["parts"]],
            requester=(d["requester"] or "").strip(),
            # Masked like the documents: a reference may carry a name too.
            requester_reference=context["requester_reference"],
            redactions=redactions,
            filename="",
            content=release_pdf(case, context),
        )
        session.add(release)
        session.flush()
        release.filename = release_filename(case, release.id)
        ctx.record = {
            "release": release.id,
            "documents": release.documents,
            "redactions": redactions,
        }
    return release
