"""The admin's list of complaint themes (DOMAIN.md §3.4): added and switched on or off, never
deleted, since investigated complaints point to them — as deviation categories."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from app import db
from app.audit.admin_trail import record
from app.models import ComplaintTheme, User
from app.templating import apply_errors
from forms.complaint import ComplaintThemeForm
from workflows.engine import validate_form
from workflows.errors import InvalidData, WorkflowError

from . import bp
from .operations import Data, require_admin


def themes(session: Session) -> list[ComplaintTheme]:
    return list(
        session.scalars(
            select(ComplaintTheme).order_by(ComplaintTheme.sort_order, ComplaintTheme.name)
        )
    )


def add_theme(session: Session, actor: User, data: Data) -> ComplaintTheme:
    require_admin(actor)
    form = validate_form(ComplaintThemeForm, data)
    name = form.name.data.strip()
    # Compared in Python: SQLite's lower() leaves Å, Ä and Ö alone.
    if name.casefold() in {t.name.casefold() for t in themes(session)}:
        raise InvalidData(
            _("Uppgifterna är inte kompletta eller felaktiga."),
            {"name": [_("Det finns redan ett tema med det namnet.")]},
        )
    last = session.scalar(select(func.max(ComplaintTheme.sort_order))) or 0
    theme = ComplaintTheme(name=name, active=True, sort_order=last + 1)
    session.add(theme)
    session.flush()
    record(session, "complaint_theme", "complaint_theme", theme.id, name, {}, {"name": name})
    return theme


def set_theme_active(session: Session, actor: User, theme: ComplaintTheme, active: bool) -> None:
    require_admin(actor)
    if theme.active != active:
        record(
            session,
            "complaint_theme",
            "complaint_theme",
            theme.id,
            theme.name,
            {"active": theme.active},
            {"active": active},
        )
        theme.active = active
    session.flush()


def _me() -> User:
    user: User = current_user._get_current_object()
    return user


@bp.route("/klagomalsteman", methods=["GET", "POST"])
def complaint_themes() -> str | tuple[str, int] | Response:
    session = db.session()
    if request.method == "GET":
        form = ComplaintThemeForm(formdata=None, meta={"csrf": False})
        return render_template("admin/complaint_themes.html", form=form, themes=themes(session))
    form = ComplaintThemeForm(formdata=request.form, meta={"csrf": False})
    try:
        theme = add_theme(session, _me(), request.form)
    except WorkflowError as error:
        if error.status == 403:
            abort(403)
        leftover = apply_errors(form, error.field_errors)
        return render_template(
            "admin/complaint_themes.html",
            form=form,
            themes=themes(session),
            error=error,
            leftover=leftover,
        ), error.status
    session.commit()
    flash(_("Temat %(name)s är tillagt.", name=theme.name), "success")
    return redirect(url_for("admin.complaint_themes"))


@bp.post("/klagomalsteman/<int:theme_id>/aktiv")
def complaint_theme_active(theme_id: int) -> Response:
    session = db.session()
    theme = session.get(ComplaintTheme, theme_id)
    if theme is None:
        abort(404)
    set_theme_active(session, _me(), theme, request.form.get("active") == "1")
    session.commit()
    return redirect(url_for("admin.complaint_themes"))
