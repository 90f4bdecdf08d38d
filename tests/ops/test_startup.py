"""Production mode (LEXFLODE_ENV_NAME=production): create_app refuses to start, naming each
problem, with the default BASE_URL or MAIL_FROM, with demo users or a schema behind the head;
`flask db upgrade` still runs there, and `flask scheduler run` checks the database too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from flask import Flask

from app import create_app, db
from app.cli.db import alembic_config
from app.ops.startup import ProductionConfigError
from tests.factories import make_user

OLD_REVISION = "8f92d059a282"
PRODUCTION = {
    "ENV_NAME": "production",
    "BASE_URL": "https://lexflode.exempelby.se",
    "MAIL_FROM": "lexflode@exempelby.se",
}


def production_app(own_app: Flask, tmp_path: Path, **overrides: object) -> Flask:
    config = {
        "TESTING": True,  # quiet logs; the checks do not depend on it
        "DATABASE_URL": own_app.config["DATABASE_URL"],
        "SECRET_KEY": "x",
        "UPLOAD_FOLDER": str(tmp_path),
        **PRODUCTION,
        **overrides,
    }
    app = create_app(config)
    app.extensions["lexflode_engine"].dispose()
    return app


def refusal(own_app: Flask, tmp_path: Path, **overrides: object) -> list[str]:
    with pytest.raises(ProductionConfigError) as refused:
        production_app(own_app, tmp_path, **overrides)
    assert "refuses to start in production mode" in str(refused.value)
    return refused.value.problems


def _commit_user(own_app: Flask, email: str) -> None:
    session = db.session()
    make_user(session, email, ["reporter"])
    session.commit()


def _downgrade(own_app: Flask) -> None:
    with db.get_engine().begin() as conn:
        command.downgrade(alembic_config(conn), OLD_REVISION)


def test_starts_when_all_is_right(own_app, tmp_path):
    _commit_user(own_app, "riktig.person@kommun.se")
    app = production_app(own_app, tmp_path)
    assert app.config["LOG_FORMAT"] == "json"
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_development_mode_checks_nothing(own_app, tmp_path):
    _commit_user(own_app, "medarbetare@exempelby.se")
    # Demo users and the default address are what development is: the app starts with both.
    app = production_app(
        own_app, tmp_path, ENV_NAME="development", BASE_URL="http://localhost:5000"
    )
    assert app.config["BASE_URL"] == "http://localhost:5000"
    assert app.config["LOG_FORMAT"] == "console"


def test_refuses_the_default_base_url(own_app, tmp_path):
    [problem] = refusal(own_app, tmp_path, BASE_URL="http://localhost:5000")
    assert "BASE_URL" in problem


def test_refuses_the_default_sender(own_app, tmp_path):
    [problem] = refusal(own_app, tmp_path, MAIL_FROM="lexflode@localhost")
    assert "MAIL_FROM" in problem


def test_refuses_demo_users(own_app, tmp_path):
    _commit_user(own_app, "riktig.person@kommun.se")
    _commit_user(own_app, "sas@exempelby.se")
    [problem] = refusal(own_app, tmp_path)
    assert "1 demo users" in problem


def test_refuses_an_insecure_session_cookie(own_app, tmp_path):
    [problem] = refusal(own_app, tmp_path, SESSION_COOKIE_SECURE=False)
    assert "SESSION_COOKIE_SECURE" in problem


def test_names_every_problem_at_once(own_app, tmp_path):
    _commit_user(own_app, "admin@exempelby.se")
    problems = refusal(
        own_app, tmp_path, BASE_URL="http://localhost:5000/", MAIL_FROM="lexflode@localhost"
    )
    assert [p.split()[0] for p in problems] == ["BASE_URL", "MAIL_FROM", "1"]


def test_refuses_an_unknown_environment_name(own_app, tmp_path):
    [problem] = refusal(own_app, tmp_path, ENV_NAME="prod")
    assert "'prod'" in problem


def test_refuses_a_schema_behind_the_head_but_flask_db_upgrade_runs(own_app, tmp_path):
    _downgrade(own_app)
    [problem] = refusal(own_app, tmp_path)
    assert "schema" in problem
    assert OLD_REVISION in problem
    # The operator's way out, in production mode, as a real process: the CLI loads the app
    # without the database checks and migrates.
    env = {
        **os.environ,
        "FLASK_APP": "app",
        "LEXFLODE_ENV_NAME": "production",
        "LEXFLODE_BASE_URL": PRODUCTION["BASE_URL"],
        "LEXFLODE_MAIL_FROM": PRODUCTION["MAIL_FROM"],
        "LEXFLODE_DATABASE_URL": own_app.config["DATABASE_URL"],
        "LEXFLODE_SECRET_KEY": "x",
        "LEXFLODE_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    flask = Path(sys.executable).with_name("flask")
    done = subprocess.run(  # noqa: S603
        [str(flask), "db", "upgrade"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    production_app(own_app, tmp_path)


def _never_start(*_args: object) -> None:
    raise AssertionError("the scheduler started")


def test_the_scheduler_refuses_to_run_with_demo_users(own_app, tmp_path, monkeypatch):
    app = production_app(own_app, tmp_path)  # no demo users yet: starts
    _commit_user(own_app, "mas@exempelby.se")
    monkeypatch.setattr("app.scheduler.make_scheduler", _never_start)  # fail, never block
    with app.app_context():  # the command runs in the current app context (own_app's otherwise)
        result = app.test_cli_runner().invoke(args=["scheduler", "run"])
    assert result.exit_code != 0
    assert isinstance(result.exception, ProductionConfigError)
    assert "demo users" in str(result.exception)


def test_refuses_local_accounts_without_a_second_factor(own_app, tmp_path):
    [problem] = refusal(own_app, tmp_path, TOTP_REQUIRED=False)
    assert "TOTP_REQUIRED is off" in problem


def test_refuses_an_unknown_local_sign_in_mode_in_any_mode(own_app, tmp_path):
    for env in ("development", "production"):
        [problem] = refusal(own_app, tmp_path, ENV_NAME=env, LOCAL_SIGN_IN="break-glass")
        assert "LOCAL_SIGN_IN is 'break-glass'" in problem
