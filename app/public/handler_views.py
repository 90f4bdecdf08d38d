"""The handler's side: a reply to the sender from the case page, and the spam mark."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app import db
from app.cases.page import Failure
from app.cases.views import _case, _expected_version, _refused, me
from workflows.errors import WorkflowError

from . import bp
from . import operations as ops

# A refused reply shows the case page again, which asks the case pages' own helpers.


@bp.post("/arenden/<int:case_id>/meddelanden")
def reply(case_id: int) -> Response | tuple[str, int]:
    case = _case(case_id)
    try:
        ops.reply_to_sender(
            db.session(),
            case,
            me(),
            request.form.get("text", ""),
            expected_version=_expected_version(),
        )
    except WorkflowError as error:
        return _refused(case, Failure("reply_to_sender", error, None, request.form))
    flash(_("Meddelandet är skickat. Avsändaren ser det med sin kvittokod."), "success")
    return redirect(url_for("cases.case_page", case_id=case.id, _anchor="meddelanden"))


@bp.post("/arenden/<int:case_id>/skrap")
def mark_spam(case_id: int) -> Response | tuple[str, int]:
    case = _case(case_id)
    try:
        ops.mark_spam(db.session(), case, me(), expected_version=_expected_version())
    except WorkflowError as error:
        if error.status == 403:
            abort(403)
        return _refused(case, Failure("mark_spam", error, None, request.form))
    flash(_("Ärendet är markerat som skräp. Det finns kvar men räknas inte."), "success")
    return redirect(url_for("cases.case_page", case_id=case.id, _anchor="meddelanden"))
