"""Lexflöde: case management for lex Sarah, lex Maria and deviations."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    # An installed wheel's instance folder would be <venv>/var/app-instance; a production machine
    # names its own (LEXFLODE_INSTANCE_PATH=/var/lib/lexflode, docs/operations.md).
    instance_path = os.environ.get("LEXFLODE_INSTANCE_PATH") or None
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)
    configure(app, test_config)
    register_extensions(app)
    register_ops(app)
    register_audit()
    register_blueprints(app)
    register_security(app)
    register_authz(app)
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
    proxies = int(app.config["PROXY_COUNT"])
    if proxies:
        # Behind a TLS-terminating proxy: the client's address (access log, throttle) and the
        # scheme (HSTS, Secure cookies) come from the proxy's X-Forwarded-* headers.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )


def _instance_secret(path: Path) -> str:
    """A per-machine secret kept in the instance folder, never in the repository.

    Several gunicorn workers may start at once on a fresh machine: each writes a candidate to a
    file of its own and links it into place, which succeeds for exactly one; all then read the
    winner. No one ever reads a half-written file or a key another worker overwrote."""
    if not path.exists():
        candidate = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, secrets.token_hex(32).encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(candidate, path)
        except FileExistsError:
            pass  # another process was first; its key is the key
        finally:
            os.unlink(candidate)
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


def register_ops(app: Flask) -> None:
    """Logs, request ids, /healthz, /readyz, /metrics and the production start-up checks;
    early, so that its hooks wrap every other one (app/ops/__init__.py)."""
    from .ops import register_ops as register

    register(app)


def register_blueprints(app: Flask) -> None:
    from .accessibility import bp as accessibility_bp
    from .account import bp as account_bp
    from .admin import bp as admin_bp
    from .api import bp as api_bp
    from .auth import bp as auth_bp
    from .auth.sso import init_app as init_sso
    from .cases import bp as cases_bp
    from .logreview import bp as logreview_bp
    from .public import bp as public_bp
    from .reports import bp as reports_bp
    from .routing import IdConverter
    from .scim import bp as scim_bp
    from .statistics import bp as statistics_bp

    # Before any rule is added: a rule takes its converter when it is added.
    app.url_map.converters["int"] = IdConverter
    app.register_blueprint(auth_bp)
    app.register_blueprint(account_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(cases_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(statistics_bp)
    app.register_blueprint(logreview_bp, url_prefix="/logg")
    app.register_blueprint(accessibility_bp)
    app.register_blueprint(public_bp)
    init_sso(app)
    app.register_blueprint(scim_bp, url_prefix="/scim/v2")
    from .complaints import bp as complaints_bp

    app.register_blueprint(complaints_bp)


def register_security(app: Flask) -> None:
    from .security import register

    register(app)


def register_authz(app: Flask) -> None:
    from .auth.second_step import register_guard
    from .authz import register

    register(app)
    # After the door: only a signed-in session is asked whether it still needs a second factor.
    register_guard(app)


def register_audit() -> None:
    from .audit.chain import install

    install()


def register_transaction(app: Flask) -> None:
    """One commit per request, in one place: after a successful response, else roll back.
    The reads of case content the request made are logged either way: with the change it made,
    or, where it made none, in a transaction of their own. If they cannot be logged the request
    fails rather than hand out content unlogged."""
    from flask import g, request

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
        elif request.method in db.SAFE_METHODS:
            # A reading transaction on SQLite cannot start writing once another writer has
            # committed since it began; the log is written in a fresh one.
            session.commit()
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
