"""flask users create|list|token (create, list, revoke).

The CLI is the operator's way in when no administrator can sign in: it may grant roles, and the
administrative trail records that it did, as "CLI (<operating-system user>)".
"""

from __future__ import annotations

import getpass
import json
import os
from datetime import timedelta
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from app import db
from app.audit.admin_trail import acting
from app.auth.passwords import hash_password
from app.models import ROLES, ApiToken, Unit, User, utcnow
from app.models.tokens import DEFAULT_NAME

users_cli = AppGroup("users", help="Users, roles and API tokens.")


def cli_actor() -> str:
    """The trail's name for whoever ran the command."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        # No name for the uid (a container without a passwd entry): the uid is still a trace.
        who = f"uid {os.getuid()}"
    return f"CLI ({who})"


def create_user(
    email: str,
    name: str,
    roles: list[str],
    password: str,
    *,
    title: str = "",
    employer: str = "",
    unit_names: tuple[str, ...] = (),
) -> User:
    session = db.session()
    # Units first: a bad name must not leave a half-made user pending in the session.
    units = []
    for unit_name in unit_names:
        unit = session.scalar(select(Unit).where(Unit.name == unit_name))
        if unit is None:
            raise click.BadParameter(f"no unit named {unit_name!r}", param_hint="--unit")
        units.append(unit)
    user = User(
        email=email.strip().lower(),
        name=name,
        title=title,
        employer=employer,
        password_hash=hash_password(password),
    )
    user.set_roles(roles)
    user.managed_units.extend(units)
    session.add(user)
    session.flush()
    return user


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", "roles", multiple=True, type=click.Choice(ROLES), required=True)
@click.option("--title", default="")
@click.option("--employer", default="", help="For contractors' and temporary staff.")
@click.option("--unit", "units", multiple=True, help="A unit this user manages (by name).")
@click.password_option()
def create_command(
    email: str,
    name: str,
    roles: tuple[str, ...],
    title: str,
    employer: str,
    units: tuple[str, ...],
    password: str,
) -> None:
    """Create a user."""
    session = db.session()
    if session.scalar(select(User).where(func.lower(User.email) == email.strip().lower())):
        raise click.ClickException(f"a user with e-mail {email} already exists")
    with acting(cli_actor()):
        create_user(
            email, name, list(roles), password, title=title, employer=employer, unit_names=units
        )
        session.commit()
    click.echo(f"Skapade {email} ({', '.join(roles)})")


@users_cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_command(as_json: bool) -> None:
    """List users with their roles and units."""
    users = db.session().scalars(select(User).order_by(User.email)).all()
    rows: list[dict[str, Any]] = [
        {
            "email": u.email,
            "name": u.name,
            "roles": sorted(u.roles),
            "units": sorted(unit.name for unit in u.managed_units),
            "active": u.active,
        }
        for u in users
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        units = f"  [{', '.join(row['units'])}]" if row["units"] else ""
        click.echo(f"{row['email']:40} {row['name']:28} {','.join(row['roles'])}{units}")


class _TokenGroup(AppGroup):
    """`flask users token EMAIL …` makes a token as it always has; `token list` and
    `token revoke` are subcommands beside it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["create", *args]
        return super().parse_args(ctx, args)


@users_cli.group("token", cls=_TokenGroup)
def token_group() -> None:
    """API tokens: `token EMAIL [--name NAME] [--days N]`, `token list`, `token revoke ID`."""


@token_group.command("create")
@click.argument("email")
@click.option("--name", default=DEFAULT_NAME, show_default=True, help="Where it will be used.")
@click.option(
    "--days",
    type=click.IntRange(min=1),
    default=None,
    help="How long it works (default: API_TOKEN_DAYS, 90).",
)
def token_command(email: str, name: str, days: int | None) -> None:
    """Print a new API token for EMAIL (only its hash is kept)."""
    session = db.session()
    user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"no user with e-mail {email}")
    lifetime = timedelta(days=days or float(current_app.config["API_TOKEN_DAYS"]))
    token_row, token = ApiToken.issue(user, name=name.strip()[:100], lifetime=lifetime)
    session.add(token_row)
    session.commit()
    # The token alone, for a script to capture; `flask users token list` shows the rest.
    click.echo(token)


@token_group.command("list")
@click.argument("email", required=False)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def token_list_command(email: str | None, as_json: bool) -> None:
    """List API tokens (of EMAIL, or everyone's), revoked and expired ones marked."""
    query = select(ApiToken).join(User).order_by(User.email, ApiToken.id)
    if email:
        query = query.where(func.lower(User.email) == email.strip().lower())
    now = utcnow()
    rows: list[dict[str, Any]] = [
        {
            "id": t.id,
            "email": t.user.email,
            "name": t.name,
            "created_at": t.created_at.isoformat(timespec="seconds"),
            "expires_at": t.expires_at.isoformat(timespec="seconds"),
            "last_used_at": t.last_used_at.isoformat(timespec="seconds")
            if t.last_used_at
            else None,
            "status": "revoked" if t.revoked else "expired" if t.expires_at <= now else "active",
        }
        for t in db.session().scalars(query)
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        used = row["last_used_at"] or "never"
        click.echo(
            f"{row['id']:>5} {row['email']:32} {row['name']:24} {row['status']:8} "
            f"expires {row['expires_at']}  last used {used}"
        )


@token_group.command("revoke")
@click.argument("token_ids", metavar="ID...", nargs=-1, type=int, required=True)
def token_revoke_command(token_ids: tuple[int, ...]) -> None:
    """Revoke the API tokens with these ids (see `token list`)."""
    session = db.session()
    for token_id in token_ids:
        row = session.get(ApiToken, token_id)
        if row is None:
            raise click.ClickException(f"no API token with id {token_id}")
        row.revoked = True
    session.commit()
    click.echo(f"Återkallade {len(token_ids)} token(s).")
