"""The case page and what is posted from it. Each POST calls one operation; on refusal the page
is shown again with the refused form as typed, its errors, and the operation's status code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from app import db
from app.audit.access import record_read, record_reads
from app.labels import TRIGGER_LABELS, state_label
from app.models import Action, Attachment, Case, User
from app.routing import whole_number
from workflows import co_investigators, feedback, lex_maria_records, records, workdays
from workflows.engine import fire
from workflows.errors import InvalidData, WorkflowError
from workflows.permissions import can_view, visible_sections
from workflows.registry import flow_for

from . import bp
from .decision import as_decision, declared_decisions
from .decision import decide as take_decision
from .page import STOCKHOLM, Failure, build, without_prefix


def me() -> User:
    user: User = current_user._get_current_object()
    return user


def _case(case_id: int) -> Case:
    case = db.session().get(Case, case_id)
    if case is None:
        abort(404)
    if not can_view(db.session(), me(), case):
        abort(403)
    return case


def _expected_version() -> int | None:
    value = request.form.get("expected_version", "")
    return int(value) if whole_number(value) else None


def _page(case: Case, failure: Failure | None = None, team_rows: int = 1) -> tuple[str, int]:
    ctx = build(db.session(), me(), case, failure, team_rows=team_rows)
    record_read(me(), case)
    # The history of the cases this one grew out of is shown on its page too.
    record_reads(me(), ctx["origin_histories"], detail=case.reference)
    return render_template("cases/case.html", **ctx), failure.error.status if failure else 200


def _refused(case: Case, failure: Failure) -> tuple[str, int]:
    if failure.error.status == 403 and not can_view(db.session(), me(), case):
        abort(403)
    return _page(case, failure)


def _done(case: Case, message: str, anchor: str | None = None) -> Response:
    flash(message, "success")
    return redirect(url_for("cases.case_page", case_id=case.id, _anchor=anchor))


def _stepped(case: Case, trigger: str) -> Response:
    return _done(
        case,
        _(
            "Klart: %(step)s. Ärendet har nu status %(state)s.",
            step=TRIGGER_LABELS.get(trigger, trigger),
            state=state_label(case.case_type, case.state),
        ),
    )


def _upload_dir() -> Path:
    # UPLOAD_FOLDER is relative to the instance folder, or absolute (tests, shared storage).
    return Path(current_app.instance_path) / current_app.config["UPLOAD_FOLDER"]


@bp.route("/arenden/<int:case_id>")
@login_required
def case_page(case_id: int) -> tuple[str, int]:
    # "Lägg till deltagare" comes back here asking for that many empty rows in the team's list.
    rows = request.args.get("deltagarrader", "")
    return _page(_case(case_id), team_rows=min(int(rows), MAX_EMPTY_ROWS) if rows.isdigit() else 1)


MAX_EMPTY_ROWS = 10


def _empty_team_rows(form: MultiDict[str, Any]) -> int:
    """How many rows of the analysis team were posted empty (and not ticked for removal)."""
    rows: dict[str, list[str]] = {}
    for key, value in form.items(multi=True):
        parts = key.split("-")
        if len(parts) == 3 and parts[0] == "analysis_team":
            rows.setdefault(parts[1], []).append(value.strip())
    return sum(1 for values in rows.values() if not any(values))


@bp.post("/arenden/<int:case_id>/steg/<trigger>")
@login_required
def fire_step(case_id: int, trigger: str) -> Response | tuple[str, int]:
    case = _case(case_id)
    expected_version = _expected_version()
    if trigger == "complete_investigation" and request.form.get("with_investigation"):
        # "Slutför utredning" belongs to the investigation form: what was typed there is saved
        # and committed first, so that a refused completion loses nothing.
        try:
            records.save_investigation(
                db.session(), case, me(), request.form, expected_version=expected_version
            )
        except WorkflowError as error:
            return _refused(case, Failure("investigation", error, None, request.form))
        db.session().commit()
        expected_version = case.version
    data = without_prefix(request.form, trigger)
    if trigger in declared_decisions(flow_for(case.case_type)):
        # A decision posted to its step's own address is taken as the one decision form, so
        # that a refusal shows that form again with what was typed.
        return _decided(case, as_decision(trigger, data), expected_version)
    try:
        fire(db.session(), case, me(), trigger, data, expected_version=expected_version)
    except WorkflowError as error:
        return _refused(case, Failure("step", error, trigger, data))
    return _stepped(case, trigger)


@bp.post("/arenden/<int:case_id>/beslut")
@login_required
def decide(case_id: int) -> Response | tuple[str, int]:
    """The deciding role's one form: the chosen decision step, among those offered now."""
    case = _case(case_id)
    return _decided(case, without_prefix(request.form, "decision"), _expected_version())


