"""GET /api/v1/cases/<id>/documents/<kind>.pdf: the same PDFs as the case page's links."""

from __future__ import annotations

from flask import Response, abort, request
from flask_babel import gettext as _

from app import db
from app.documents.download import NoDocument, document, pdf_response
from workflows.errors import NotAllowed

from . import bp
from .auth import caller
from .payload import visible_case


@bp.get("/cases/<int:case_id>/documents/<kind>.pdf")
def case_document(case_id: int, kind: str) -> Response:
    case = visible_case(case_id)
    number = request.args.get("number", type=int)
    try:
        filename, content = document(db.session(), caller(), case, kind, number)
    except NoDocument as refused:
        if refused.status == 403:
            raise NotAllowed(_("Du har inte behörighet till dokumentet.")) from None
        abort(refused.status)
    return pdf_response(filename, content)
