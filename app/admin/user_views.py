"""Thin views over app/admin/users.py: the list, a new user, one user's page."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app import db
from app.models import User
from app.models.base import utcnow
from app.models.org import ROLES
from forms.admin_org import ROLE_EXPLANATIONS, UserForm
from workflows.errors import WorkflowError

from . import bp
from . import users as ops
from .versions import stamped
from .views import Page, _me, _refused, _shown


@bp.get("/anvandare")
def users() -> str:
    wanted = ops.Filter(
        text=request.args.get("sok", "")[:200], role=request.args.get("roll", "")[:20]
    )
    return render_template(
        "admin/users.html",
        users=ops.find_users(db.session(), wanted),
        wanted=wanted,
        roles=ROLES,
    )


@bp.route("/anvandare/ny", methods=["GET", "POST"])
def new_user() -> Page:
    session = db.session()
    choices = ops.unit_choices(session)
    if request.method == "GET":
        return _page(_shown(UserForm, unit_choices=choices), None)
    try:
        user = ops.create_user(session, _me(), request.form, utcnow())
    except WorkflowError as error:
        form = _shown(UserForm, formdata=request.form, unit_choices=choices)
        return _refused("admin/user.html", form, error, **_context(None))
    flash(
        _(
            "%(name)s är tillagd. Ett mejl med en länk för att välja lösenord har skickats till "
            "%(email)s.",
            name=user.name,
            email=user.email,
        ),
        "success",
    )
    return redirect(url_for("admin.users"))


@bp.route("/anvandare/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int) -> Page:
    session = db.session()
    user = _user(user_id)
    choices = ops.unit_choices(session, user)
    if request.method == "GET":
        form = _shown(
            UserForm, formdata=None, data=stamped(ops.user_values(user)), unit_choices=choices
        )
        return _page(form, user)
    try:
        changed = ops.update_user(session, _me(), user, request.form)
    except WorkflowError as error:
        form = _shown(UserForm, formdata=request.form, unit_choices=choices)
        return _refused("admin/user.html", form, error, **_context(user))
    flash(_("%(name)s är sparad.", name=user.name) if changed else _("Inget ändrades."), "success")
    return redirect(url_for("admin.users"))


@bp.post("/anvandare/<int:user_id>/aktiv")
def user_active(user_id: int) -> Page:
    session = db.session()
    user = _user(user_id)
    active = request.form.get("active") == "1"
    try:
        ops.set_user_active(session, _me(), user, active)
    except WorkflowError as error:
        choices = ops.unit_choices(session, user)
        form = _shown(
            UserForm, formdata=None, data=stamped(ops.user_values(user)), unit_choices=choices
        )
        return _refused("admin/user.html", form, error, **_context(user))
    flash(
        _("%(name)s är aktiverad och kan logga in.", name=user.name)
        if active
        else _("%(name)s är inaktiverad och kan inte längre logga in.", name=user.name),
        "success",
    )
    return redirect(url_for("admin.edit_user", user_id=user.id))


def _page(form: Any, user: User | None) -> str:
    return render_template("admin/user.html", form=form, **_context(user))


def _context(user: User | None) -> dict[str, Any]:
    return {"user": user, "explanations": ROLE_EXPLANATIONS, "me": _me()}


def _user(user_id: int) -> User:
    user = db.session().get(User, user_id)
    if user is None:
        abort(404)
    return user
