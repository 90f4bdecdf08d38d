"""Fixtures in the Flask tutorial's shape (app, client, auth), over a real database.

The database is SQLite by default; set LEXFLODE_TEST_DATABASE_URL to a PostgreSQL URL and the
suite creates its own database there, migrates it once, and drops it at the end. Each test runs
inside one outer transaction that is rolled back, so tests never see each other's rows.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.db import make_engine

from .factories import CHEAP_HASH_METHOD, World, make_world


def _create_postgres_database(base_url: str) -> tuple[str, str]:
    url = make_url(base_url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"lexflode_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False), name


def _drop_postgres_database(base_url: str, name: str) -> None:
    url = make_url(base_url.replace("postgresql://", "postgresql+psycopg://", 1))
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    base = os.environ.get("LEXFLODE_TEST_DATABASE_URL", "")
    if base.startswith("postgresql"):
        url, name = _create_postgres_database(base)
        yield url
        _drop_postgres_database(base, name)
    else:
        yield "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(scope="session")
def migrated(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The schema, built by the real migrations once per run."""
    from app.cli.db import upgrade

    app = create_app(_config(database_url, tmp_path_factory.mktemp("instance")))
    with app.app_context():
        upgrade()
        app.extensions["lexflode_engine"].dispose()
    return database_url


def _config(database_url: str, instance: Path, **extra: object) -> dict[str, object]:
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "UPLOAD_FOLDER": str(instance / "attachments"),
        # Production's scrypt costs half a second a login; the suite logs in thousands of times.
        "PASSWORD_HASH_METHOD": CHEAP_HASH_METHOD,
        # The suite signs in with a password thousands of times; the second factor's own tests
        # turn it on (tests/security/test_second_factor*.py).
        "TOTP_REQUIRED": False,
        **extra,
    }


class IsolatedClient(FlaskClient):
    """Runs each request in its own app context, as a server would, even while the test holds
    one (otherwise ``g`` — the db session, Flask-Login's user — leaks between requests)."""

    def open(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        def run():  # type: ignore[no-untyped-def]
            _cv_app.set(None)  # type: ignore[arg-type]
            return super(IsolatedClient, self).open(*args, **kwargs)

        return contextvars.copy_context().run(run)


@contextlib.contextmanager
def rolled_back_app(migrated: str, tmp_path: Path, **extra: object) -> Iterator[Flask]:
    """An app whose every request and session runs inside one outer transaction, rolled back
    at the end; ``extra`` overrides the test configuration (CSRF on, behind a proxy, …)."""
    app = create_app(_config(migrated, tmp_path, **extra))
    app.test_client_class = IsolatedClient
    engine = app.extensions["lexflode_engine"]
    connection = engine.connect()
    outer = connection.begin()
    app.extensions["lexflode_test_bind"] = connection
    with app.app_context():
        yield app
    outer.rollback()
    connection.close()
    engine.dispose()


@pytest.fixture
def app(migrated: str, tmp_path: Path) -> Iterator[Flask]:
    with rolled_back_app(migrated, tmp_path) as app:
        yield app


@pytest.fixture
def session(app: Flask):  # type: ignore[no-untyped-def]
    from app import db

    return db.session()


@pytest.fixture
def world(app: Flask, session) -> World:  # type: ignore[no-untyped-def]
    return make_world(session)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class AuthActions:
    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, email: str, password: str = "password"):  # type: ignore[no-untyped-def]
        return self._client.post("/login", data={"email": email, "password": password})

    def logout(self):  # type: ignore[no-untyped-def]
        return self._client.post("/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def is_postgres(database_url: str) -> bool:
    return database_url.startswith("postgresql")


__all__ = ["make_engine"]


@pytest.fixture(scope="session")
def own_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, empty database that own_app copies: migrating once per run instead of once
    per test (PostgreSQL: a template database; SQLite: a file)."""
    from app.cli.db import upgrade

    base = os.environ.get("LEXFLODE_TEST_DATABASE_URL", "")
    if base.startswith("postgresql"):
        url, name = _create_postgres_database(base)
    else:
        url, name = "sqlite:///" + str(tmp_path_factory.mktemp("template") / "t.sqlite3"), ""
    app = create_app(_config(url, tmp_path_factory.mktemp("template-instance")))
    with app.app_context():
        upgrade()
    app.extensions["lexflode_engine"].dispose()
    yield name or url.removeprefix("sqlite:///")
    if name:
        _drop_postgres_database(base, name)


def _copy_of(template: str, tmp_path: Path) -> tuple[str, str]:
    base = os.environ.get("LEXFLODE_TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        target = tmp_path / "own.sqlite3"
        with sqlite3.connect(template) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        return "sqlite:///" + str(target), ""
    url = make_url(base.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"lexflode_own_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False), name


@pytest.fixture
def own_app(own_template: str, tmp_path: Path) -> Iterator[Flask]:
    """An app on a database of its own, migrated, where requests and sessions commit for real:
    for what the rolled-back test transaction cannot show (tampering, backups, several
    connections). Same kind of database as the run (SQLite file or PostgreSQL)."""
    base = os.environ.get("LEXFLODE_TEST_DATABASE_URL", "")
    url, name = _copy_of(own_template, tmp_path)
    app = create_app(_config(url, tmp_path))
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        from app import db

        db.session().close()
    app.extensions["lexflode_engine"].dispose()
    if name:
        _drop_postgres_database(base, name)


# Debian's Chromium, driven by Playwright: one for the whole run, shared by tests/browser and
# tests/sso (Playwright's sync API allows one instance per thread).
CHROMIUM = os.environ.get("LEXFLODE_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; CI must install Debian's chromium")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--lang=sv-SE",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()
