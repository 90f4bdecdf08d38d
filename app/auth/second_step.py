"""The sign-in after the password, for a local account with a second factor or one that must
set one up (app/auth/second_factor.py says who).

Between the password and the code nobody is signed in: the session holds only who gave the right
password, when, and a fingerprint of the password hash and the session generation they gave it
against, for PENDING_MINUTES. The code page and the forced enrolment read that and nothing else,
and the session proper begins (sessions.begin, a fresh cookie) only once the code is right or the
new factor confirmed. Every other page stays closed, as to anyone not signed in.

The code is throttled as the password is (app/auth/throttle.py), under the e-mail and address of
the password step: the password step records no success for an account with a second factor, so
that a right password cannot wipe out the count of wrong codes before it, and each wrong or
replayed code is a failed attempt. A wrong code is answered with 200, not 4xx, because a 4xx
response rolls the request's transaction back and the failure with it.
"""

from __future__ import annotations

import math
from typing import Any

import segno
from flask import Flask, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from app import db
from app.authz import is_public, public
from app.models import User
from app.models.base import utcnow
from app.security import sessions
from app.templating import apply_errors
from forms.second_factor import EnrolCodeForm, SignInCodeForm
from workflows.errors import InvalidData

from . import bp, second_factor, throttle
from .loaders import remember_generation

PENDING = "_second_factor"
PENDING_MINUTES = 10
# Set in a session begun with the password: VIA says so, VERIFIED that a second factor was given
# too (or set up). A session begun through the directory carries neither and is left alone.
VIA = "_via"
VERIFIED = "_second_factor_ok"
# The pages a session that still needs a second factor may reach (register_guard).
_ALLOWED_UNVERIFIED = {"account.enrol", "auth.logout"}


def refused_locally(email: str) -> bool:
    """True, with a message saying why, when LOCAL_SIGN_IN leaves the password to others. Said
    for every address not listed, account or not, so it tells nothing about which exist."""
    if second_factor.local_sign_in_allowed(email, current_app.config):
        return False
    flash(
        _(
            "Inloggning med lösenord används bara som reserv för systemförvaltaren. "
            "Logga in med kommunens inloggning."
        ),
        "error",
    )
    return True


def follows(user: User) -> bool:
    """Does a code follow the password? (Then the password alone is no successful sign-in.)"""
    return second_factor.enrolled(db.session(), user)


def begin(user: User, *, verified: bool) -> None:
    sessions.begin(user)
    remember_generation(user)
    session[VIA] = "password"
    session[VERIFIED] = verified


def after_password(user: User, email: str, next_url: str | None) -> Response:
    """Where a right password leads: the code, the forced enrolment, or straight in."""
    is_enrolled = second_factor.enrolled(db.session(), user)
    if not is_enrolled and not second_factor.required(user, current_app.config):
        begin(user, verified=False)
        return redirect(next_url or url_for("cases.inbox"))
    # Nothing of an earlier session survives into this one (fixation), as in sessions.begin.
    session.clear()
    session[PENDING] = {
        "user": user.id,
        "at": int(utcnow().timestamp()),
        "pw": sessions.fingerprint(user.password_hash),
        "generation": user.session_generation,
        "email": throttle.normal_email(email),
        "next": next_url,
    }
    return redirect(url_for("auth.second_factor_step" if is_enrolled else "auth.enrol"))


def _pending() -> tuple[User, dict[str, Any]] | None:
    data = session.get(PENDING)
    if not isinstance(data, dict):
        return None
    if int(utcnow().timestamp()) - int(data.get("at", 0)) > PENDING_MINUTES * 60:
        return None
    user = db.session().get(User, int(data.get("user", 0)))
    if user is None or not user.active or user.session_generation != data.get("generation"):
        return None
    if sessions.fingerprint(user.password_hash) != data.get("pw"):
        return None
    return user, data


def _start_over() -> Response:
    session.pop(PENDING, None)
    flash(_("Inloggningen tog för lång tid eller avbröts. Logga in igen."), "info")
    return redirect(url_for("auth.login"))


def _locked_message(minutes: int) -> str:
    return ngettext(
        "Inloggningen är tillfälligt spärrad efter för många misslyckade försök. "
        "Försök igen om %(num)d minut.",
        "Inloggningen är tillfälligt spärrad efter för många misslyckade försök. "
        "Försök igen om %(num)d minuter.",
        minutes,
    )


