"""Mitt konto's second factor: set it up (the same page and operations as the forced enrolment
at sign-in, app/auth/second_step.py), see whether it is on and how many recovery codes are left,
and make new recovery codes."""

from __future__ import annotations

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app import db
from app.auth import second_factor
from app.auth.second_step import VERIFIED, enrolment_context
from app.models.base import utcnow
from app.templating import apply_errors
from forms.second_factor import EnrolCodeForm, SignInCodeForm
from workflows.errors import InvalidData

from . import bp
from .views import _page


@bp.route("/konto/tvastegsverifiering", methods=["GET", "POST"])
def enrol() -> str | Response | tuple[str, int]:
    user = current_user._get_current_object()
    if second_factor.enrolled(db.session(), user):
        return redirect(url_for("account.page", _anchor="tvastegsverifiering"))
    form = EnrolCodeForm()
    action = url_for("account.enrol")
    if not form.validate_on_submit():
        status = 422 if form.errors else 200
        return render_template(
            "account/second_factor_enrol.html", **enrolment_context(user, form, action)
        ), status
    try:
        codes = second_factor.confirm_enrolment(db.session(), user, form.code.data, utcnow())
    except InvalidData as error:
        apply_errors(form, error.field_errors)
        context = enrolment_context(user, form, action)
        return render_template("account/second_factor_enrol.html", error=error, **context), 422
    # This session has now shown the second factor too.
    session[VERIFIED] = True
    return render_template(
        "account/recovery_codes.html", codes=codes, onward=url_for("account.page")
    )


@bp.route("/konto/aterstallningskoder", methods=["POST"])
def new_recovery_codes() -> str | Response | tuple[str, int]:
    """New codes in place of the old, for a code from the app: a session left open on a shared
    computer must not be enough to take them."""
    user = current_user._get_current_object()
    form = SignInCodeForm()
    if not form.validate_on_submit():
        return _page(recovery_form=form), 422
    dbs, now = db.session(), utcnow()
    if not second_factor.enrolled(dbs, user):
        return redirect(url_for("account.enrol"))
    code = form.code.data.strip()
    # The app's code only: a recovery code given here would be used up for nothing.
    verdict = second_factor.verify(dbs, user, code, now) if code.isdigit() else None
    if verdict is not second_factor.Verdict.ACCEPTED:
        flash(_("Koden stämmer inte. Inga nya återställningskoder skapades."), "error")
        return redirect(url_for("account.page", _anchor="tvastegsverifiering"))
    codes = second_factor.new_recovery_codes(dbs, user, now)
    return render_template(
        "account/recovery_codes.html", codes=codes, onward=url_for("account.page")
    )