def _decided(
    case: Case, data: MultiDict[str, Any], expected_version: int | None
) -> Response | tuple[str, int]:
    try:
        trigger = take_decision(db.session(), case, me(), data, expected_version=expected_version)
    except WorkflowError as error:
        return _refused(case, Failure("decision", error, None, data))
    return _stepped(case, trigger)


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


@bp.post("/arenden/<int:case_id>/utredning")
@login_required
def save_investigation(case_id: int) -> Response | tuple[str | Response, int]:
    case = _case(case_id)
    # A draft (app/static/investigation_draft.js) is the same save, asked for as JSON.
    draft = _wants_json()
    try:
        records.save_investigation(
            db.session(), case, me(), request.form, expected_version=_expected_version()
        )
    except WorkflowError as error:
        if draft:
            return jsonify(message=error.message, errors=error.field_errors), error.status
        return _refused(case, Failure("investigation", error, None, request.form))
    if draft:
        saved_at = workdays.now().astimezone(STOCKHOLM).strftime("%H:%M")
        message = _("Utkast sparat %(time)s", time=saved_at)
        return jsonify(message=message, version=case.version), 200
    if request.form.get("add_participant"):
        # Without JavaScript a row is added by saving and coming back with one more empty row.
        flash(_("Utredningen är sparad. En tom rad för en deltagare till är tillagd."), "success")
        rows = _empty_team_rows(request.form) + 1
        return redirect(
            url_for("cases.case_page", case_id=case.id, deltagarrader=rows, _anchor="analysteam")
        )
    return _done(case, _("Utredningen är sparad."), "utredning")


@bp.post("/arenden/<int:case_id>/atgarder")
@login_required
def add_action(case_id: int) -> Response | tuple[str, int]:
    case = _case(case_id)
    try:
        records.add_action(
            db.session(), case, me(), request.form, expected_version=_expected_version()
        )
    except WorkflowError as error:
        return _refused(case, Failure("action", error, None, request.form))
    return _done(case, _("Åtgärden är tillagd."), "atgarder")


@bp.post("/arenden/<int:case_id>/atgarder/<int:action_id>")
@login_required
def update_action(case_id: int, action_id: int) -> Response | tuple[str, int]:
    case = _case(case_id)
    action = db.session().get(Action, action_id)
    if action is None or action.case_id != case.id:
        abort(404)
    data = without_prefix(request.form, f"action-{action_id}")
    try:
        records.update_action(
            db.session(), action, me(), data, expected_version=_expected_version()
        )
    except WorkflowError as error:
        return _refused(case, Failure("action_update", error, action_id, data))
    return _done(case, _("Åtgärden är uppdaterad."), f"atgard-{action_id}")


@bp.post("/arenden/<int:case_id>/utredning-skickad")
@login_required
def investigation_sent(case_id: int) -> Response | tuple[str, int]:
    case = _case(case_id)
    try:
        records.record_investigation_sent(
            db.session(), case, me(), request.form, expected_version=_expected_version()
        )
    except WorkflowError as error:
        return _refused(case, Failure("sent", error, None, request.form))
    return _done(case, _("Det är registrerat att utredningen har skickats till IVO."), "ivo")


@bp.post("/arenden/<int:case_id>/patientinformation")
@login_required
def patient_information(case_id: int) -> Response | tuple[str, int]:
    case = _case(case_id)
    try:
        lex_maria_records.record_patient_information(
            db.session(), case, me(), request.form, expected_version=_expected_version()
        )
    except WorkflowError as error:
        return _refused(case, Failure("patient_information", error, None, request.form))
    return _done(case, _("Informationen till patienten är registrerad."), "patientinformation")


