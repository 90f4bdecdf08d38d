"""Records requests from the case page (DOMAIN.md §9 rev. 2): the SAS or MAS chooses the
documents and the names to mask, reviews the masked text, and releases it as a PDF. The
operation is workflows.records_release; these views only ask, show and hand out."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from app import db
from app.audit.access import record_read
from app.documents.download import pdf_response
from app.documents.release import RELEASE_LABELS, marked_terms, masked, preview_html, releasable
from app.models import Case, RecordsRelease
from forms.records_request import RecordsRequestForm
from workflows.engine import recordable
from workflows.errors import WorkflowError
from workflows.records_release import release_records
from workflows.registry import flow_for

from . import bp
from .views import _case, _expected_version, me


def may_release(case: Case) -> bool:
    step = flow_for(case.case_type).declared("release_records")
    return step is not None and recordable(db.session(), me(), case, step) is not None


def _releasing(case_id: int) -> Case:
    case = _case(case_id)
    if not may_release(case):
        abort(403)
    return case


def _form(case: Case, formdata: MultiDict[str, Any] | None = None) -> RecordsRequestForm:
    kinds = tuple((k, RELEASE_LABELS[k]) for k in releasable(db.session(), case))
    return RecordsRequestForm(formdata=formdata, case=case, kinds=kinds)


def _request_page(
    case: Case, form: RecordsRequestForm, message: str | None = None, status: int = 200
) -> tuple[str, int]:
    releases = db.session().scalars(
        select(RecordsRelease)
        .where(RecordsRelease.case_id == case.id)
        .order_by(RecordsRelease.released_at.desc(), RecordsRelease.id.desc())
    )
    return render_template(
        "cases/records_request.html",
        case=case,
        form=form,
        message=message,
        releases=list(releases),
        error_items=[(f.id, m) for f in form for m in f.errors],
        labels=RELEASE_LABELS,
    ), status


@bp.get("/arenden/<int:case_id>/allman-handling")
@login_required
def records_request(case_id: int) -> tuple[str, int]:
    case = _releasing(case_id)
    return _request_page(case, _form(case))


@bp.post("/arenden/<int:case_id>/allman-handling/granska")
@login_required
def records_preview(case_id: int) -> tuple[str, int]:
    case = _releasing(case_id)
    form = _form(case, request.form)
    if not form.validate():
        return _request_page(case, form, _("Uppgifterna är inte kompletta eller felaktiga."), 422)
    d = form.data
    context, counts = masked(
        case,
        d["documents"],
        marked_terms(d["redact_terms"] or ""),
        (d["requester_reference"] or "").strip(),
    )
    # The preview shows the case's content, masked: a read like any other.
    record_read(me(), case, "allmän handling, granskning")
    return render_template(
        "cases/records_preview.html",
        case=case,
        form=form,
        counts=counts,
        # Rendered from the document templates, which escape every value.
        preview=Markup(preview_html(context)),  # noqa: S704
    ), 200


@bp.post("/arenden/<int:case_id>/allman-handling")
@login_required
def records_release(case_id: int) -> Response | tuple[str, int]:
    case = _case(case_id)
    try:
        release = release_records(
            db.session(), case, me(), request.form, expected_version=_expected_version()
        )
    except WorkflowError as error:
        if error.status == 403:
            abort(403)
        form = _form(case, request.form)
        form.validate()
        for name, messages in error.field_errors.items():
            if name in form._fields:
                form._fields[name].errors = list(messages)
        return _request_page(case, form, error.message, error.status)
    flash(_("Handlingarna är utlämnade. Filen finns nedan."), "success")
    return redirect(url_for("cases.records_request", case_id=case.id, _anchor=f"ut-{release.id}"))


@bp.get("/arenden/<int:case_id>/allman-handling/<int:release_id>.pdf")
@login_required
def records_release_pdf(case_id: int, release_id: int) -> Response:
    case = _releasing(case_id)
    release = db.session().get(RecordsRelease, release_id)
    if release is None or release.case_id != case.id:
        abort(404)
    record_read(me(), case, release.filename)
    return pdf_response(release.filename, release.content)


@bp.app_context_processor
def _records_request() -> dict[str, Any]:
    """``records_request_url(case)`` for cases/_documents.html: the page, for those who may."""

    def records_request_url(case: Case) -> str | None:
        if not may_release(case):
            return None
        return url_for("cases.records_request", case_id=case.id)

    return {"records_request_url": records_request_url}
