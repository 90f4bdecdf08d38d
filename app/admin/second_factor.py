"""The administrator resets a user's second factor (a lost or replaced phone): the factor and
its recovery codes go, the user's sessions end, and the next sign-in with the password sets up a
new one. Logged on "lexflode.admin" like every other change to a user (app/admin/users.py)."""

from __future__ import annotations

import logging

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from app import db
from app.auth import second_factor
from app.auth.loaders import end_sessions
from app.models import User
from workflows.errors import WorkflowError, WrongState

from . import bp
from .operations import require_admin
from .views import _me

log = logging.getLogger("lexflode.admin")


def reset_second_factor(session: Session, actor: User, user: User) -> bool:
    """True if the user had one."""
    require_admin(actor)
    if user.id == actor.id:
        # Taking away one's own factor is lowering one's own guard: another administrator does.
        raise WrongState(
            _(
                "Du kan inte nollställa din egen tvåstegsverifiering. "
                "Be en annan systemförvaltare göra det."
            )
        )
    removed = second_factor.reset(session, user)
    if removed:
        end_sessions(user)
        session.flush()
        log.info(
            "admin %s (id %s) reset the second factor of user %s (id %s)",
            actor.email,
            actor.id,
            user.email,
            user.id,
        )
    return removed


@bp.app_template_global()
def second_factor_on(user: User) -> bool:
    return second_factor.enrolled(db.session(), user)


@bp.post("/anvandare/<int:user_id>/tvastegsverifiering")
def reset_user_second_factor(user_id: int) -> Response:
    user = db.session().get(User, user_id)
    if user is None:
        abort(404)
    try:
        removed = reset_second_factor(db.session(), _me(), user)
    except WorkflowError as error:
        if error.status == 403:
            abort(403)
        flash(error.message, "error")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    flash(
        _(
            "Tvåstegsverifieringen för %(name)s är nollställd. Vid nästa inloggning ställer "
            "%(name)s in den igen.",
            name=user.name,
        )
        if removed
        else _("%(name)s har ingen tvåstegsverifiering att nollställa.", name=user.name),
        "success" if removed else "info",
    )
    return redirect(url_for("admin.edit_user", user_id=user.id))
