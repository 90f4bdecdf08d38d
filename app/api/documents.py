"""GET /api/v1/cases/<id>/documents/<kind>.pdf: the same PDFs as the case page's links."""

from __future__ import annotations

from flask import Response, abort, request
from flask_babel import gettext as _

from app import db
from app.documents.download import NoDocument, document, pdf_response
from app.routing import whole_number
from workflows.errors import NotAllowed

from . import bp
from .auth import caller
from .payload import visible_case


@bp.get("/cases/<int:case_id>/documents/<kind>.pdf")
def case_document(case_id: int, kind: str) -> Response:
    case = visible_case(case_id)
    raw = request.args.get("number", "")
    # Not digits, or past any id: no version has that number (404), not the latest one.
    number = int(raw) if whole_number(raw) else None if raw == "" else 0
    try:
        filename, content = document(db.session(), caller(), case, kind, number)
    except NoDocument as refused:
        if refused.status == 403:
            raise NotAllowed(_("Du har inte behörighet till dokumentet.")) from None
        abort(refused.status)
    return pdf_response(filename, content)
