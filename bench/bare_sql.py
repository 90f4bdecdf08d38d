"""The SQL a page or the sweep needs, run bare: the statements the real code issues, captured
in-process with a ``before_cursor_execute`` listener, then executed again, with the same
parameters, on a plain psycopg connection. The ratio of the real thing to that is what the
application adds on top of its database work.

The sweep itself is measured here too (it is not an HTTP request): the real ``sweep()`` in a
session that is rolled back afterwards, as bench/sweep.py does, so that every run starts from
the same rows.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import Any

import psycopg
from flask import Flask
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Statement:
    sql: str
    params: Any
    many: bool


def make_app(database_url: str) -> Flask:
    """The app as gunicorn builds it (same environment variables), in this process."""
    os.environ["LEXFLODE_DATABASE_URL"] = database_url
    os.environ["LEXFLODE_SCHEDULER_EMBEDDED"] = "false"
    from app import create_app

    app = create_app()
    # The test client talks plain http; a Secure session cookie would not come back.
    app.config["SESSION_COOKIE_SECURE"] = False
    return app


def engine_of(app: Flask) -> Engine:
    engine: Engine = app.extensions["lexflode_engine"]
    return engine


def psycopg_url(url: str) -> str:
    return re.sub(r"^postgresql\+\w+://", "postgresql://", url)


@dataclass
class Capture:
    """Statements issued on ``engine`` while active, those for which ``keep()`` holds."""

    engine: Engine
    keep: Callable[[], bool] = lambda: True
    kept: list[Statement] = field(default_factory=list)
    others: int = 0

    def __enter__(self) -> Capture:
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *_exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)

    def _seen(
        self, _conn: Any, _cursor: Any, sql: str, params: Any, _context: Any, many: bool
    ) -> None:
        if self.keep():
            self.kept.append(Statement(sql, params, many))
        else:
            self.others += 1


# --- statistics --------------------------------------------------------------------------------

STATISTICS_DIR = str(ROOT / "app" / "statistics") + os.sep
# Who may see the figures and how the page is drawn, not the figures themselves.
NOT_FIGURES = ("views.py", "access.py")


def in_statistics_queries() -> bool:
    """Whether the statement being issued comes from the statistics' own queries (anything in
    app/statistics/ but the view and the access check), not from loading the session's user,
    the login or the access log."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        name = frame.f_code.co_filename
        if name.startswith(STATISTICS_DIR) and not name.endswith(NOT_FIGURES):
            return True
        frame = frame.f_back
    return False


def statistics_statements(app: Flask, email: str, password: str, year: int) -> Capture:
    """Renders /statistik once through the test client, signed in through the login form,
    and keeps the statements of the figures."""
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = CSRF.search(page)
    if token is None:
        raise RuntimeError("no CSRF token on the login page (in-process)")
    done = client.post(
        "/login", data={"csrf_token": token.group(1), "email": email, "password": password}
    )
    if done.status_code != 302:
        raise RuntimeError(f"in-process login as {email} answered {done.status_code}")
    with Capture(engine_of(app), in_statistics_queries) as capture:
        response = client.get(f"/statistik?year={year}")
    if response.status_code != 200:
        raise RuntimeError(f"in-process /statistik answered {response.status_code}")
    if not capture.kept:
        raise RuntimeError("no statement of app/statistics/ was seen while rendering /statistik")
    return capture


# --- replaying ---------------------------------------------------------------------------------


def replay(conn: psycopg.Connection[Any], statements: list[Statement]) -> float:
    """Milliseconds to run the statements and fetch every row, in one transaction that is
    rolled back afterwards (outside the time)."""
    started = time.perf_counter()
    with conn.cursor() as cur:
        for s in statements:
            # SQLAlchemy's "insertmanyvalues" reports an executemany but sends one INSERT of
            # many rows with one dict of parameters.
            if s.many and isinstance(s.params, list | tuple):
                cur.executemany(s.sql, s.params)
            else:
                cur.execute(s.sql, s.params)
                if cur.description is not None:
                    cur.fetchall()
    elapsed = (time.perf_counter() - started) * 1000
    conn.rollback()
    return elapsed


def time_replay(
    database_url: str, statements: list[Statement], runs: int, clients: int = 1
) -> list[float]:
    """``runs`` replays spread over ``clients`` connections at once, as many as the page had
    clients, so that the bare SQL meets the same contention for the two cores. Each connection
    runs them once untimed first: it is new, and psycopg prepares a statement the fifth time it
    sees it, as it does on the app's pooled connections."""
    timings: list[float] = []
    failures: list[BaseException] = []
    left = [runs]
    lock = threading.Lock()

    def work() -> None:
        try:
            with psycopg.connect(psycopg_url(database_url), connect_timeout=10) as conn:
                replay(conn, statements)
                while True:
                    with lock:
                        if left[0] <= 0 or failures:
                            return
                        left[0] -= 1
                    elapsed = replay(conn, statements)
                    with lock:
                        timings.append(elapsed)
        except (psycopg.Error, OSError) as error:
            with lock:
                failures.append(error)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(max(clients, 1))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return timings


# --- the sweep ---------------------------------------------------------------------------------


@dataclass
class SweepRun:
    now: datetime
    due: int
    ms: list[float]
    statements: list[Statement]
    acts: int
    notified: int


def due_moment(engine: Engine, due: int) -> tuple[datetime | None, int]:
    """A moment at which ``due`` open deadlines (or all, if fewer are open) have their next
    action due: the next_action_at of the due-th earliest one. And how many are due then."""
    from app.models import Deadline
    from app.models.deadlines import OPEN_STATUSES

    open_ = Deadline.status.in_(OPEN_STATUSES), Deadline.next_action_at.is_not(None)
    with Session(engine) as session:
        now = session.scalar(
            select(Deadline.next_action_at)
            .where(*open_)
            .order_by(Deadline.next_action_at, Deadline.id)
            .offset(max(due, 1) - 1)
            .limit(1)
        ) or session.scalar(select(func.max(Deadline.next_action_at)).where(*open_))
        if now is None:
            return None, 0
        count = session.scalar(
            select(func.count()).select_from(Deadline).where(*open_, Deadline.next_action_at <= now)
        )
        return now, count or 0


def measure_sweep(app: Flask, now: datetime, due: int, repeats: int) -> SweepRun:
    """The real sweep, ``repeats`` times plus a first run that captures its statements (and
    warms the process up, as the scheduler's first run would); each rolled back."""
    from workflows.sweep import sweep

    engine = engine_of(app)

    def once(capture: Capture | None) -> tuple[float, Any]:
        with app.app_context(), Session(engine) as session:
            session.begin()
            if capture is not None:
                capture.__enter__()
            try:
                started = time.perf_counter()
                report = sweep(session, now)
                session.flush()
                elapsed = (time.perf_counter() - started) * 1000
            finally:
                if capture is not None:
                    capture.__exit__()
                session.rollback()
        return elapsed, report

    capture = Capture(engine)
    _ms, report = once(capture)
    timings = [once(None)[0] for _ in range(repeats)]
    return SweepRun(now, due, timings, capture.kept, len(report.acts), report.notified)


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None
