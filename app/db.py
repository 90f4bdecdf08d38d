"""Engine and request-scoped session.

One session per app context; the request owns the transaction (see ``register_transaction``)
and operations only flush.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from flask import Flask, g, has_request_context, request
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from app.models.base import READS_ONCE

SessionFactory = sessionmaker(expire_on_commit=False)

# An execution option: this connection's transactions may write (a request that is not a GET).
WRITING = "lexflode_writing"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# PostgreSQL's answers to a transaction that lost a race: serialization failure, deadlock, lock
# not available.
CONFLICT_SQLSTATES = frozenset({"40001", "40P01", "55P03"})


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)
        _make_sqlite_transactional(engine)
        return engine
    # JIT compilation pays off for long analytical queries; ours are short, and compiling the
    # plan took most of the time of an inbox or a counted list at 100,000 cases (issue 8).
    return create_engine(url, pool_pre_ping=True, connect_args={"options": "-c jit=off"}, **kwargs)


def _make_sqlite_transactional(engine: Engine) -> None:
    # pysqlite opens transactions lazily and breaks SAVEPOINT; let SQLAlchemy emit BEGIN itself
    # (the recipe from SQLAlchemy's SQLite dialect documentation).
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A deferred transaction that read before another one committed can never write
        # ("database is locked" at once, whatever the timeout); one that may write takes the
        # write lock at its start instead and waits its turn.
        immediate = conn.get_execution_options().get(WRITING)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def is_write_conflict(error: BaseException) -> bool:
    """The database refused a write because another transaction was writing the same rows at
    the same time (SQLite allows one writer: the other gets "database is locked"). Once the
    transaction or savepoint is rolled back, re-reading and trying again is the answer."""
    if not isinstance(error, DBAPIError):
        return False
    orig = error.orig
    if getattr(orig, "sqlstate", None) in CONFLICT_SQLSTATES:
        return True
    return isinstance(orig, sqlite3.OperationalError) and (
        getattr(orig, "sqlite_errorname", "").startswith("SQLITE_BUSY")
        or "database is locked" in str(orig)
    )


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["lexflode_engine"] = engine

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


def get_engine() -> Engine:
    from flask import current_app

    engine: Engine = current_app.extensions["lexflode_engine"]
    return engine


def session() -> Session:
    """The session of the current app context, created on first use."""
    if "db_session" not in g:
        from flask import current_app

        # Tests bind every session to one outer connection and roll it back afterwards.
        bind = current_app.extensions.get("lexflode_test_bind") or get_engine()
        options = {"join_transaction_mode": "create_savepoint"} if bind is not get_engine() else {}
        # Outside a request (the scheduler, CLI commands) a session is there to write.
        writing = not has_request_context() or request.method not in SAFE_METHODS
        if not options and writing:
            bind = bind.execution_options(**{WRITING: True})
        info: dict[str, Any] = {} if writing else {READS_ONCE: {}}
        g.db_session = SessionFactory(bind=bind, info=info, **options)
    db_session: Session = g.db_session
    return db_session
