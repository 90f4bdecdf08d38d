"""flask users create|list|token."""

from __future__ import annotations

import json
from typing import Any

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from app import db
from app.auth.passwords import hash_password
from app.models import ROLES, ApiToken, Unit, User

users_cli = AppGroup("users", help="Users, roles and API tokens.")


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


@users_cli.command("token")
@click.argument("email")
def token_command(email: str) -> None:
    """Print a new API token for EMAIL (only its hash is kept)."""
    session = db.session()
    user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"no user with e-mail {email}")
    token_row, token = ApiToken.issue(user)
    session.add(token_row)
    session.commit()
    click.echo(token)
