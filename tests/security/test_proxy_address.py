"""PROXY_COUNT: the client's address — what the login throttle and the rate limits count by —
comes from X-Forwarded-For only through werkzeug's ProxyFix, and only as many hops deep as there
are proxies; without it the header is ignored, so a client cannot choose its own address."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from app.models import LoginAttempt
from tests.conftest import rolled_back_app
from tests.factories import CHEAP_HASH_METHOD


@pytest.fixture
def proxied_app(migrated: str, tmp_path: Path) -> Iterator[Flask]:
    """As behind one nginx (LEXFLODE_PROXY_COUNT=1), over the rolled-back test transaction."""
    with rolled_back_app(
        migrated, tmp_path, PROXY_COUNT=1, PASSWORD_HASH_METHOD=CHEAP_HASH_METHOD
    ) as app:
        yield app


def recorded_address(app: Flask, forwarded: str) -> str:
    from app import db

    client = app.test_client()
    client.post(
        "/login",
        data={"email": "sas@test.se", "password": "fel"},
        headers={"X-Forwarded-For": forwarded},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    with app.app_context():
        query = select(LoginAttempt.address).order_by(LoginAttempt.id.desc())
        return db.session().scalars(query).first()


def test_behind_one_proxy_the_address_is_the_one_the_proxy_saw(proxied_app):
    assert recorded_address(proxied_app, "203.0.113.7") == "203.0.113.7"
    # A client's own X-Forwarded-For comes first; nginx appends what it saw: that one counts.
    assert recorded_address(proxied_app, "10.9.9.9, 203.0.113.8") == "203.0.113.8"


def test_without_proxy_count_the_header_is_ignored(app):
    assert app.config["PROXY_COUNT"] == 0
    assert recorded_address(app, "203.0.113.7") == "127.0.0.1"


def test_the_api_limit_counts_the_proxied_address(proxied_app):
    from app import db
    from app.models.security import RateCounter

    proxied_app.test_client().get(
        "/api/v1/cases",
        headers={"X-Forwarded-For": "203.0.113.9"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    with proxied_app.app_context():
        assert db.session().scalars(select(RateCounter.key)).all() == ["api:address:203.0.113.9"]