@bp.route("/inloggning/kod", methods=["GET", "POST"])
@public
def second_factor_step() -> str | Response | tuple[str, int, dict[str, str]]:
    pending = _pending()
    if pending is None:
        return _start_over()
    user, data = pending
    form = SignInCodeForm()
    if not form.validate_on_submit():
        status = 422 if form.errors else 200
        return render_template("auth/second_factor.html", form=form), status  # type: ignore[return-value]
    dbs, now, address = db.session(), utcnow(), request.remote_addr or ""
    limits = throttle.Limits.from_config(current_app.config)
    until = throttle.locked_until(dbs, data["email"], address, now, limits)
    if until is not None:
        minutes = max(1, math.ceil((until - now).total_seconds() / 60))
        flash(_locked_message(minutes), "error")
        headers = {"Retry-After": str(minutes * 60)}
        return render_template("auth/second_factor.html", form=form), 429, headers
    verdict = second_factor.verify(dbs, user, form.code.data, now)
    accepted = verdict in (second_factor.Verdict.ACCEPTED, second_factor.Verdict.RECOVERY)
    throttle.record(dbs, data["email"], address, succeeded=accepted, at=now)
    if not accepted:
        form.code.errors = [
            _("Koden används redan. Vänta på nästa kod i appen.")
            if verdict is second_factor.Verdict.REPLAYED
            else _("Koden stämmer inte. Försök igen med koden som appen visar nu.")
        ]
        return render_template("auth/second_factor.html", form=form, refused=True)
    begin(user, verified=True)
    if verdict is second_factor.Verdict.RECOVERY:
        left = second_factor.unused_recovery_codes(dbs, user)
        flash(
            ngettext(
                "Du loggade in med en återställningskod. Du har %(num)d kod kvar.",
                "Du loggade in med en återställningskod. Du har %(num)d koder kvar.",
                left,
            ),
            "info",
        )
    return redirect(data.get("next") or url_for("cases.inbox"))


def qr_code(uri: str) -> str:
    """The otpauth address as a QR code in a data: URI (img-src allows data:, no route needed,
    and the secret travels in this one answer only). Dark on white whatever the page's colours,
    with the quiet zone a scanner needs."""
    return str(segno.make(uri, error="m").svg_data_uri(scale=5, border=4, light="#fff"))


def enrolment_context(user: User, form: EnrolCodeForm, action: str) -> dict[str, Any]:
    factor = second_factor.begin_enrolment(db.session(), user, utcnow())
    uri = second_factor.provisioning_uri(factor, user, str(current_app.config["TOTP_ISSUER"]))
    return {
        "form": form,
        "action": action,
        "qr": qr_code(uri),
        "secret": second_factor.readable_secret(factor.secret),
    }


@bp.route("/inloggning/tvastegsverifiering", methods=["GET", "POST"])
@public
def enrol() -> str | Response | tuple[str, int]:
    """The forced enrolment: right after the password, before anything else."""
    pending = _pending()
    if pending is None:
        return _start_over()
    user, data = pending
    if second_factor.enrolled(db.session(), user):
        return redirect(url_for("auth.second_factor_step"))
    form = EnrolCodeForm()
    action = url_for("auth.enrol")
    if not form.validate_on_submit():
        status = 422 if form.errors else 200
        context = enrolment_context(user, form, action)
        return render_template("account/second_factor_enrol.html", forced=True, **context), status
    try:
        codes = second_factor.confirm_enrolment(db.session(), user, form.code.data, utcnow())
    except InvalidData as error:
        apply_errors(form, error.field_errors)
        context = enrolment_context(user, form, action)
        return render_template(
            "account/second_factor_enrol.html", forced=True, error=error, **context
        ), 422
    begin(user, verified=True)
    # Shown in this answer and never again, as a new API token is (app/account/views.py).
    return render_template(
        "account/recovery_codes.html",
        codes=codes,
        onward=data.get("next") or url_for("cases.inbox"),
    )


def register_guard(app: Flask) -> None:
    """A session begun with the password alone, whose user has since come to need a second
    factor (a role granted meanwhile), goes to the enrolment until it has one."""

    @app.before_request
    def _second_factor_guard() -> Response | None:
        if request.blueprint == "api" or is_public(app, request.endpoint):
            return None
        if not current_user.is_authenticated or session.get(VIA) != "password":
            return None
        if session.get(VERIFIED) or request.endpoint in _ALLOWED_UNVERIFIED:
            return None
        if not second_factor.required(current_user, app.config):
            return None
        if second_factor.enrolled(db.session(), current_user):
            # Set up in another session: this one signs in again, with the code.
            sessions.end()
            flash(_("Logga in igen med koden från appen för tvåstegsverifiering."), "info")
            return redirect(url_for("auth.login"))
        flash(_("Ditt konto behöver tvåstegsverifiering. Ställ in den för att fortsätta."), "info")
        return redirect(url_for("account.enrol"))
