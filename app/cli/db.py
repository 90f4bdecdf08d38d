"""flask db upgrade|revision|check: Alembic driven by the app's own configuration."""

from __future__ import annotations

from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import Connection

from app.db import get_engine

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"

db_cli = AppGroup("db", help="Database schema (Alembic migrations).")


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", current_app.config["DATABASE_URL"])
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(connection: Connection | None = None) -> None:
    if connection is not None:
        command.upgrade(alembic_config(connection), "head")
        return
    with get_engine().begin() as conn:
        command.upgrade(alembic_config(conn), "head")


@db_cli.command("upgrade")
def upgrade_command() -> None:
    """Bring the database schema up to date."""
    upgrade()
    click.echo("Databasen är uppdaterad.")


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
def revision_command(message: str) -> None:
    """Generate a migration from the models (developers)."""
    with get_engine().begin() as conn:
        command.revision(alembic_config(conn), message=message, autogenerate=True)


@db_cli.command("check")
def check_command() -> None:
    """Fail if the models and the migrations disagree."""
    with get_engine().begin() as conn:
        command.check(alembic_config(conn))
    click.echo("Modellerna och migreringarna stämmer överens.")
