"""The signed-in session: started afresh at login, ended after a time without activity, after a
longest time however active, and as soon as the password it was started with has changed.

The session is Flask's signed cookie, so the server keeps nothing to revoke: the times and a
fingerprint of the password hash travel in the cookie, signed, and every request checks them.
Requests to the API carry a bearer token instead and are not affected.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from app.models import User
from app.models.base import utcnow

LOGIN_AT = "_login_at"
SEEN_AT = "_seen_at"
HASH_MARK = "_pw"
# Last-seen is written back at most this often, so that most responses leave the cookie alone
# (two tabs writing it at once could otherwise drop each other's flash messages).
TOUCH_EVERY = 60


def begin(user: User) -> None:
    """Signs the user in with a session that shares nothing with the one before (fixation)."""
    session.clear()
    login_user(user)
    now = _now()
    session[LOGIN_AT] = now
    session[SEEN_AT] = now
    session[HASH_MARK] = fingerprint(user.password_hash)


def end() -> None:
    logout_user()
    session.clear()


def fingerprint(password_hash: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, password_hash.encode(), hashlib.sha256).hexdigest()[:32]


def expired(now: int, login_at: object, seen_at: object) -> str | None:
    """'absolute', 'idle' or None. A session without its times predates them: expired."""
    if not isinstance(login_at, int) or not isinstance(seen_at, int):
        return "absolute"
    config = current_app.config
    absolute = timedelta(hours=float(config["SESSION_ABSOLUTE_HOURS"])).total_seconds()
    idle = timedelta(minutes=float(config["SESSION_IDLE_MINUTES"])).total_seconds()
    if now - login_at >= absolute:
        return "absolute"
    if now - seen_at >= idle:
        return "idle"
    return None


def _messages() -> dict[str, str]:
    return {
        "idle": _("Du har loggats ut efter en tids inaktivitet. Logga in igen för att fortsätta."),
        "absolute": _(
            "Du har loggats ut eftersom du har varit inloggad länge. "
            "Logga in igen för att fortsätta."
        ),
        "password": _(
            "Du har loggats ut eftersom lösenordet har bytts. Logga in med det nya lösenordet."
        ),
    }


def _now() -> int:
    return int(utcnow().timestamp())


def _reason(now: int) -> str | None:
    reason = expired(now, session.get(LOGIN_AT), session.get(SEEN_AT))
    if reason is not None or not current_user.is_authenticated:
        return reason
    current = fingerprint(current_user.password_hash)
    if not hmac.compare_digest(str(session.get(HASH_MARK, "")), current):
        return "password"
    return None


def register(app: Flask) -> None:
    @app.before_request
    def _enforce_timeouts() -> Response | None:
        if request.blueprint == "api" or request.endpoint == "static":
            return None
        if "_user_id" not in session:
            return None
        now = _now()
        reason = _reason(now)
        if reason is None:
            if now - int(session[SEEN_AT]) >= TOUCH_EVERY:
                session[SEEN_AT] = now
            return None
        end()
        flash(_messages()[reason], "info")
        # Back to the page asked for, once signed in again; a form posted is not replayed.
        back = request.full_path.rstrip("?") if request.method == "GET" else None
        if request.blueprint == "auth":
            back = None
        return redirect(url_for("auth.login", next=back))
