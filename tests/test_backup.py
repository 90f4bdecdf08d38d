"""flask backup create / restore: a populated database round-trips into another database and
back over a changed one, every table row by row (SQLite or PostgreSQL, as the run)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, select, text

from app import create_app, db
from app.cli.db import upgrade
from app.models import Base, Setting, Unit, User, set_setting
from tests.conftest import _config, _create_postgres_database, _drop_postgres_database
from tests.factories import _password_hash, action_for, case_of, deviation_report, make_world
from tests.retention.support import upload
from workflows.records import add_attachment, submit_report


def invoke(app: Flask, *args: str, code: int = 0, stdin: str | None = None) -> str:
    # Inside the app's own context: the CLI would otherwise reuse whichever app is current.
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args), input=stdin)
    assert result.exit_code == code, result.output
    return result.output


def engine_of(app: Flask) -> Engine:
    return app.extensions["lexflode_engine"]


def snapshot(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, and the schema version, in primary key order."""
    with engine_of(app).connect() as conn:
        rows = {
            table.name: [
                tuple(r) for r in conn.execute(table.select().order_by(*table.primary_key.columns))
            ]
            for table in Base.metadata.sorted_tables
        }
        rows["alembic_version"] = [
            tuple(r) for r in conn.execute(text("SELECT version_num FROM alembic_version"))
        ]
    return rows


@pytest.fixture
def populated(own_app: Flask, monkeypatch: pytest.MonkeyPatch) -> Flask:
    """The demo municipality, and cases walked far enough to leave history, deadlines, mails,
    an action, attachments and a stored investigation PDF."""
    monkeypatch.setattr("app.cli.users.hash_password", lambda _password: _password_hash())
    invoke(own_app, "demo", "seed")
    session = db.session()
    world = make_world(session)
    closed = case_of(session, world, "lex_sarah", "closed")
    add_attachment(
        session,
        case_of(session, world, "lex_maria", "under_investigation"),
        world.mas,
        upload("foto.pdf"),
        Path(own_app.config["UPLOAD_FOLDER"]),
    )
    action_for(session, world, case_of(session, world, "lex_sarah", "under_investigation"))
    case_of(session, world, "deviation", "converted")
    set_setting(session, "retention.deviation", 3)
    session.commit()
    assert closed.state == "closed"
    session.close()
    return own_app


@pytest.fixture
def other_app(tmp_path: Path) -> Iterator[Flask]:
    """A second fresh, migrated database of the same kind."""
    base = os.environ.get("LEXFLODE_TEST_DATABASE_URL", "")
    if base.startswith("postgresql"):
        url, name = _create_postgres_database(base)
    else:
        url, name = "sqlite:///" + str(tmp_path / "other.sqlite3"), ""
    app = create_app(_config(url, tmp_path / "other"))
    with app.app_context():
        upgrade()
    yield app
    engine_of(app).dispose()
    if name:
        _drop_postgres_database(base, name)


def test_a_backup_restores_into_another_database_table_by_table(populated, other_app, tmp_path):
    backup = tmp_path / "lexflode.backup"
    expected = snapshot(populated)
    tables = (
        "cases",
        "case_events",
        "stored_documents",
        "deadlines",
        "outbox_mails",
        "attachments",
    )
    assert all(expected[name] for name in tables)

    out = invoke(populated, "backup", "create", str(backup))

    assert f"Säkerhetskopian är skapad: {backup}" in out
    assert snapshot(other_app) != expected
    out = invoke(other_app, "backup", "restore", str(backup), "--yes")
    assert "Databasen är återläst" in out
    assert snapshot(other_app) == expected
    # The audit trail came along whole.
    assert "kedjan är hel" in invoke(other_app, "audit", "verify")


def test_a_restore_over_a_changed_database_brings_the_backup_back(populated, tmp_path):
    backup = tmp_path / "lexflode.backup"
    invoke(populated, "backup", "create", str(backup))
    expected = snapshot(populated)

    session = db.session()
    reporter = session.scalars(select(User).where(User.email == "reporter@test.se")).one()
    unit = session.scalars(select(Unit).where(Unit.name == "Solgården")).one()
    submit_report(session, reporter, deviation_report(unit), case_type="deviation")
    session.execute(text("DELETE FROM settings"))
    session.execute(text("UPDATE cases SET location = 'ändrad'"))
    session.commit()
    session.close()
    assert snapshot(populated) != expected

    invoke(populated, "backup", "restore", str(backup), "--yes")

    assert snapshot(populated) == expected
    # Sequences and the chain head came back too: the restored database takes new cases.
    session = db.session()
    reporter = session.scalars(select(User).where(User.email == "reporter@test.se")).one()
    unit = session.scalars(select(Unit).where(Unit.name == "Solgården")).one()
    case = submit_report(session, reporter, deviation_report(unit), case_type="deviation")
    session.commit()
    assert case.id > max(row[0] for row in expected["cases"])
    assert "kedjan är hel" in invoke(populated, "audit", "verify")


