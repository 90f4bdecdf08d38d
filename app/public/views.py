"""The public pages: reachable without an account, phone first, usable without JavaScript.

Nothing here says whether a code exists: a wrong code and a wrong secret get the same page, the
same status and the same scrypt check (operations.followed_case)."""

from __future__ import annotations

import importlib.util
import secrets as random
from typing import Any
from urllib.parse import urlsplit

from flask import abort, current_app, redirect, render_template, request, url_for
from flask import session as cookie
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app import db
from app.audit.access import record_sender_read
from app.authz import public
from app.models import Case, PublicLink
from app.reports import pending_files
from app.templating import apply_errors
from forms.public import (
    HONEYPOT,
    FollowUpForm,
    PublicComplaintForm,
    PublicReportForm,
    SenderMessageForm,
)
from forms.report import unanswered
from workflows.engine import validate_form
from workflows.errors import InvalidData, WorkflowError

from . import bp
from . import operations as ops
from . import session as held

Page = str | tuple[str, int] | Response


def _link(token: str) -> PublicLink:
    link = ops.active_link(db.session(), token)
    if link is None:
        abort(404)
    return link


def complaints_available() -> bool:
    """The complaint case type lives in app.complaints; until it is there, no complaint form."""
    try:
        return importlib.util.find_spec("app.complaints.operations") is not None
    except ModuleNotFoundError:
        return False


