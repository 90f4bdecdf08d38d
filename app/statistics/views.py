"""/statistik: the page, its CSV and its PDF, for the SAS, the MAS and the committee chair."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, abort, render_template, request
from flask_login import current_user, login_required

from app import db

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
