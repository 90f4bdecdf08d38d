"""A records request's export (DOMAIN.md §9 rev. 2): the documents asked for, masked on their
data before they are laid out, as one PDF/A. The same masked data makes the preview page the
SAS or MAS reviews and the PDF they release."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.models import Case

from . import data
from .redaction import MASK, Redactor
from .renderer import render_pdf
from .store import document_applies

# In the order they are put together: the report first, as the case began.
RELEASE_KINDS = ("report", "investigation", "decision", "ivo_report")
RELEASE_LABELS = {
    "report": _l("Rapporten"),
    "investigation": _l("Utredning"),
    "decision": _l("Beslut"),
    "ivo_report": _l("Anmälan till IVO"),
}
TEMPLATE = "documents/records_release.html"
BODY = "documents/_records_release_body.html"


def releasable(session: Session, case: Case) -> list[str]:
    """The documents the case has now: its report always, the others once they exist."""
    return [k for k in RELEASE_KINDS if k == "report" or document_applies(session, case, k)]


def report_document_data(case: Case) -> data.Data:
    return {"sender": data.sender(), "case": data.case_data(case)}


BUILD = {
    "report": report_document_data,
    "investigation": data.investigation_document_data,
    "decision": data.decision_document_data,
    "ivo_report": data.ivo_report_data,
}


def marked_terms(text: str) -> list[str]:
    """The names the SAS or MAS marks, one a line."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def masked(
    case: Case, kinds: Iterable[str], marked: Iterable[str], requester_reference: str = ""
) -> tuple[dict[str, Any], dict[str, int]]:
    """The template's context for ``kinds`` with every text masked, and what was masked (as
    counts). In Swedish, like every document of the case."""
    redactor = Redactor.for_case(case, marked)
    wanted = [k for k in RELEASE_KINDS if k in set(kinds)]
    with force_locale("sv"):
        parts = [(kind, redactor.data(BUILD[kind](case))) for kind in wanted]
        context = {
            "sender": data.sender(),
            "case": redactor.data(data.case_data(case)),
            "parts": parts,
            "part_labels": [str(RELEASE_LABELS[k]) for k in wanted],
            "requester_reference": redactor.text(requester_reference),
            "mask": MASK,
        }
    return context, redactor.summary()


def preview_html(context: dict[str, Any]) -> str:
    with force_locale("sv"):
        return render_template(BODY, **context)


def release_pdf(case: Case, context: dict[str, Any]) -> bytes:
    with force_locale("sv"):
        return render_pdf(
            TEMPLATE, context, case.reference, case.case_type, marking=_("Maskerad för utlämnande")
        )


def release_filename(case: Case, number: int) -> str:
    return f"Allman_handling_{case.reference}_{number}.pdf"
