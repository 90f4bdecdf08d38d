"""Lexflöde served live with both kinds of single sign-on switched on, over its own committed
database with the demo data, and the providers it trusts (tests/sso/providers.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import create_app, db
from app.models import GroupMapping, Unit, User
from tests.conftest import _create_postgres_database, _drop_postgres_database
from tests.factories import CHEAP_HASH_METHOD

from . import providers

CLIENT_ID = "lexflode-test"
STAFF_GROUP = "sg-lexflode-medarbetare"
SAS_GROUP = "sg-lexflode-sas"
MANAGERS_GROUP = "sg-lexflode-chefer-solgarden"
SOLGARDEN = "Solgårdens särskilda boende"


@dataclass
class Live:
    app: Flask
    url: str
    issuer: str
    proxy: providers.Proxy
    idp_key: str
    idp_cert: str
    folder: Path


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    folder = tmp_path_factory.mktemp("sso")
    idp_key, idp_cert = providers.key_and_certificate(folder, "idp")
    metadata = folder / "idp-metadata.xml"
    metadata.write_text(providers.idp_metadata(idp_key, idp_cert))
    base = os.environ.get("LEXFLODE_TEST_DATABASE_URL", "")
    if base.startswith("postgresql"):
        url, name = _create_postgres_database(base)
    else:
        url, name = "sqlite:///" + str(folder / "sso.sqlite3"), ""
    with providers.oidc_provider() as (issuer, proxy):
        app = create_app(
            {
                "DATABASE_URL": url,
                "SECRET_KEY": "sso-test",
                "UPLOAD_FOLDER": str(folder / "files"),
                "PASSWORD_HASH_METHOD": CHEAP_HASH_METHOD,
                # Plain http on 127.0.0.1 for the HTTP client (Chromium would accept Secure).
                "SESSION_COOKIE_SECURE": False,
                "OIDC_ISSUER": issuer,
                "OIDC_CLIENT_ID": CLIENT_ID,
                "OIDC_CLIENT_SECRET": "client-secret",
                "SAML_IDP_METADATA": str(metadata),
                "GROUP_MAPPINGS": [{"group": STAFF_GROUP, "role": "reporter"}],
            }
        )
        with app.app_context():
            from app.cli.db import upgrade
            from app.cli.demo import seed

            upgrade()
            seed()
            session = db.session()
            unit = session.scalar(select(Unit).where(Unit.name == SOLGARDEN))
            assert unit is not None
            session.add_all(
                [
                    GroupMapping(group_key=SAS_GROUP, role="sas"),
                    GroupMapping(group_key=MANAGERS_GROUP, role="manager", unit_id=unit.id),
                ]
            )
            session.commit()
        server = providers.serve(app)
        app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
        try:
            yield Live(app, app.config["BASE_URL"], issuer, proxy, idp_key, idp_cert, folder)
        finally:
            server.shutdown()
            app.extensions["lexflode_engine"].dispose()
            if name:
                _drop_postgres_database(base, name)


@contextmanager
def database(app: Flask) -> Iterator[Session]:
    """A session on the live database, committed at the end like one request."""
    with app.app_context():
        session = db.session()
        yield session
        session.commit()


def user_by_subject(app: Flask, subject: str) -> User | None:
    with database(app) as session:
        user = session.scalar(select(User).where(User.subject == subject))
        if user is not None:
            session.expunge(user)
        return user


def roles_of(app: Flask, subject: str) -> tuple[set[str], set[str]]:
    """The user's roles and the names of the units they lead."""
    with database(app) as session:
        user = session.scalar(select(User).where(User.subject == subject))
        assert user is not None, subject
        return set(user.roles), {u.name for u in user.managed_units}


def signed_in_as(client: requests.Session, base: str) -> str:
    """The name in the page header of the signed-in user's Att göra; fails if not signed in."""
    page = client.get(f"{base}/", timeout=10)
    assert page.status_code == 200, page.status_code
    assert "/login" not in page.url, page.url
    return page.text


@pytest.fixture
def sso_page(browser, live: Live, request):  # type: ignore[no-untyped-def]
    """Pages on the live app with its provider, checked with axe like tests/browser's."""
    from tests.browser.conftest import checked_pages

    yield from checked_pages(browser, live.url, request)
