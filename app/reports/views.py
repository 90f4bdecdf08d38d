from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, lazyload, selectinload
from werkzeug.wrappers import Response

from app import db
from app.audit.access import record_reads
from app.cases.queries import bounded_count, paging
from app.models import Case, User
from app.models.unit_tree import unit_paths
from app.templating import apply_errors
from forms.report import ReportForm, unanswered
from workflows import intake, records
from workflows.engine import validate_form
from workflows.errors import InvalidData, WorkflowError

from . import bp, pending_files, receipt


def _me() -> User:
    user: User = current_user._get_current_object()
    return user


def proposed_kind(form: ReportForm) -> str:
    """The report kind the plain answers point to, in ReportForm.report_kind's terms."""
    types = intake.propose_case_types(form.affected.data or "unknown", form.harm.data or "unknown")
    return "both" if len(types) > 1 else types[0]


def _show(form: ReportForm, status: int = 200, **extra: object) -> tuple[str, int]:
    return render_template("reports/new.html", form=form, **extra), status


@bp.route("/rapportera", methods=["GET", "POST"])
@login_required
def new_report() -> Response | tuple[str, int]:
    session = db.session()
    choices = records.unit_choices(session)
    if request.method == "GET":
        return _show(ReportForm(formdata=None, unit_choices=choices))

    form = ReportForm(formdata=request.form, unit_choices=choices)
    uploads = request.files.getlist("attachments")
    kept = pending_files.listed(request.form.getlist("kept_file"))

    def again(status: int = 200, **extra: object) -> tuple[str, int]:
        # Shown again: the files just chosen are kept on the server with those kept before.
        added, problems = pending_files.keep(uploads)
        if problems:
            form.attachments.errors = [*form.attachments.errors, *problems]
        return _show(form, status, kept_files=[*kept, *added], **extra)

    if "remove_file" in request.form:
        removed = request.form["remove_file"]
        pending_files.discard([removed])
        kept = [f for f in kept if f.id != removed]
        return again(focus=form.attachments.id)
    if "add_person" in request.form:
        # "Lägg till person" posts the form back; nothing is saved until it is sent.
        if len(form.persons) < (form.persons.max_entries or 10):
            form.persons.append_entry()
        return again(focus=form.persons[-1].form.name.id)
    if "propose" in request.form:
        # Without JavaScript the proposal is shown by posting the answers back; nothing is saved.
        return again(proposal=proposed_kind(form), focus=form.report_kind.id)
    missing = unanswered(request.form)
    try:
        if missing:
            # Checked with the rest, so that every error is shown at once.
            validate_form(ReportForm, request.form, unit_choices=choices)
            raise InvalidData(_("Uppgifterna är inte kompletta eller felaktiga."), missing)
        with pending_files.opened(kept) as kept_uploads:
            cases = intake.report_event(
                session, _me(), request.form, files=[*uploads, *kept_uploads]
            )
    except WorkflowError as error:
        if error.status == 403:
            abort(403)
        leftover = apply_errors(form, {**error.field_errors, **missing})
        return again(error.status, error=error, leftover=leftover)
    pending_files.discard(f.id for f in kept)
    references = [case.reference for case in cases]
    if len(references) == 1:
        message = _(
            "Tack! Din rapport är skickad och har fått referensnummer %(reference)s.",
            reference=references[0],
        )
    else:
        # A report about both laws opens one case for each (intake.report_event).
        message = _(
            "Tack! Din rapport är skickad och har fått två referensnummer: %(first)s och %(second)s.",
            first=", ".join(references[:-1]),
            second=references[-1],
        )
    flash(f"{message} {receipt.became(session, cases)}", "success")
    return redirect(url_for("reports.my_reports", _anchor=f"rapport-{cases[0].id}"))


@bp.route("/mina-rapporter")
@login_required
def my_reports() -> str:
    session = db.session()
    config = current_app.config
    mine = Case.reporter_id == _me().id
    pages = paging(
        bounded_count(session, select(Case.id).where(mine), config["COUNT_LIMIT"]),
        request.args.get("sida", default=1, type=int),
        config["PAGE_SIZE"],
        config["PAGE_DEPTH_LIMIT"],
    )
    # Only what the reporter may see: status and the feedback, never the investigation.
    cases = session.scalars(
        select(Case)
        .where(mine)
        .options(
            lazyload(Case.unit),
            selectinload(Case.feedback),
            joinedload(Case.related_case).lazyload(Case.unit),
        )
        .order_by(Case.received_at.desc(), Case.id.desc())
        .limit(config["PAGE_SIZE"])
        .offset((pages.page - 1) * config["PAGE_SIZE"])
    ).all()
    record_reads(_me(), cases)
    return render_template(
        "reports/mine.html",
        cases=cases,
        result=pages,
        unit_paths=unit_paths(session, {case.unit_id for case in cases}),
        next_steps=receipt.next_steps(session, [case.id for case in cases]),
        next_step_text=receipt.next_step_text,
    )
