"""The administrator's page for counts from the years before go-live (DOMAIN.md §8 rev. 2): what
is imported, and the upload that adds or replaces counts."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import ngettext

from app import db
from app.statistics.history_import import import_upload, imported
from forms.history_import import HistoryImportForm
from workflows.errors import WorkflowError

from . import bp
from .views import Page, _me, _refused, _shown


@bp.route("/tidigare-ar", methods=["GET", "POST"])
def history_import() -> Page:
    session = db.session()
    if request.method == "GET":
        return render_template(
            "admin/history_import.html", form=_shown(HistoryImportForm), rows=imported(session)
        )
    try:
        rows = import_upload(session, _me(), request.files.get("file"))
    except WorkflowError as error:
        return _refused(
            "admin/history_import.html",
            _shown(HistoryImportForm),
            error,
            rows=imported(session),
        )
    flash(ngettext("%(num)d rad importerad.", "%(num)d rader importerade.", len(rows)), "success")
    return redirect(url_for("admin.history_import"))
