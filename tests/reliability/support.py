"""Helpers for the reliability tests, which run on the ``own_app`` database where every request
commits for real: the test organisation committed there, API tokens, and row snapshots."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import Flask
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.models import ApiToken, Base, OutboxMail, Unit, User
from tests.factories import World, make_user, make_world

# Rows a request writes whether or not its change went through: who read which case (the
# access log records reads on refused requests too) and the head of that chain; the API's rate
# counters and its token's last use (app/api/auth.py, committed before the request's own work).
READ_TRACES = {"access_log", "rate_counters", "api_tokens"}

UNITS = {
    "admin_unit": "Förvaltningen",
    "elder_care": "Äldreomsorg",
    "solgarden": "Solgården",
    "disability": "Funktionsstöd",
    "linden": "Linden",
}
EMAILS = {
    "reporter": "reporter@test.se",
    "other_reporter": "other.reporter@test.se",
    "manager": "manager@test.se",
    "other_manager": "other.manager@test.se",
    "area_manager": "area.manager@test.se",
    "sas": "sas@test.se",
    "mas": "mas@test.se",
    "chair": "chair@test.se",
    "admin": "admin@test.se",
    "log_reviewer": "log@test.se",
}
SECOND_SAS = "sas2@test.se"


def engine_of(app: Flask) -> Engine:
    engine: Engine = app.extensions["lexflode_engine"]
    return engine


@contextmanager
def committing(app: Flask) -> Iterator[tuple[Session, World]]:
    """A session of its own on the app's database, with the organisation loaded; committed at
    the end of the block."""
    with Session(engine_of(app), expire_on_commit=False) as session:
        yield session, load_world(session)
        session.commit()


def load_world(session: Session) -> World:
    units = {k: session.scalars(select(Unit).where(Unit.name == v)).one() for k, v in UNITS.items()}
    users = {
        k: session.scalars(select(User).where(User.email == v)).one() for k, v in EMAILS.items()
    }
    return World(**units, **users)


@dataclass
class Org:
    """Ids and bearer tokens of the committed organisation, usable from any thread."""

    ids: dict[str, int]
    tokens: dict[str, str]

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


def commit_org(app: Flask) -> Org:
    with Session(engine_of(app), expire_on_commit=False) as session:
        world = make_world(session)
        people = {**world.users(), "sas2": make_user(session, SECOND_SAS, ["sas"])}
        tokens = {}
        for who, user in people.items():
            row, token = ApiToken.issue(user)
            session.add(row)
            tokens[who] = token
        session.commit()
        ids = {who: user.id for who, user in people.items()}
        ids.update({k: getattr(world, k).id for k in UNITS})
    return Org(ids, tokens)


def snapshot(app: Flask, *, skip: set[str] = READ_TRACES) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (but ``skip``), in primary-key order."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    with engine_of(app).connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name in skip:
                continue
            query = select(table).order_by(*table.primary_key.columns)
            rows[table.name] = [tuple(r) for r in conn.execute(query)]
        heads = Base.metadata.tables["audit_chain_heads"]
        rows["audit_chain_heads"] = [
            tuple(r) for r in conn.execute(select(heads).where(heads.c.chain.not_in(skip)))
        ]
    return rows


def changed_tables(before: dict[str, list[Any]], after: dict[str, list[Any]]) -> set[str]:
    return {name for name in before if before[name] != after[name]}


def counts(snap: dict[str, list[Any]]) -> dict[str, int]:
    return {name: len(rows) for name, rows in snap.items()}


def outbox(app: Flask) -> dict[int, OutboxMail]:
    with Session(engine_of(app), expire_on_commit=False) as session:
        return {m.id: m for m in session.scalars(select(OutboxMail))}
