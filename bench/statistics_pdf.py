"""Benchmark: where the statistics PDF's time goes, part by part, in one run.

    .venv/bin/python bench/statistics_pdf.py                       # a fresh SQLite demo
    .venv/bin/python bench/statistics_pdf.py --database-url URL    # an existing database

Without --database-url a SQLite file is made in a temporary folder, migrated, seeded and given
three years of the `small` demo profile (what `make run` shows); the chosen year is the newest.
Each part is timed ``--repeat`` times and its median printed in seconds and as a share of the
whole PDF, all within this run, so the figures compare on a loaded machine too:

  compute      the statistics' queries (app.statistics.queries.compute)
  html         the template with its tables and charts
  html_plain   the template without the charts
  parse        WeasyPrint reading the HTML (HTML(string=…))
  layout       WeasyPrint's layout (.render())
  write        writing the laid-out document as PDF bytes
  pdf          to_pdf as the route calls it (html + parse + layout + write)
  pdf_nochart  the same without the charts
  pdf_fixed    the same with the tables laid out at fixed widths (table-layout: fixed)
  pdf_fullfont the same, its fonts embedded whole instead of subset
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def demo_database(folder: Path) -> str:
    url = f"sqlite:///{folder / 'bench.sqlite'}"
    env = {"LEXFLODE_DATABASE_URL": url, "FLASK_APP": "app", "PATH": "/usr/bin:/bin"}
    flask = str(Path(sys.executable).parent / "flask")
    for args in (
        ["db", "upgrade"],
        ["demo", "seed"],
        ["demo", "generate", "--profile", "small", "--seed", "1"],
    ):
        subprocess.run([flask, *args], check=True, env=env, cwd=ROOT, capture_output=True)  # noqa: S603
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--year", type=int, default=datetime.now(UTC).year)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or demo_database(Path(tmp))
        run(url, args.year, args.repeat)


def run(url: str, year: int, repeat: int) -> None:
    import weasyprint
    from flask import render_template

    from app import create_app, db
    from app.statistics import export
    from app.statistics.charts import chart_caption, chart_parts
    from app.statistics.queries import compute

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "SCHEDULER_EMBEDDED": False})
    with app.test_request_context("/statistik.pdf"):
        session = db.session()

        def html(charts: bool) -> str:
            return render_template(
                "statistics/pdf.html",
                stats=stats,
                charts=chart_parts if charts else (lambda table: []),
                caption=chart_caption,
                cell=export.cell,
            )

        def pdf(charts: bool, css: str = "", **options: Any) -> bytes:
            document = weasyprint.HTML(string=html(charts), url_fetcher=export._refuse)
            sheets = [weasyprint.CSS(string=css)] if css else None
            return document.write_pdf(stylesheets=sheets, **options)

        t: dict[str, float] = {}
        t["compute"], stats = timed(lambda: compute(session, year), repeat)
        t["html"], page = timed(lambda: html(True), repeat)
        t["html_plain"], _ = timed(lambda: html(False), repeat)
        t["parse"], parsed = timed(
            lambda: weasyprint.HTML(string=page, url_fetcher=export._refuse), repeat
        )
        t["layout"], laid_out = timed(parsed.render, repeat)
        t["write"], _ = timed(laid_out.write_pdf, repeat)
        t["pdf"], data = timed(lambda: export.to_pdf(stats), repeat)
        t["pdf_nochart"], _ = timed(lambda: pdf(False), repeat)
        fixed = "table { table-layout: fixed }"
        t["pdf_fixed"], _ = timed(lambda: pdf(True, fixed), repeat)
        t["pdf_fullfont"], _ = timed(lambda: pdf(True, full_fonts=True), repeat)

    rows = sum(len(table.rows) for table in stats.tables)
    print(
        f"year {year}: {len(stats.tables)} tables, {rows} rows, {len(page)} characters of "
        f"HTML, {len(laid_out.pages)} pages, {len(data)} bytes of PDF; median of {repeat}"
    )
    whole = t["pdf"]
    for name, seconds in t.items():
        print(f"  {name:<12} {seconds:8.3f} s   {seconds / whole:6.2f} × pdf")


if __name__ == "__main__":
    main()
