"""Lexflöde: case management for lex Sarah, lex Maria and deviations."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    configure(app, test_config)
    register_extensions(app)
    register_audit()
    register_blueprints(app)
    register_transaction(app)
    register_cli(app)
    register_template_helpers(app)
    register_scheduler(app)
    return app


def configure(app: Flask, test_config: dict[str, Any] | None) -> None:
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_object("app.config")
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("LEXFLODE")
    else:
        app.config.from_mapping(test_config)
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = "sqlite:///" + os.path.join(
            app.instance_path, "lexflode.sqlite3"
        )
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path) / "secret_key")


def _instance_secret(path: Path) -> str:
    """A per-machine secret kept in the instance folder, never in the repository."""
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def register_extensions(app: Flask) -> None:
    from . import db
    from .extensions import babel, csrf, login_manager, select_locale

    db.init_app(app)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)

    from .auth.loaders import register_loaders

    register_loaders(login_manager)


def register_blueprints(app: Flask) -> None:
    from .admin import bp as admin_bp
    from .api import bp as api_bp
    from .auth import bp as auth_bp
    from .cases import bp as cases_bp
    from .reports import bp as reports_bp
    from .statistics import bp as statistics_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(cases_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(statistics_bp)


def register_audit() -> None:
    from .audit.chain import install

    install()


def register_transaction(app: Flask) -> None:
    """One commit per request, in one place: after a successful response, else roll back.
    The reads of case content the request made are logged either way."""
    from flask import g

    from . import db
    from .audit.access import write_pending

    @app.after_request
    def _commit(response: Any) -> Any:
        session = g.get("db_session")
        if session is None and not g.get("access_reads"):
            return response
        session = db.session()
        if response.status_code >= 400:
            session.rollback()
        write_pending(session)
        session.commit()
        return response


def register_cli(app: Flask) -> None:
    from .cli import register_commands

    register_commands(app)


def register_scheduler(app: Flask) -> None:
    from .scheduler import start_embedded

    start_embedded(app)


def register_template_helpers(app: Flask) -> None:
    from .templating import register

    register(app)
