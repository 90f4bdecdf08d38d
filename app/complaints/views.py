"""The page staff register a complaint received by phone, letter or in person on."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app import db
from app.models import User
from app.templating import apply_errors
from forms.complaint import ComplaintForm
from workflows.errors import WorkflowError
from workflows.records import unit_choices

from . import bp
from .operations import may_register, register_complaint


def _me() -> User:
    user: User = current_user._get_current_object()
    return user


@bp.route("/klagomal/registrera", methods=["GET", "POST"])
@login_required
def new_complaint() -> Response | tuple[str, int]:
    if not may_register(_me()):
        abort(403)
    session = db.session()
    choices = unit_choices(session)
    if request.method == "GET":
        form = ComplaintForm(formdata=None, unit_choices=choices)
        return render_template("complaints/new.html", form=form), 200
    form = ComplaintForm(formdata=request.form, unit_choices=choices)
    try:
        case = register_complaint(session, _me(), request.form)
    except WorkflowError as error:
        if error.status == 403:
            abort(403)
        leftover = apply_errors(form, error.field_errors)
        return render_template(
            "complaints/new.html", form=form, error=error, leftover=leftover
        ), error.status
    session.commit()
    flash(
        _("Synpunkten är registrerad med referensnummer %(reference)s.", reference=case.reference),
        "success",
    )
    return redirect(url_for("cases.case_page", case_id=case.id))


# The complaint's recording steps on its case page (workflows/complaint.py declares them).
@bp.post(
    "/arenden/<int:case_id>/klagomal/<any(update_findings, record_unanswerable, mark_spam):trigger>"
)
@login_required
def complaint_record(case_id: int, trigger: str) -> Response | tuple[str, int]:
    from app.cases.page import Failure
    from app.cases.views import _case, _done, _expected_version, _refused
    from workflows import complaint_records

    session = db.session()
    case = _case(case_id)
    version = _expected_version()
    try:
        if trigger == "update_findings":
            complaint_records.update_findings(
                session, case, _me(), request.form, expected_version=version
            )
            message = _("Utredningen av klagomålet är sparad.")
        elif trigger == "record_unanswerable":
            complaint_records.record_unanswerable(session, case, _me(), expected_version=version)
            message = _("Det är registrerat att avsändaren inte kan nås. Ärendet kan avslutas.")
        else:
            complaint_records.mark_spam(session, case, _me(), expected_version=version)
            message = _("Ärendet är markerat som skräp. Det sparas men räknas inte.")
    except WorkflowError as error:
        return _refused(case, Failure("complaint", error, trigger, request.form))
    session.commit()
    return _done(case, message)
