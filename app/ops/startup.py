"""Production mode (ENV_NAME = "production", LEXFLODE_ENV_NAME=production): the app refuses to
start while it is configured like a developer's machine, naming every problem at once.

Configuration is checked whenever the app is created. The database (demo users, schema at the
migrations' head) is checked where the app serves — under a WSGI server, `flask run` and
`flask scheduler run` — and not for the other commands: `flask db upgrade` is how an old
schema gets to the head, and must run in production mode.
"""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import func, select

from app import config as defaults

ENVIRONMENTS = ("development", "production")
LOCAL_SIGN_IN = ("on", "break_glass")


class ProductionConfigError(RuntimeError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        listed = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"Lexflöde refuses to start in production mode:\n{listed}")


def is_production(app: Flask) -> bool:
    return app.config["ENV_NAME"] == "production"


def apply_defaults(app: Flask) -> None:
    if app.config["ENV_NAME"] not in ENVIRONMENTS:
        # A typo ("prod") would otherwise run a production machine with development defaults.
        raise ProductionConfigError(
            [f"ENV_NAME is {app.config['ENV_NAME']!r}, not one of {', '.join(ENVIRONMENTS)}"]
        )
    if app.config["LOCAL_SIGN_IN"] not in LOCAL_SIGN_IN:
        # A typo ("break-glass") would otherwise leave the password open to everyone.
        raise ProductionConfigError(
            [
                f"LOCAL_SIGN_IN is {app.config['LOCAL_SIGN_IN']!r}, "
                f"not one of {', '.join(LOCAL_SIGN_IN)}"
            ]
        )
    if not app.config["LOG_FORMAT"]:
        app.config["LOG_FORMAT"] = "json" if is_production(app) else "console"


def serving() -> bool:
    """True unless a CLI command other than `flask run` is loading the app."""
    ctx = click.get_current_context(silent=True)
    return ctx is None or ctx.info_name == "run"


def config_problems(app: Flask) -> list[str]:
    config = app.config
    problems = []
    if config["BASE_URL"].rstrip("/") == defaults.BASE_URL:
        problems.append(f"BASE_URL is the default {defaults.BASE_URL}: mails would link there")
    if config["MAIL_FROM"] == defaults.MAIL_FROM:
        problems.append(f"MAIL_FROM is the default {defaults.MAIL_FROM}")
    if not config["SESSION_COOKIE_SECURE"]:
        problems.append("SESSION_COOKIE_SECURE is off: the session cookie would travel unencrypted")
    if not config["TOTP_REQUIRED"]:
        problems.append(
            "TOTP_REQUIRED is off: local accounts that read case content would sign in with a "
            "password alone (DOMAIN.md §2, HSLF-FS 2016:40)"
        )
    return problems


def database_problems(app: Flask) -> list[str]:
    from app.cli.demo import demo_user
    from app.models import User

    from .health import schema_state

    engine = app.extensions["lexflode_engine"]
    try:
        with engine.connect() as conn:
            schema = schema_state(conn)
            if not schema.ok:
                return [f"the database schema is {schema.state}: run `flask db upgrade`"]
            demo = conn.scalar(select(func.count()).select_from(User).where(demo_user()))
    finally:
        # Forked workers (gunicorn's preload_app) must not inherit these connections.
        engine.dispose()
    if demo:
        return [f"{demo} demo users exist (flask demo seed): remove them or use a new database"]
    return []


def check(app: Flask, *, database: bool) -> None:
    if not is_production(app):
        return
    problems = config_problems(app)
    if database:
        problems += database_problems(app)
    if problems:
        raise ProductionConfigError(problems)
