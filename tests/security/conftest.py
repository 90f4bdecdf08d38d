"""Helpers for the hardening tests: the tests' cheap password hashes counted as current, a client
that logs in through the real form with CSRF on, and a way to read the session cookie's flags."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.conftest import rolled_back_app
from tests.factories import CHEAP_HASH_METHOD


@pytest.fixture(autouse=True)
def _cheap_hashes_are_current(request: pytest.FixtureRequest) -> None:
    # Otherwise every login renews the factories' cheap hash with scrypt (test_passwords.py
    # turns this off where the renewal is what it checks).
    if "app" in request.fixturenames:
        request.getfixturevalue("app").config["PASSWORD_HASH_METHOD"] = CHEAP_HASH_METHOD


@pytest.fixture
def csrf_app(migrated: str, tmp_path: Path) -> Iterator[Flask]:
    """An app with CSRF on, over the same rolled-back test transaction as ``app`` would use."""
    with rolled_back_app(
        migrated, tmp_path, WTF_CSRF_ENABLED=True, PASSWORD_HASH_METHOD=CHEAP_HASH_METHOD
    ) as app:
        yield app


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, html
    return match.group(1)


def login_with_csrf(client: FlaskClient, email: str, password: str = "password") -> TestResponse:
    token = csrf_token(client)
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def set_cookie_header(response: TestResponse, name: str = "session") -> str:
    headers = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(name + "=")]
    assert headers, response.headers
    return headers[-1]


def page_text(response: TestResponse, *typed: str) -> str:
    """The page as a person sees it, for comparing two answers: what they typed themselves and
    the form's CSRF token (signed with the current second) taken out."""
    html = re.sub(
        r'(name="csrf_token"[^>]*value=)"[^"]*"', r'\1"TOKEN"', response.get_data(as_text=True)
    )
    for text in typed:
        html = html.replace(text, "TYPED")
    return html
