"""Thin views over app/admin/operations.py: a refused form is shown again as typed, with its
errors and the operation's status code."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app import db
from app.models import Category, User
from app.templating import apply_errors
from forms.admin import CategoryForm, DeadlineRuleForm, SettingsForm
from workflows.errors import WorkflowError

from . import bp, operations
from . import policy as policy_admin
from .versions import stamped

Page = str | tuple[str, int] | Response


def _me() -> User:
    user: User = current_user._get_current_object()
    return user


def _shown(form_class: Any, **kwargs: Any) -> Any:
    # The page's own csrf() macro writes the token; the form object only carries the fields.
    return form_class(meta={"csrf": False}, **kwargs)


def _refused(template: str, form: Any, error: WorkflowError, **context: Any) -> tuple[str, int]:
    if error.status == 403:
        abort(403)
    leftover = apply_errors(form, error.field_errors)
    return render_template(
        template, form=form, error=error, leftover=leftover, **context
    ), error.status


@bp.get("")
def index() -> str:
    session = db.session()
    return render_template(
        "admin/index.html",
        settings=operations.current_settings(session),
        categories=operations.categories(session),
    )


@bp.get("/kategorier")
def categories() -> str:
    return render_template("admin/categories.html", categories=operations.categories(db.session()))


@bp.route("/kategorier/ny", methods=["GET", "POST"])
def new_category() -> Page:
    if request.method == "GET":
        return render_template("admin/category.html", form=_shown(CategoryForm), category=None)
    try:
        category = operations.add_category(db.session(), _me(), request.form)
    except WorkflowError as error:
        return _refused(
            "admin/category.html", _shown(CategoryForm, formdata=request.form), error, category=None
        )
    flash(_("Kategorin %(name)s är tillagd.", name=category.name), "success")
    return redirect(url_for("admin.categories"))


@bp.route("/kategorier/<int:category_id>", methods=["GET", "POST"])
def edit_category(category_id: int) -> Page:
    category = _category(category_id)
    if request.method == "GET":
        form = _shown(
            CategoryForm, formdata=None, data=stamped(operations.category_values(category))
        )
        return render_template("admin/category.html", form=form, category=category)
    try:
        operations.update_category(db.session(), _me(), category, request.form)
    except WorkflowError as error:
        return _refused(
            "admin/category.html",
            _shown(CategoryForm, formdata=request.form),
            error,
            category=category,
        )
    flash(_("Kategorin %(name)s är sparad.", name=category.name), "success")
    return redirect(url_for("admin.categories"))


@bp.post("/kategorier/<int:category_id>/aktiv")
def category_active(category_id: int) -> Response:
    category = _category(category_id)
    active = request.form.get("active") == "1"
    operations.set_category_active(db.session(), _me(), category, active)
    message = (
        _("Kategorin %(name)s är aktiverad.", name=category.name)
        if active
        else _("Kategorin %(name)s är inaktiverad.", name=category.name)
    )
    flash(message, "success")
    return redirect(url_for("admin.categories"))


def _category(category_id: int) -> Category:
    category = db.session().get(Category, category_id)
    if category is None:
        abort(404)
    return category


@bp.route("/installningar", methods=["GET", "POST"])
def settings() -> Page:
    session = db.session()
    if request.method == "GET":
        form = _shown(
            SettingsForm, formdata=None, data=stamped(operations.current_settings(session))
        )
        return render_template(
            "admin/settings.html", form=form, current=operations.current_settings(session)
        )
    try:
        changed = operations.save_settings(session, _me(), request.form)
    except WorkflowError as error:
        return _refused(
            "admin/settings.html",
            _shown(SettingsForm, formdata=request.form),
            error,
            current=operations.current_settings(session),
        )
    flash(
        _("Inställningarna är sparade.") if changed else _("Inga inställningar ändrades."),
        "success",
    )
    return redirect(url_for("admin.settings"))


@bp.get("/tidsfrister")
def deadline_rules() -> str:
    session = db.session()
    return render_template(
        "admin/deadline_rules.html",
        policy=policy_admin.current(session),
        versions=policy_admin.history(session),
        P=policy_admin,
    )


@bp.get("/tidsfrister/version/<int:version>")
def deadline_version(version: int) -> str:
    found = policy_admin.rules_of(db.session(), version)
    if found is None:
        abort(404)
    return render_template(
        "admin/deadline_version.html",
        policy=found,
        current=policy_admin.current(db.session()),
        P=policy_admin,
    )


@bp.route("/tidsfrister/<case_type>/<key>", methods=["GET", "POST"])
def edit_deadline_rule(case_type: str, key: str) -> Page:
    session = db.session()
    rule = policy_admin.find_rule(session, case_type, key)
    if rule is None:
        abort(404)
    context = {"rule": rule, "policy": rule.policy, "P": policy_admin}
    if request.method == "GET":
        form = _shown(DeadlineRuleForm, formdata=None, data=stamped(policy_admin.rule_values(rule)))
        return render_template("admin/deadline_rule.html", form=form, **context)
    try:
        new = policy_admin.edit_rule(session, _me(), rule, request.form)
    except WorkflowError as error:
        return _refused(
            "admin/deadline_rule.html",
            _shown(DeadlineRuleForm, formdata=request.form),
            error,
            **context,
        )
    if new is None:
        flash(_("Inget ändrades, så ingen ny version skapades."), "success")
    else:
        flash(
            _(
                "Tidsfristreglerna är sparade som version %(version)d. Pågående tidsfrister följer "
                "fortfarande den version de startade under.",
                version=new.version,
            ),
            "success",
        )
    return redirect(url_for("admin.deadline_rules"))
