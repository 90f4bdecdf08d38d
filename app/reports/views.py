from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from app import db
from app.models import Case, User
from app.templating import apply_errors
from forms.report import ReportForm
from workflows import records
from workflows.errors import WorkflowError

from . import bp


def _me() -> User:
    user: User = current_user._get_current_object()
    return user


@bp.route("/rapportera", methods=["GET", "POST"])
@login_required
def new_report() -> str | Response | tuple[str, int]:
    session = db.session()
    choices = records.unit_choices(session)
    if request.method == "GET":
        form = ReportForm(formdata=None, unit_choices=choices)
        return render_template("reports/new.html", form=form)

    form = ReportForm(formdata=request.form, unit_choices=choices)
    if "add_person" in request.form:
        # "Lägg till person" posts the form back; nothing is saved until it is sent.
        if len(form.persons) < (form.persons.max_entries or 10):
            form.persons.append_entry()
        return render_template("reports/new.html", form=form, focus=form.persons[-1].form.name.id)
    try:
        case = records.submit_report(
            session, _me(), request.form, files=request.files.getlist("attachments"),
            case_type="lex_sarah",
        )
    except WorkflowError as error:
        if error.status == 403:
            abort(403)
        leftover = apply_errors(form, error.field_errors)
        return render_template("reports/new.html", form=form, error=error, leftover=leftover), error.status
    flash(_("Tack! Din rapport är skickad och har fått referensnummer %(reference)s.",
            reference=case.reference), "success")
    return redirect(url_for("reports.my_reports", _anchor=f"rapport-{case.id}"))


@bp.route("/mina-rapporter")
@login_required
def my_reports() -> str:
    session = db.session()
    # Only what the reporter may see: status and the feedback, never the investigation.
    cases = session.scalars(
        select(Case)
        .where(Case.reporter_id == _me().id)
        .options(selectinload(Case.closures))
        .order_by(Case.received_at.desc(), Case.id.desc())
    ).all()
    return render_template("reports/mine.html", cases=cases)


@bp.errorhandler(403)
def _forbidden(_error: Exception) -> tuple[str, int]:
    return render_template("errors/403.html"), 403
