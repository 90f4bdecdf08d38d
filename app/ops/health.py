"""Liveness and readiness. Ready: the database answers, its schema is at the migrations' head,
and the scheduler beat recently (so deadlines are swept and mails go out). No check says more
than its name and a short state: the answers are for a load balancer, not for a visitor."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.models import SchedulerHeartbeat

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    state: str


@cache
def script_heads() -> frozenset[str]:
    """The migrations' head revision(s); the scripts do not change while the process runs."""
    from app.cli.db import MIGRATIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return frozenset(ScriptDirectory.from_config(cfg).get_heads())


def schema_state(connection: Connection | Session) -> Check:
    """Whether the database's alembic_version is the head (also used at start-up)."""
    try:
        current = frozenset(connection.scalars(text("SELECT version_num FROM alembic_version")))
    except SQLAlchemyError:
        return Check("schema", False, "not migrated")
    heads = script_heads()
    if current == heads:
        return Check("schema", True, "ok")
    return Check(
        "schema",
        False,
        f"not at head (database: {','.join(sorted(current)) or 'none'}, "
        f"head: {','.join(sorted(heads))})",
    )


def heartbeat_limit(config: Any) -> timedelta:
    minutes = float(config["READINESS_HEARTBEAT_MINUTES"] or 0)
    if minutes <= 0:
        minutes = 3 * float(config["SCHEDULER_INTERVAL_MINUTES"])
    return timedelta(minutes=minutes)


def heartbeat_state(session: Session, now: datetime, limit: timedelta) -> Check:
    newest = session.scalar(
        select(SchedulerHeartbeat.last_beat_at).order_by(SchedulerHeartbeat.last_beat_at.desc())
    )
    if newest is None:
        return Check("heartbeat", False, "no heartbeat")
    age = int((now - newest).total_seconds())
    if now - newest > limit:
        return Check("heartbeat", False, f"stale ({age} s, limit {int(limit.total_seconds())} s)")
    return Check("heartbeat", True, f"ok ({age} s)")


def readiness(session: Session, config: Any, now: datetime) -> list[Check]:
    try:
        session.execute(select(1))
    except SQLAlchemyError:
        log.warning("readiness: database unreachable", exc_info=True)
        session.rollback()
        return [Check("database", False, "unreachable")]
    limit = heartbeat_limit(config)
    return [
        Check("database", True, "ok"),
        _in_savepoint(session, lambda: schema_state(session), "schema"),
        _in_savepoint(session, lambda: heartbeat_state(session, now, limit), "heartbeat"),
    ]


def _in_savepoint(session: Session, check: Callable[[], Check], name: str) -> Check:
    # A missing table aborts a PostgreSQL transaction; the savepoint keeps the next check going.
    nested = session.begin_nested()
    try:
        return check()
    except SQLAlchemyError:
        return Check(name, False, "not readable")
    finally:
        nested.rollback()
