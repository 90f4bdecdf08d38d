"""flask scim token rotate|show: the directory's SCIM token (app/scim/)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app import db
from app.models import current_scim_token, rotate_scim_token

scim_cli = AppGroup("scim", help="SCIM provisioning from the municipality's directory.")


@scim_cli.group("token")
def token_group() -> None:
    """The bearer token the directory's SCIM client sends."""


@token_group.command("rotate")
def rotate_command() -> None:
    """Print a new SCIM token; the one before stops working at once."""
    session = db.session()
    _row, token = rotate_scim_token(session, None)
    session.commit()
    # The token alone, for a script to capture; it is never shown again.
    click.echo(token)


@token_group.command("show")
def show_command() -> None:
    """When the current token was made (never the token itself)."""
    row = current_scim_token(db.session())
    if row is None:
        click.echo("No SCIM token: `flask scim token rotate` makes one.")
        return
    by = row.created_by.email if row.created_by else "flask scim token rotate"
    click.echo(f"Created {row.created_at.isoformat(timespec='seconds')} by {by}")
