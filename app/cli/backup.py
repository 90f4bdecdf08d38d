"""flask backup create PATH | flask backup restore PATH: the whole database, one file.

SQLite: sqlite3's online backup API, consistent while the application keeps running; a restore
copies the backup back over the live database through the same API, so open connections see
either the old database or the restored one, never a half-written file. PostgreSQL: pg_dump's
custom format, and pg_restore in one transaction (a failed restore changes nothing).

A restore refuses a backup from another schema version than the code's migrations (``--force``
overrides) and asks before it replaces anything (``--yes`` skips the question). Attachments are
files in the upload folder, not in the database: back that folder up alongside (README).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
from alembic.script import ScriptDirectory
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.engine import URL, make_url

from app.db import get_engine

from .db import alembic_config

backup_cli = AppGroup("backup", help="Säkerhetskopiering och återläsning av databasen.")

# A restore waits at most this long for a running application to let go of a table.
PG_LOCK_TIMEOUT = "30s"
# Owner read and write only (the umask can only take more away).
BACKUP_MODE = 0o600


def _url() -> URL:
    return make_url(current_app.config["DATABASE_URL"])


def _code_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


@backup_cli.command("create")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def create_command(path: Path) -> None:
    """Write a backup of the database to PATH (which must not exist)."""
    if path.exists():
        raise click.ClickException(f"{path} finns redan; välj ett nytt filnamn.")
    url = _url()
    partial = path.with_name(path.name + ".part")
    _create_private(partial)
    try:
        if url.get_backend_name() == "sqlite":
            _sqlite_create(_sqlite_file(url), partial)
            revision = _sqlite_revision(partial)
        elif url.get_backend_name() == "postgresql":
            _run(_tool("pg_dump"), "--format=custom", f"--file={partial}", url=url)
            revision = _dump_revision(partial)
        else:
            raise click.ClickException(f"Databastypen {url.get_backend_name()} stöds inte.")
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    click.echo(f"Säkerhetskopian är skapad: {path} (databasversion {revision or 'okänd'}).")


def _create_private(path: Path) -> None:
    """An empty file only its owner may read, made before anything is written into it.

    A backup is every case in the municipality, so it is never readable by others, not even for
    the moment between writing and a chmod. sqlite3 and pg_dump both write into an existing file
    and keep its mode (SQLite gives its journal the same mode), and the final rename keeps it too.
    """
    # A leftover from a backup that was killed: never write into its old content.
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, BACKUP_MODE)
    os.close(descriptor)


@backup_cli.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Fråga inte innan databasen ersätts.")
@click.option("--force", is_flag=True, help="Läs tillbaka även från en annan databasversion.")
def restore_command(path: Path, yes: bool, force: bool) -> None:
    """Replace the whole database with the backup in PATH."""
    url = _url()
    backend = url.get_backend_name()
    if backend == "sqlite":
        revision = _sqlite_revision(path, check=True)
    elif backend == "postgresql":
        revision = _dump_revision(path)
    else:
        raise click.ClickException(f"Databastypen {backend} stöds inte.")
    expected = _code_revision()
    if revision != expected and not force:
        raise click.ClickException(
            f"Säkerhetskopian har databasversion {revision or 'okänd'}, programmet "
            f"{expected}. Uppgradera eller använd programversionen som skapade kopian "
            "(eller --force)."
        )
    if not yes:
        click.confirm(
            f"Databasen {url.render_as_string(hide_password=True)} ersätts helt av {path}. "
            "Allt som ändrats sedan säkerhetskopian togs går förlorat. Fortsätt?",
            abort=True,
        )
    # Our own pooled connections would otherwise hold the old database open (or locked).
    get_engine().dispose()
    if backend == "sqlite":
        _sqlite_restore(path, _sqlite_file(url, must_exist=False))
    else:
        _run(
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            str(path),
            url=url,
        )
    click.echo(f"Databasen är återläst från {path} (databasversion {revision or 'okänd'}).")


# --- SQLite ------------------------------------------------------------------------------------


def _sqlite_file(url: URL, *, must_exist: bool = True) -> Path:
    if not url.database or url.database == ":memory:":
        raise click.ClickException("En databas i minnet kan inte säkerhetskopieras.")
    path = Path(url.database)
    # A restore may recreate a lost database file; a backup needs one to read.
    if not (path.exists() if must_exist else path.parent.is_dir()):
        raise click.ClickException(f"Databasfilen {path} finns inte.")
    return path


def _sqlite_create(database: Path, target: Path) -> None:
    source = sqlite3.connect(database, timeout=30)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
            # One self-contained file, whatever journal mode the live database uses.
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
    finally:
        source.close()


def _sqlite_restore(backup: Path, database: Path) -> None:
    source = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
    try:
        live = sqlite3.connect(database, timeout=30)
        try:
            # The backup API waits for other connections' locks and keeps the live database's
            # journal mode (WAL).
            source.backup(live)
        finally:
            live.close()
    finally:
        source.close()


def _sqlite_revision(path: Path, *, check: bool = False) -> str | None:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise click.ClickException(f"{path} går inte att öppna: {exc}") from exc
    try:
        if check and conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise click.ClickException(f"{path} är skadad (integrity_check).")
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise click.ClickException(f"{path} är ingen säkerhetskopia av Lexflöde: {exc}") from exc
    finally:
        conn.close()
    return str(row[0]) if row else None


# --- PostgreSQL --------------------------------------------------------------------------------


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise click.ClickException(
            f"{name} finns inte. Installera PostgreSQL-klienten (postgresql-client), "
            "av samma huvudversion som servern eller nyare."
        )
    return found


def _run(tool: str, *args: str, url: URL) -> str:
    """Runs pg_dump/pg_restore against the configured database; the password goes through the
    environment, never the command line (which other users can read)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} -c lock_timeout={PG_LOCK_TIMEOUT}".strip()
    target = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    done = subprocess.run(  # noqa: S603  (fixed tools, no shell)
        [tool, f"--dbname={target}", *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise click.ClickException(f"{Path(tool).name} misslyckades:\n{done.stderr.strip()}")
    return done.stdout


def _dump_revision(path: Path) -> str | None:
    """The alembic revision inside a custom-format dump, read without restoring it."""
    tool = _tool("pg_restore")
    done = subprocess.run(  # noqa: S603
        [tool, "--data-only", "--table=alembic_version", "--file=-", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise click.ClickException(f"{path} är ingen pg_dump-fil: {done.stderr.strip()}")
    lines = done.stdout.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line and index + 1 < len(lines):
            value = lines[index + 1].strip()
            return None if value == "\\." else value
    return None
