"""/statistik: the page, its CSV and its PDF, for the SAS, the MAS and the committee chair."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from app import db
from app.models import StatisticsPdf

from . import bp
from .access import may_see
from .charts import bar_chart, chart_caption
from .export import cell, to_csv, to_pdf
from .queries import Statistics, compute

FIRST_YEAR = 2000


def chosen_year() -> int:
    this_year = datetime.now(UTC).year
    try:
        year = int(request.args.get("year", this_year))
    except ValueError:
        year = this_year
    return min(max(year, FIRST_YEAR), this_year + 1)


def _statistics() -> Statistics:
    if not may_see(current_user):
        abort(403)
    return compute(db.session(), chosen_year())


@bp.route("/statistik")
@login_required
def page() -> str:
    stats = _statistics()
    this_year = datetime.now(UTC).year
    return render_template(
        "statistics/page.html",
        stats=stats,
        chart=bar_chart,
        caption=chart_caption,
        cell=cell,
        year_choices=list(range(this_year, this_year - 10, -1)),
    )


@bp.route("/statistik.csv")
@login_required
def csv_file() -> Response:
    stats = _statistics()
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
    stats = _statistics()
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

    stats = _statistics()
    return Response(
        to_xlsx(stats),
        mimetype=XLSX_MIMETYPE,
        headers={"Content-Disposition": f'attachment; filename="statistik-{stats.year}.xlsx"'},
    )


# The PDF in the background (app/statistics/pdf_jobs.py): asking makes or finds the row for the
# figures as they are, a page follows it, the finished file is downloaded from it. Every row is
# the whole municipality's figures, which every reader of the statistics may see.


@bp.route("/statistik/pdf")
@login_required
def pdf_job_request() -> WerkzeugResponse:
    from . import pdf_jobs

    stats = _statistics()
    row, to_render = pdf_jobs.request_pdf(db.session(), current_user, stats)
    if to_render:
        pdf_jobs.start(row.id)
    return redirect(url_for("statistics.pdf_job", job_id=row.id))


def _job(job_id: int) -> StatisticsPdf:
    if not may_see(current_user):
        abort(403)
    row = db.session().get(StatisticsPdf, job_id)
    if row is None:
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
