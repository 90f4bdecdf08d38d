from __future__ import annotations

import secrets
from functools import cache
from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required, login_user, logout_user
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers import Response

from app import db
from app.models import User
from forms.auth import LoginForm

from . import bp


@cache
def _dummy_hash() -> str:
    # Checked against when the e-mail is unknown, so both paths take the same time.
    return generate_password_hash(secrets.token_hex(16))


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session().scalar(select(User).where(func.lower(User.email) == email))
        password_ok = check_password_hash(
            user.password_hash if user else _dummy_hash(), form.password.data
        )
        if user is not None and user.active and password_ok:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or url_for("cases.inbox"))
        flash(_("Fel e-postadress eller lösenord."), "error")
    return render_template("auth/login.html", form=form)


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and target.startswith("/") else None


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    logout_user()
    flash(_("Du är utloggad."), "info")
    return redirect(url_for("auth.login"))
