"""The case's PDFs for download from the case page (DOMAIN.md §7)."""

from __future__ import annotations

from typing import Any

from flask import abort, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from werkzeug.wrappers import Response

from app import db
from app.documents.download import NoDocument, available, document, pdf_response
from app.documents.store import stored_numbers
from app.models import Case
from app.routing import whole_number

from . import bp
from .views import _case, me


@bp.get("/arenden/<int:case_id>/dokument/<kind>.pdf")
@login_required
def case_document(case_id: int, kind: str) -> Response:
    case = _case(case_id)
    raw = request.args.get("nummer", "")
    # Not digits, or past any id: no version has that number (404), not the latest one.
    number = int(raw) if whole_number(raw) else None if raw == "" else 0
    try:
        filename, content = document(db.session(), me(), case, kind, number)
    except NoDocument as refused:
        abort(refused.status)
    return pdf_response(filename, content)


DOCUMENT_LABELS = {
    "ivo_report": _l("Anmälan till IVO"),
    "investigation": _l("Utredning"),
    "decision": _l("Beslut"),
}


# App-wide: the case page is also rendered by the complaint and public blueprints (a refusal
# there shows the case page again).
@bp.app_context_processor
def _documents() -> dict[str, Any]:
    """``case_documents(case)`` for cases/_documents.html: the links the user may follow."""

    def case_documents(case: Case) -> list[dict[str, Any]]:
        session = db.session()
        links = []
        for kind in available(session, me(), case):
            numbers = stored_numbers(session, case) if kind == "investigation" else []
            links.append(
                {
                    "label": str(DOCUMENT_LABELS[kind]),
                    "url": url_for("cases.case_document", case_id=case.id, kind=kind),
                    "earlier": [
                        {
                            "number": n,
                            "url": url_for(
                                "cases.case_document", case_id=case.id, kind=kind, nummer=n
                            ),
                        }
                        for n in numbers[:-1]
                    ],
                }
            )
        return links

    return {"case_documents": case_documents}
