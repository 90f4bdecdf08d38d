"""Thin views over app/account/operations.py."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, refresh
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app import db
from app.auth import second_factor
from app.models import User
from app.models.base import utcnow
from app.templating import apply_errors
from forms.account import LANGUAGE_NAMES, LanguageForm, TokenForm
from forms.second_factor import SignInCodeForm
from workflows.errors import WorkflowError

from . import bp, operations


def second_factor_facts(user: User, form: SignInCodeForm | None = None) -> dict[str, Any]:
    dbs = db.session()
    enrolled = second_factor.enrolled(dbs, user)
    return {
        "second_factor_on": enrolled,
        "second_factor_required": second_factor.required(user, current_app.config),
        "recovery_codes_left": second_factor.unused_recovery_codes(dbs, user) if enrolled else 0,
        "recovery_form": form or SignInCodeForm(meta={"csrf": False}),
    }


def _page(
    form: LanguageForm | None = None,
    error: WorkflowError | None = None,
    token_form: TokenForm | None = None,
    token_error: WorkflowError | None = None,
    new_token: str | None = None,
    recovery_form: SignInCodeForm | None = None,
) -> str:
    languages = [(code, LANGUAGE_NAMES[code]) for code in current_app.config["LANGUAGES"]]
    if form is None:
        form = LanguageForm(meta={"csrf": False}, data={"locale": str(get_locale())})
    context: dict[str, Any] = {
        "form": form,
        "error": error,
        "languages": languages,
        "token_form": token_form or TokenForm(meta={"csrf": False}),
        "token_error": token_error,
        "new_token": new_token,
        "tokens": operations.own_tokens(db.session(), current_user, utcnow()),
        "token_days": int(float(current_app.config["API_TOKEN_DAYS"])),
        **second_factor_facts(current_user._get_current_object(), recovery_form),
    }
    return render_template("account/page.html", **context)


@bp.route("/konto", methods=["GET", "POST"])
def page() -> str | Response | tuple[str, int]:
    if request.method == "GET":
        return _page()
    try:
        operations.set_locale(
            db.session(), current_user._get_current_object(), request.form.get("locale")
        )
    except WorkflowError as error:
        if error.status == 403:
            abort(403)
        form = LanguageForm(meta={"csrf": False}, formdata=request.form)
        apply_errors(form, error.field_errors)
        return _page(form, error), error.status
    # This request chose its language before the change; the confirmation is in the new one.
    refresh()
    flash(_("Språket är sparat."), "success")
    return redirect(url_for("account.page"))


@bp.route("/konto/token", methods=["POST"])
def create_token() -> str | tuple[str, int]:
    try:
        token = operations.create_token(
            db.session(), current_user._get_current_object(), request.form.get("name"), utcnow()
        )
    except WorkflowError as error:
        if error.status == 403:
            abort(403)
        form = TokenForm(meta={"csrf": False}, formdata=request.form)
        apply_errors(form, error.field_errors)
        return _page(token_form=form, token_error=error), error.status
    # Shown in this answer and never again: not by a redirect, whose flash message would carry
    # the token in the session cookie.
    return _page(new_token=token)


@bp.route("/konto/token/<int:token_id>/aterkalla", methods=["POST"])
def revoke_token(token_id: int) -> Response:
    row = operations.revoke_token(db.session(), current_user._get_current_object(), token_id)
    if row is None:
        abort(404)
    flash(_("Token %(name)s är återkallad och fungerar inte längre.", name=row.name), "success")
    return redirect(url_for("account.page"))