@bp.post("/arenden/<int:case_id>/aterkoppling")
@login_required
def record_feedback(case_id: int) -> Response | tuple[str, int]:
    case = _case(case_id)
    try:
        feedback.record_feedback(
            db.session(), case, me(), request.form, expected_version=_expected_version()
        )
    except WorkflowError as error:
        return _refused(case, Failure("feedback", error, None, request.form))
    return _done(
        case, _("Återkopplingen till den som rapporterade är registrerad."), "aterkoppling"
    )


@bp.post("/arenden/<int:case_id>/lakemedelsverket")
@login_required
def medical_device_report(case_id: int) -> Response | tuple[str, int]:
    case = _case(case_id)
    try:
        lex_maria_records.record_medical_device_report(
            db.session(), case, me(), request.form, expected_version=_expected_version()
        )
    except WorkflowError as error:
        return _refused(case, Failure("medical_device", error, None, request.form))
    return _done(case, _("Rapporten till Läkemedelsverket är registrerad."), "lakemedelsverket")


@bp.post("/arenden/<int:case_id>/medutredare")
@login_required
def add_co_investigator(case_id: int) -> Response | tuple[str, int]:
    case = _case(case_id)
    data = without_prefix(request.form, "medutredare")
    try:
        co_investigators.add_co_investigator(
            db.session(), case, me(), data, expected_version=_expected_version()
        )
    except WorkflowError as error:
        return _refused(case, Failure("co_investigator", error, None, data))
    return _done(case, _("Medutredaren är tillagd."), "medutredare")


@bp.post("/arenden/<int:case_id>/medutredare/ta-bort")
@login_required
def remove_co_investigator(case_id: int) -> Response | tuple[str, int]:
    case = _case(case_id)
    try:
        co_investigators.remove_co_investigator(
            db.session(), case, me(), request.form, expected_version=_expected_version()
        )
    except WorkflowError as error:
        return _refused(case, Failure("co_investigator_removal", error))
    return _done(case, _("Medutredaren är borttagen."), "medutredare")


@bp.post("/arenden/<int:case_id>/bilagor")
@login_required
def upload_attachment(case_id: int) -> Response | tuple[str, int]:
    case = _case(case_id)
    upload = request.files.get("attachment")
    # The section the form belongs to; the operation refuses one the user may not write.
    section = request.form.get("section", "report")
    try:
        if upload is None or not upload.filename:
            raise InvalidData(_("Ingen fil vald."), {"attachment": [_("Välj en fil att bifoga.")]})
        records.add_attachment(
            db.session(),
            case,
            me(),
            upload,
            _upload_dir(),
            section,
            expected_version=_expected_version(),
        )
    except WorkflowError as error:
        return _refused(case, Failure("attachment", error, section[:20]))
    anchor = {"report": "bilagor", "decision": "beslut-bilagor"}.get(section, "utredning-bilagor")
    return _done(case, _("Bilagan är tillagd."), anchor)


@bp.route("/arenden/<int:case_id>/bilagor/<int:attachment_id>")
@login_required
def download_attachment(case_id: int, attachment_id: int) -> Response:
    case = _case(case_id)
    attachment = db.session().get(Attachment, attachment_id)
    if attachment is None or attachment.case_id != case.id:
        abort(404)
    # A file is for those who see the section it belongs to (DOMAIN.md §3.1 rev. 2).
    if attachment.section not in visible_sections(db.session(), me(), case):
        abort(403)
    # The file's name may itself be case content; the log names the attachment by its number.
    record_read(me(), case, f"bilaga {attachment.id}")
    response = send_from_directory(
        _upload_dir(),
        attachment.stored_name,
        as_attachment=True,
        download_name=attachment.filename,
        mimetype=attachment.content_type,
    )
    # The stored type is the whole header (text/plain; charset=utf-8): werkzeug would append its
    # own charset to a text/ type once more.
    response.headers["Content-Type"] = attachment.content_type
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
