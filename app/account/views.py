"""Thin views over app/account/operations.py."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, refresh
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app import db
from app.templating import apply_errors
from forms.account import LANGUAGE_NAMES, LanguageForm
from workflows.errors import WorkflowError

from . import bp, operations


def _page(form: LanguageForm, error: WorkflowError | None = None) -> str:
    languages = [(code, LANGUAGE_NAMES[code]) for code in current_app.config["LANGUAGES"]]
    return render_template("account/page.html", form=form, error=error, languages=languages)


@bp.route("/konto", methods=["GET", "POST"])
def page() -> str | Response | tuple[str, int]:
    if request.method == "GET":
        return _page(LanguageForm(meta={"csrf": False}, data={"locale": str(get_locale())}))
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
