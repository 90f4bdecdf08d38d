"""Engine and request-scoped session.

One session per app context; the request owns the transaction (see ``register_transaction``)
and operations only flush.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from flask import Flask, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

SessionFactory = sessionmaker(expire_on_commit=False)


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)
        _make_sqlite_transactional(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


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
        conn.exec_driver_sql("BEGIN")


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
        g.db_session = SessionFactory(bind=bind, **options)
    db_session: Session = g.db_session
    return db_session
