"""The statistics PDF in the background (app/models/statistics_pdf.py).

bench/statistics_pdf.py shows where a PDF's seconds go: not the queries (a few hundredths of
the whole) but WeasyPrint's layout and drawing of some fifteen tables and their SVG charts, each
bar's year and value a text of its own. No change to the template gets that under a second, so
the request only asks (``request_pdf``: the figures are counted, which is quick, and hashed), a
thread renders (``render``), and a page follows it. Unchanged figures find the PDF already made.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from datetime import timedelta

from flask import Flask, current_app
from flask_babel import force_locale, get_locale
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import StatisticsPdf, User, utcnow

from .export import to_json, to_pdf
from .periods import Period
from .queries import Statistics, compute

log = logging.getLogger(__name__)
# How long the thread waits for the request that asked to commit the row it renders.
WAIT_FOR_ROW = 10.0
STALE_AFTER = timedelta(minutes=10)


def scope_key(units: set[int] | None) -> str:
    """Whose figures a row holds: "all", or the manager's units as sorted ids."""
    return "all" if units is None else ",".join(str(u) for u in sorted(units))


def scope_units(scope: str) -> set[int] | None:
    return None if scope == "all" else {int(u) for u in scope.split(",") if u}


def figures_hash(stats: Statistics) -> str:
    data = json.dumps(to_json(stats), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(data.encode()).hexdigest()


def request_pdf(session: Session, user: User, stats: Statistics) -> tuple[StatisticsPdf, bool]:
    """The row for these figures in the reader's language, made if there is none (or the last
    attempt failed); True if it still has to be rendered."""
    locale = str(get_locale() or "sv")
    digest = figures_hash(stats)
    period = stats.period or Period("year", stats.year)
    scope = scope_key(stats.units)
    query = select(StatisticsPdf).where(
        StatisticsPdf.year == period.year,
        StatisticsPdf.period == period.kind,
        StatisticsPdf.number == period.number,
        StatisticsPdf.scope == scope,
        StatisticsPdf.figures_hash == digest,
        StatisticsPdf.locale == locale,
    )
    row = session.scalar(query)
    # A row left queued or running this long lost its thread (a restarted server): again.
    stale = (
        row is not None
        and row.status in ("queued", "running")
        and (row.requested_at < utcnow() - STALE_AFTER)
    )
    if row is not None and row.status != "failed" and not stale:
        return row, False
    if row is not None:
        row.status, row.error, row.requested_by_id = "queued", "", user.id
        row.requested_at = utcnow()
        session.flush()
        return row, True
    row = StatisticsPdf(
        year=period.year,
        period=period.kind,
        number=period.number,
        scope=scope,
        figures_hash=digest,
        locale=locale,
        requested_by_id=user.id,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        # Someone asked for the same figures at the same moment: theirs is the one.
        found = session.scalar(query)
        if found is None:
            raise
        return found, False
    return row, True


def claim(session: Session, job_id: int) -> bool:
    """Moves the row from queued to running; False if another worker has it (or it is done)."""
    claimed = session.execute(
        update(StatisticsPdf)
        .where(StatisticsPdf.id == job_id, StatisticsPdf.status == "queued")
        .values(status="running", started_at=utcnow())
    )
    session.commit()
    return bool(getattr(claimed, "rowcount", 0))


def render(session: Session, job_id: int) -> bool:
    """Renders a queued row's PDF from the figures as they are now; safe to run twice (only the
    one that claims the row renders). True if this call rendered it."""
    if not claim(session, job_id):
        return False
    row = session.get(StatisticsPdf, job_id)
    if row is None:  # pragma: no cover - the row was claimed a moment ago
        return False
    try:
        with force_locale(row.locale):
            stats = compute(
                session, Period(row.period, row.year, row.number), units=scope_units(row.scope)
            )
            content = to_pdf(stats)
    except Exception as error:  # the page says it failed and offers to try again
        session.rollback()
        log.exception("statistics PDF %s failed", job_id)
        row = session.get(StatisticsPdf, job_id)
        if row is not None:
            row.status, row.error, row.finished_at = "failed", str(error)[:500], utcnow()
            session.commit()
        return False
    row.content, row.status, row.finished_at = content, "done", utcnow()
    session.commit()
    return True


def start(job_id: int) -> None:
    """Renders in a thread of its own. STATISTICS_PDF_RUNNER may say "inline" (at once, in the
    request) or "none" (left queued, for whoever calls ``render``); under test it defaults to
    "none", since the tests' sessions share one connection that a thread must not use."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    runner = app.config.get("STATISTICS_PDF_RUNNER") or ("none" if app.testing else "thread")
    if runner == "inline":
        from app import db

        render(db.session(), job_id)
    elif runner == "thread":
        threading.Thread(target=_run, args=(app, job_id), daemon=True).start()


def _run(app: Flask, job_id: int) -> None:
    from app import db

    # The request that asked commits after it answers: wait for its row.
    deadline = time.monotonic() + WAIT_FOR_ROW
    with app.test_request_context("/statistik.pdf"):
        session = db.session()
        try:
            while session.get(StatisticsPdf, job_id) is None and time.monotonic() < deadline:
                session.rollback()
                time.sleep(0.1)
            render(session, job_id)
        finally:
            session.close()