def test_a_backup_is_consistent_while_a_writer_is_busy(populated, tmp_path):
    """Online: a transaction still open during the backup is not in it, half or whole."""
    backup = tmp_path / "lexflode.backup"
    expected = snapshot(populated)
    writer = engine_of(populated).connect()
    busy = writer.begin()
    writer.execute(Setting.__table__.insert().values(key="escalation.score", value=12))
    try:
        invoke(populated, "backup", "create", str(backup))
    finally:
        busy.rollback()
        writer.close()
    invoke(populated, "backup", "restore", str(backup), "--yes")
    assert snapshot(populated) == expected


def test_a_restore_asks_first_and_refuses_another_schema_version(populated, tmp_path):
    backup = tmp_path / "lexflode.backup"
    invoke(populated, "backup", "create", str(backup))
    before = snapshot(populated)

    out = invoke(populated, "backup", "restore", str(backup), code=1, stdin="n\n")
    assert "ersätts helt av" in out
    assert snapshot(populated) == before

    with engine_of(populated).begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0123456789ab'"))
    old = tmp_path / "old.backup"
    invoke(populated, "backup", "create", str(old))
    with engine_of(populated).begin() as conn:
        conn.execute(
            text("UPDATE alembic_version SET version_num = :v"),
            {"v": before["alembic_version"][0][0]},
        )
    out = invoke(populated, "backup", "restore", str(old), "--yes", code=1)
    assert "databasversion 0123456789ab" in out
    assert snapshot(populated) == before


def test_create_refuses_to_overwrite(populated, tmp_path):
    existing = tmp_path / "lexflode.backup"
    existing.write_text("kvar")
    out = invoke(populated, "backup", "create", str(existing), code=1)
    assert "finns redan" in out
    assert existing.read_text() == "kvar"


def test_restore_refuses_a_file_that_is_no_backup(populated, tmp_path):
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a database at all" * 100)
    before = snapshot(populated)
    out = invoke(populated, "backup", "restore", str(junk), "--yes", code=1)
    assert "ingen" in out
    assert snapshot(populated) == before


def test_a_backup_is_readable_by_its_owner_only_from_the_first_byte(
    populated, tmp_path, monkeypatch
):
    """A backup holds every case: 0600 whatever the umask, and already while it is written
    (a chmod afterwards would leave it readable to others in the meantime)."""
    from app.cli import backup

    modes_while_written: list[int] = []

    def watched(writer):
        def write(*args, **kwargs):
            modes_while_written.append((tmp_path / "lexflode.backup.part").stat().st_mode & 0o777)
            return writer(*args, **kwargs)

        return write

    monkeypatch.setattr(backup, "_sqlite_create", watched(backup._sqlite_create))
    monkeypatch.setattr(backup, "_run", watched(backup._run))
    previous = os.umask(0o022)  # the usual umask: files 0644 unless asked otherwise
    try:
        invoke(populated, "backup", "create", str(tmp_path / "lexflode.backup"))
    finally:
        os.umask(previous)
    assert modes_while_written == [0o600]
    assert (tmp_path / "lexflode.backup").stat().st_mode & 0o777 == 0o600
    assert not (tmp_path / "lexflode.backup.part").exists()


def test_a_leftover_partial_backup_is_not_written_into(populated, tmp_path):
    """A .part left by a killed backup (perhaps world-readable) is replaced, not reused."""
    leftover = tmp_path / "lexflode.backup.part"
    leftover.write_bytes(b"old half backup" * 1000)
    leftover.chmod(0o644)
    invoke(populated, "backup", "create", str(tmp_path / "lexflode.backup"))
    created = tmp_path / "lexflode.backup"
    assert created.stat().st_mode & 0o777 == 0o600
    assert b"old half backup" not in created.read_bytes()
