"""The statistics as CSV for Swedish Excel and as a PDF, from the same tables as the page."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import render_template
from flask_babel import gettext as _

from .charts import chart_caption, chart_parts
from .queries import Statistics, Table


def cell(value: Any) -> str:
    """Swedish decimals; an empty cell where there is nothing to measure."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


def to_csv(stats: Statistics) -> bytes:
    """One section per table: its title, a header row, the rows, then a blank line. Semicolons
    and a byte order mark are what Excel with Swedish settings opens without asking."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("Lexflöde – statistik %(year)s", year=stats.year)])
    writer.writerow([])
    for table in stats.tables:
        writer.writerow([table.title])
        writer.writerow(["", *table.columns])
        for row in table.rows:
            writer.writerow([row.label, *(cell(v) for v in row.values)])
        writer.writerow([])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_json(stats: Statistics) -> dict[str, Any]:
    return {
        "year": stats.year,
        "years": stats.years,
        "tables": [table_json(t) for t in stats.tables],
    }


def table_json(table: Table) -> dict[str, Any]:
    return {
        "key": table.key,
        "title": table.title,
        "kind": table.kind,
        "masked": table.masked,
        "note": table.note or None,
        "columns": table.columns,
        "rows": [{"label": r.label, "values": r.values} for r in table.rows],
    }


def _refuse(url: str) -> dict[str, Any]:
    """The PDF holds only what the template holds: nothing is fetched, local or remote."""
    raise ValueError(f"refused to fetch {url!r}")


def to_pdf(stats: Statistics) -> bytes:
    import weasyprint

    html = render_template(
        "statistics/pdf.html", stats=stats, charts=chart_parts, caption=chart_caption, cell=cell
    )
    from app.documents.renderer import PDF_VARIANT

    return weasyprint.HTML(string=html, url_fetcher=_refuse).write_pdf(pdf_variant=PDF_VARIANT)
