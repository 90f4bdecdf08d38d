"""Fixed-window rate limits, counted in the database so that every worker shares the count.

A counter is one row per thing counted (app/models/security.py RateCounter). Each request sends
one upsert for all its counters: the row's count goes up by one within the current window, or
starts again at one in a new one, and the statement hands the counts back. A fixed window lets
a burst of twice the limit through across a window's edge; for limits meant to stop floods and
guessing, not to meter, that is the price of one indexed statement per request.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import Connection, case
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.db import WRITING, get_engine
from app.models.security import RateCounter


@dataclass(frozen=True)
class Limit:
    key: str
    # At most this many within one window; 0 or less: not limited, not counted.
    limit: int
    window_seconds: int


@dataclass(frozen=True)
class Exceeded:
    limit: Limit
    retry_after: int


def window_of(limit: Limit, now: datetime) -> int:
    return int(now.timestamp() // limit.window_seconds)


def retry_after(limit: Limit, now: datetime) -> int:
    """Whole seconds until the current window ends (at least one)."""
    end = (window_of(limit, now) + 1) * limit.window_seconds
    return max(1, math.ceil(end - now.timestamp()))


def hit(db: Connection | Session, limits: Sequence[Limit], now: datetime) -> Exceeded | None:
    """Counts this request against each limit; the first one now exceeded, if any (the one that
    frees latest when several are)."""
    counted = [limit for limit in limits if limit.limit > 0]
    if not counted:
        return None
    windows = {limit.key: window_of(limit, now) for limit in counted}
    dialect = db.get_bind().dialect.name if isinstance(db, Session) else db.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    upsert = insert(RateCounter).values(
        [{"key": key, "window": window, "count": 1} for key, window in windows.items()]
    )
    statement = upsert.on_conflict_do_update(
        index_elements=[RateCounter.key],
        set_={
            # Both right-hand sides read the row as it was (SQL's UPDATE semantics).
            "count": case(
                (RateCounter.window == upsert.excluded.window, RateCounter.count + 1), else_=1
            ),
            "window": upsert.excluded.window,
        },
    ).returning(RateCounter.key, RateCounter.count)
    # Unpacked, not row.count: a Row is a tuple, whose count() method that name would reach.
    counts: dict[str, int] = {key: count for key, count in db.execute(statement)}
    exceeded = [
        Exceeded(limit, retry_after(limit, now))
        for limit in counted
        if counts.get(limit.key, 0) > limit.limit
    ]
    return max(exceeded, key=lambda e: e.retry_after, default=None)


@contextmanager
def own_transaction() -> Iterator[Connection]:
    """A short transaction of its own, committed before the request's own work begins: a
    counter row must not stay locked (PostgreSQL) for as long as a request runs, nor a counter
    be undone by a request that fails. Under the test suite, a savepoint of the test's
    connection, as app.db.session() does."""
    test_bind = current_app.extensions.get("lexflode_test_bind")
    if test_bind is not None:
        with test_bind.begin_nested():
            yield test_bind
        return
    with get_engine().execution_options(**{WRITING: True}).begin() as connection:
        if connection.dialect.name == "postgresql":
            # A count lost in a crash costs nothing; waiting for the WAL to reach the disk
            # cost 2 ms of every API request.
            connection.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
        yield connection
