"""/statistik: the page, its CSV and its PDF. The SAS, the MAS and the committee chair see the
whole municipality; a manager the same tables for their own units (access.py). The period and
the scope come from the query string (forms/statistics.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Response, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from app import db
from app.cases.queries import listable_types
from app.models import StatisticsPdf
from forms.statistics import PeriodForm

from . import bp
from .access import may_see, unit_scope
from .charts import bar_chart, chart_caption
from .export import cell, to_csv, to_pdf
from .periods import Period
from .queries import Statistics, compute, first_year

FIRST_YEAR = 2000


def year_choices() -> list[int]:
    this_year = datetime.now(UTC).year
    first = first_year(db.session()) or this_year
    return list(range(this_year + 1, min(first, this_year - 9) - 1, -1))


def period_form() -> PeriodForm:
    """The chooser as asked for; the year defaults to this one."""
    data = request.args.copy()
    data.setdefault("year", str(datetime.now(UTC).year))
    return PeriodForm(data, meta={"csrf": False}, years=year_choices())


def chosen_period(form: PeriodForm | None = None) -> Period:
    """The period asked for; this calendar year when what was asked is not a period (the form
    then says what was wrong)."""
    form = form or period_form()
    if not form.validate():
        return Period("year", datetime.now(UTC).year)
    kind = form.period.data
    return Period(kind, form.year.data, 1 if kind == "year" else form.number.data)


def chosen_year() -> int:
    return chosen_period().year


def statistics_for(user: Any, period: Period) -> Statistics:
    session = db.session()
    units = unit_scope(session, user)
    if units == set():
        abort(403)
    return compute(session, period, units=units)


def query_args(stats: Statistics) -> dict[str, Any]:
    period = stats.period or Period("year", stats.year)
    args: dict[str, Any] = {"year": period.year}
    if period.kind != "year":
        args |= {"period": period.kind, "number": period.number}
    return args


@bp.route("/statistik")
@login_required
def page() -> str:
    form = period_form()
    stats = statistics_for(current_user, chosen_period(form))
    session = db.session()
    return render_template(
        "statistics/page.html",
        stats=stats,
        form=form,
        chart=bar_chart,
        caption=chart_caption,
        cell=cell,
        args=query_args(stats),
        # The cases behind a pattern are linked only where this user's list may hold them;
        # what the list then shows is still only what the user may open.
        listable=set(listable_types(session, current_user)),
    )


@bp.route("/statistik.csv")
@login_required
def csv_file() -> Response:
    stats = statistics_for(current_user, chosen_period())
    return Response(
        to_csv(stats),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="statistik-{stats.year}.csv"',
            "Content-Type": "text/csv; charset=utf-8",
        },
    )


@bp.route("/statistik.pdf")
@login_required
def pdf_file() -> Response:
    stats = statistics_for(current_user, chosen_period())
    return Response(
        to_pdf(stats),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="statistik-{stats.year}.pdf"'},
    )


XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/statistik.xlsx")
@login_required
def xlsx_file() -> Response:
    from .xlsx import to_xlsx

    stats = statistics_for(current_user, chosen_period())
    return Response(
        to_xlsx(stats),
        mimetype=XLSX_MIMETYPE,
        headers={"Content-Disposition": f'attachment; filename="statistik-{stats.year}.xlsx"'},
    )


# The PDF in the background (app/statistics/pdf_jobs.py): asking makes or finds the row for the
# figures as they are, a page follows it, the finished file is downloaded from it. Each row is one
# scope's figures, opened only by readers of that scope.


@bp.route("/statistik/pdf")
@login_required
def pdf_job_request() -> WerkzeugResponse:
    from . import pdf_jobs

    stats = statistics_for(current_user, chosen_period())
    row, to_render = pdf_jobs.request_pdf(db.session(), current_user, stats)
    if to_render:
        pdf_jobs.start(row.id)
    return redirect(url_for("statistics.pdf_job", job_id=row.id))


def _job(job_id: int) -> StatisticsPdf:
    from . import pdf_jobs

    session = db.session()
    if not may_see(session, current_user):
        abort(403)
    row = session.get(StatisticsPdf, job_id)
    # A row holds the figures of one scope: a manager opens only their own units' PDF.
    if row is None or row.scope != pdf_jobs.scope_key(unit_scope(session, current_user)):
        abort(404)
    return row


@bp.route("/statistik/pdf/<int:job_id>")
@login_required
def pdf_job(job_id: int) -> str:
    return render_template("statistics/pdf_job.html", job=_job(job_id))


@bp.route("/statistik/pdf/<int:job_id>/statistik.pdf")
@login_required
def pdf_job_file(job_id: int) -> Response:
    row = _job(job_id)
    if row.status != "done" or row.content is None:
        abort(404)
    return Response(
        row.content,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="statistik-{row.year}.pdf"'},
    )
