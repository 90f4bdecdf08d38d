from __future__ import annotations

import math
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app import db
from app.authz import public
from app.models.base import utcnow
from app.security import sessions
from forms.auth import PASSWORD_MIN_LENGTH, LoginForm, NewPasswordForm, ResetRequestForm

from . import bp, reset, second_step, throttle
from .loaders import end_sessions
from .login import authenticate


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> str | Response | tuple[str, int, dict[str, str]]:
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    if second_step.refused_locally(form.email.data):
        return render_template("auth/login.html", form=form)
    outcome = authenticate(
        db.session(),
        form.email.data,
        form.password.data,
        request.remote_addr or "",
        utcnow(),
        throttle.Limits.from_config(current_app.config),
        second_step=second_step.follows,
    )
    if outcome.locked_for is not None:
        minutes = max(1, math.ceil(outcome.locked_for.total_seconds() / 60))
        flash(
            ngettext(
                "Inloggningen är tillfälligt spärrad efter för många misslyckade försök. "
                "Försök igen om %(num)d minut.",
                "Inloggningen är tillfälligt spärrad efter för många misslyckade försök. "
                "Försök igen om %(num)d minuter.",
                minutes,
            ),
            "error",
        )
        headers = {"Retry-After": str(minutes * 60)}
        return render_template("auth/login.html", form=form), 429, headers
    if outcome.user is None:
        flash(_("Fel e-postadress eller lösenord."), "error")
        return render_template("auth/login.html", form=form)
    return second_step.after_password(
        outcome.user, form.email.data, _safe_next(request.args.get("next"))
    )


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: '//host' and '/\\host' lead browsers elsewhere."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target or any(ord(c) < 32 for c in target):
        return None
    return target


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    # On the server, not only in this browser: a copy of the cookie stops working too.
    end_sessions(current_user._get_current_object())
    sessions.end()
    flash(_("Du är utloggad."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/glomt-losenord", methods=["GET", "POST"])
@public
def forgot_password() -> str | Response | tuple[str, int, dict[str, str]]:
    form = ResetRequestForm()
    if not form.validate_on_submit():
        return render_template("auth/forgot.html", form=form)
    exceeded = reset.request_reset(
        db.session(), form.email.data, request.remote_addr or "", utcnow()
    )
    if exceeded is not None:
        minutes = max(1, math.ceil(exceeded.retry_after / 60))
        flash(
            ngettext(
                "För många begäranden om nytt lösenord. Försök igen om %(num)d minut.",
                "För många begäranden om nytt lösenord. Försök igen om %(num)d minuter.",
                minutes,
            ),
            "error",
        )
        headers = {"Retry-After": str(exceeded.retry_after)}
        return render_template("auth/forgot.html", form=form), 429, headers
    # The same answer whether or not the address belongs to an account.
    flash(_("Om adressen finns skickar vi ett mejl med en länk."), "info")
    return redirect(url_for("auth.login"))


@bp.route(reset.RESET_PATH + "<token>", methods=["GET", "POST"])
@public
def reset_password(token: str) -> str | Response | tuple[str, int]:
    user = reset.user_for_token(db.session(), token, utcnow())
    if user is None:
        return render_template("auth/reset_invalid.html"), 400
    form = NewPasswordForm(email=user.email)
    if not form.validate_on_submit():
        status = 422 if form.errors else 200
        return render_template("auth/reset.html", form=form, min_length=PASSWORD_MIN_LENGTH), status
    reset.set_password(db.session(), user, form.password.data, utcnow())
    sessions.end()
    flash(_("Lösenordet är bytt. Logga in med det nya lösenordet."), "success")
    return redirect(url_for("auth.login"))