def _too_many(seconds: int) -> InvalidData:
    error = InvalidData(
        _(
            "Det har kommit för många försök härifrån. Vänta %(minutes)s minuter och försök igen.",
            minutes=max(1, seconds // 60),
        )
    )
    error.status = 429
    return error


def _decoy() -> Response:
    """A robot that filled the hidden field gets what a person would, and nothing is kept."""
    code = ops.normal_code("".join(random.choice(ops.CODE_ALPHABET) for _ in range(12)))
    held.remember_issued(code, ops.new_secret(), [])
    return redirect(url_for("public.receipt"))


@bp.get("/lamna/<token>")
@public
def start(token: str) -> str:
    link = _link(token)
    return render_template(
        "public/start.html", link=link, token=token, complaints=complaints_available()
    )


@bp.route("/lamna/<token>/rapport", methods=["GET", "POST"])
@public
def report(token: str) -> Page:
    session = db.session()
    link = _link(token)
    choices = ops.unit_choices_for(session, link)
    if request.method == "GET":
        data = {"unit_id": link.unit_id} if link.unit_id else None
        form = PublicReportForm(formdata=None, data=data, unit_choices=choices)
        return _report_page(form, link, token)

    form = PublicReportForm(formdata=request.form, unit_choices=choices)
    uploads = request.files.getlist("attachments")
    kept = pending_files.listed(request.form.getlist("kept_file"))

    def again(status: int = 200, **extra: Any) -> tuple[str, int]:
        added, problems = pending_files.keep(uploads)
        if problems:
            form.attachments.errors = [*form.attachments.errors, *problems]
        return _report_page(form, link, token, status, kept_files=[*kept, *added], **extra)

    if "remove_file" in request.form:
        removed = request.form["remove_file"]
        pending_files.discard([removed])
        kept = [f for f in kept if f.id != removed]
        return again(focus=form.attachments.id)
    if "add_person" in request.form:
        if len(form.persons) < (form.persons.max_entries or 10):
            form.persons.append_entry()
        return again(focus=form.persons[-1].form.name.id)
    if "propose" in request.form:
        from app.reports.views import proposed_kind

        return again(proposal=proposed_kind(form), focus=form.report_kind.id)
    wait = ops.limited({"submit_address": request.remote_addr or "", "submit_link": str(link.id)})
    if wait is not None:
        return again(429, error=_too_many(wait))
    if request.form.get(HONEYPOT):
        pending_files.discard(f.id for f in kept)
        return _decoy()
    missing = unanswered(request.form)
    try:
        if missing:
            validate_form(PublicReportForm, request.form, unit_choices=choices)
            raise InvalidData(_("Uppgifterna är inte kompletta eller felaktiga."), missing)
        with pending_files.opened(kept) as kept_uploads:
            cases, issued = ops.submit_report(
                session, link, request.form, [*uploads, *kept_uploads]
            )
    except WorkflowError as error:
        leftover = apply_errors(form, {**error.field_errors, **missing})
        return again(error.status, error=error, leftover=leftover)
    pending_files.discard(f.id for f in kept)
    held.remember_issued(issued.code, issued.secret, [c.reference for c in cases])
    return redirect(url_for("public.receipt"))


def _report_page(
    form: PublicReportForm, link: PublicLink, token: str, status: int = 200, **extra: Any
) -> tuple[str, int]:
    return render_template("public/report.html", form=form, link=link, token=token, **extra), status


@bp.route("/lamna/<token>/synpunkt", methods=["GET", "POST"])
@public
def complaint(token: str) -> Page:
    session = db.session()
    link = _link(token)
    if not complaints_available():
        abort(404)
    choices = ops.unit_choices_for(session, link)
    if request.method == "GET":
        data = {"unit_id": link.unit_id} if link.unit_id else None
        form = PublicComplaintForm(formdata=None, data=data, unit_choices=choices)
        return _complaint_page(form, link, token)
    form = PublicComplaintForm(formdata=request.form, unit_choices=choices)
    wait = ops.limited({"submit_address": request.remote_addr or "", "submit_link": str(link.id)})
    if wait is not None:
        return _complaint_page(form, link, token, 429, error=_too_many(wait))
    if request.form.get(HONEYPOT):
        return _decoy()
    try:
        case, issued = ops.submit_complaint(session, link, request.form)
    except WorkflowError as error:
        leftover = apply_errors(form, error.field_errors)
        return _complaint_page(form, link, token, error.status, error=error, leftover=leftover)
    held.remember_issued(issued.code, issued.secret, [case.reference])
    return redirect(url_for("public.receipt"))


def _complaint_page(
    form: PublicComplaintForm, link: PublicLink, token: str, status: int = 200, **extra: Any
) -> tuple[str, int]:
    return render_template(
        "public/complaint.html", form=form, link=link, token=token, **extra
    ), status


@bp.get("/kvitto")
@public
def receipt() -> Page:
    issued = held.take_issued()
    if issued is None:
        return redirect(url_for("public.follow_up"))
    response = render_template("public/receipt.html", issued=issued)
    return response


@bp.route("/foljupp", methods=["GET", "POST"])
@public
def follow_up() -> Page:
    session = db.session()
    if request.method == "GET":
        if held.following() is not None:
            return redirect(url_for("public.followed"))
        return render_template("public/follow_up.html", form=FollowUpForm(formdata=None))
    form = FollowUpForm(formdata=request.form)
    code = ops.normal_code(form.code.data or "")
    wait = ops.limited({"follow_address": request.remote_addr or "", "follow_code": code})
    if wait is not None:
        return render_template("public/follow_up.html", form=form, error=_too_many(wait)), 429
    case = ops.followed_case(session, code, form.secret.data or "") if form.validate() else None
    if case is None:
        # One message for every way of getting it wrong.
        message = _("Kvittokoden eller lösenordet stämmer inte. Kontrollera och försök igen.")
        form.code.errors = []
        form.secret.errors = []
        return render_template("public/follow_up.html", form=form, error=InvalidData(message)), 422
    receipt = ops.receipt_of(session, case)
    assert receipt is not None  # noqa: S101  (followed through it)
    held.follow(receipt.id)
    return redirect(url_for("public.followed"))


def _followed_case() -> Case | None:
    receipt_id = held.following()
    if receipt_id is None:
        return None
    return ops.receipt_case(db.session(), receipt_id)


def _ask_again() -> tuple[str, int]:
    """Not (or no longer) opened with a receipt: the code and secret are asked for (401)."""
    return render_template("public/follow_up.html", form=FollowUpForm(formdata=None)), 401


@bp.get("/foljupp/arende")
@public
def followed() -> Page:
    case = _followed_case()
    if case is None:
        return _ask_again()
    return _followed_page(case, SenderMessageForm(formdata=None))


def _followed_page(case: Case, form: SenderMessageForm, status: int = 200, **extra: Any) -> Page:
    session = db.session()
    # The sender's report may have become two cases (one about both laws): both are theirs.
    cases = [case, *([case.related_case] if case.related_case is not None else [])]
    thread = ops.messages(session, case)
    for shown in cases:
        record_sender_read(shown, detail="foljupp")
    return render_template(
        "public/followed.html",
        view=ops.public_view(cases, thread),
        form=form,
        **extra,
    ), status


@bp.post("/foljupp/meddelande")
@public
def send_message() -> Page:
    case = _followed_case()
    if case is None:
        return _ask_again()
    form = SenderMessageForm(formdata=request.form)
    wait = ops.limited({"message_case": str(case.id)})
    if wait is not None:
        return _followed_page(case, form, 429, error=_too_many(wait))
    try:
        ops.post_sender_message(db.session(), case, request.form.get("text", ""))
    except WorkflowError as error:
        leftover = apply_errors(form, error.field_errors)
        return _followed_page(case, form, error.status, error=error, leftover=leftover)
    return redirect(url_for("public.followed", _anchor="meddelanden"))


@bp.post("/foljupp/avsluta")
@public
def leave() -> Response:
    held.leave()
    return redirect(url_for("public.follow_up"))


@bp.post("/sprak")
@public
def language() -> Response:
    """The visitor's language, for the public pages (a signed-in user's own choice wins)."""
    chosen = request.form.get("locale", "")
    if chosen in current_app.config["LANGUAGES"]:
        cookie["locale"] = chosen
    back = request.form.get("next", "")
    parts = urlsplit(back)
    if not back.startswith("/") or back.startswith("//") or parts.scheme or parts.netloc:
        back = url_for("public.follow_up")
    return redirect(back)
