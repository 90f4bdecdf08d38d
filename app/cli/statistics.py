"""flask statistics import-history FILE.csv: counts from the years before go-live."""

from __future__ import annotations

from typing import IO

import click
from flask.cli import AppGroup

from app import db
from app.audit.admin_trail import acting
from app.statistics.history_import import import_history
from workflows.errors import WorkflowError

from .users import cli_actor

statistics_cli = AppGroup("statistics", help="Statistik för kvalitetsberättelsen.")


@statistics_cli.command("import-history")
@click.argument("file", type=click.File("rb"))
def import_history_command(file: IO[bytes]) -> None:
    """Import counts per year, case type and unit for the years before go-live; all rows or
    none."""
    session = db.session()
    try:
        with acting(cli_actor()):
            rows = import_history(session, file.read())
    except WorkflowError as error:
        session.rollback()
        lines = [error.message, *error.field_errors.get("file", [])]
        raise click.ClickException("\n".join(lines)) from error
    session.commit()
    click.echo(f"{len(rows)} rader importerade.")
