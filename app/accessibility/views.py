"""/tillganglighet: readable by anyone, signed in or not — the law requires the statement to be
reachable by those who cannot use the service too."""

from __future__ import annotations

from datetime import date

from flask import render_template

from app.authz import public

from . import bp

# When the statement was written and the service last tested (DIGG: the statement says both).
# Update it with each new review of the service's accessibility.
STATEMENT_DATE = date(2026, 11, 22)
TESTED_DATE = date(2026, 11, 22)


@bp.get("/tillganglighet")
@public
def statement() -> str:
    return render_template(
        "accessibility/statement.html", statement_date=STATEMENT_DATE, tested_date=TESTED_DATE
    )
