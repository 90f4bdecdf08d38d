"""The Alembic migrations build exactly the models' schema, CHECK constraints included."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from app.cli.db import alembic_config
from app.db import make_engine
from app.models import Base
from tests.factories import case_in, new_case


def schema_diff(connection) -> list:  # type: ignore[no-untyped-def]
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "compare_server_default": True}
    )
    return compare_metadata(context, Base.metadata)


def test_the_migrated_schema_is_the_models_schema(app):
    connection = app.extensions["lexflode_test_bind"]
    assert schema_diff(connection) == []
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert MigrationContext.configure(connection).get_current_revision() == head


def test_flask_db_check_agrees(app):
    result = app.test_cli_runner().invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output


@pytest.fixture
def empty_database_url(database_url, is_postgres, tmp_path: Path):
    """A database with nothing in it yet, of the same kind as the suite's."""
    if not is_postgres:
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    url = make_url(database_url)
    name = f"lexflode_mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_from_empty_and_downgrade_to_nothing(app, empty_database_url):
    engine = make_engine(empty_database_url)
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
        with engine.connect() as conn:
            assert schema_diff(conn) == []
        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


# Each statement breaks one CHECK constraint of a valid row: (name, state the case is in, SQL).
VIOLATIONS = [
    (
        "closed_without_time",
        "follow_up",
        "UPDATE cases SET state = 'closed', closed_at = NULL WHERE id = :case_id",
    ),
    (
        "time_without_closed",
        "follow_up",
        "UPDATE cases SET closed_at = CURRENT_TIMESTAMP WHERE id = :case_id",
    ),
    ("reopened_keeping_time", "closed", "UPDATE cases SET state = 'follow_up' WHERE id = :case_id"),
    (
        "unknown_case_type",
        "submitted",
        "UPDATE cases SET case_type = 'parking' WHERE id = :case_id",
    ),
    ("empty_description", "submitted", "UPDATE cases SET description = '' WHERE id = :case_id"),
    (
        "measures_missing",
        "awaiting_investigation",
        "UPDATE immediate_measures SET measures = '' WHERE case_id = :case_id",
    ),
    (
        "none_needed_without_reason",
        "awaiting_investigation",
        "UPDATE immediate_measures SET none_needed = TRUE, none_needed_reason = '' WHERE case_id = :case_id",
    ),
    (
        "severity_out_of_range",
        "under_investigation",
        "UPDATE investigations SET severity = 5 WHERE case_id = :case_id",
    ),
    (
        "likelihood_out_of_range",
        "under_investigation",
        "UPDATE investigations SET likelihood = 0 WHERE case_id = :case_id",
    ),
]


@pytest.mark.parametrize(("name", "state", "sql"), VIOLATIONS, ids=[v[0] for v in VIOLATIONS])
def test_check_constraints_guard_the_rows(session, world, name, state, sql):
    case = case_in(session, world, state)
    session.flush()
    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(text(sql), {"case_id": case.id})


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE actions SET status = 'forgotten' WHERE id = :action_id",
        "UPDATE actions SET status = 'completed', completed_on = NULL WHERE id = :action_id",
    ],
)
def test_check_constraints_guard_actions(session, world, sql):
    from tests.factories import action_for

    action = action_for(session, world, case_in(session, world, "under_investigation"))
    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(text(sql), {"action_id": action.id})


def test_references_are_unique(session, world):
    first, second = new_case(session, world), new_case(session, world)
    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(
            text("UPDATE cases SET seq = :seq WHERE id = :id"), {"seq": first.seq, "id": second.id}
        )
