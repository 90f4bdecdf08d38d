"""The committee's diarienummer, entered on the case page before the filing (DOMAIN.md §7 rev. 2)."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from app import db
from workflows.errors import WorkflowError
from workflows.own_case_number import record_own_case_number

from . import bp
from .page import Failure
from .views import _case, _done, _expected_version, _refused, me


@bp.post("/arenden/<int:case_id>/diarienummer")
@login_required
def own_case_number(case_id: int) -> Response | tuple[str, int]:
    case = _case(case_id)
    try:
        record_own_case_number(
            db.session(), case, me(), request.form, expected_version=_expected_version()
        )
    except WorkflowError as error:
        return _refused(case, Failure("own_case_number", error, None, request.form))
    return _done(case, _("Nämndens diarienummer är sparat."), "diarienummer")
