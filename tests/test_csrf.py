"""CSRF is on for every browser form; the token-authenticated API is exempt."""

from pathlib import Path

import pytest
from flask import Flask

from app import create_app


@pytest.fixture
def csrf_app(migrated: str, tmp_path: Path) -> Flask:
    from tests.conftest import _config

    return create_app(_config(migrated, tmp_path, WTF_CSRF_ENABLED=True))


def test_login_post_without_token_is_refused(csrf_app: Flask) -> None:
    response = csrf_app.test_client().post("/login", data={"email": "a@b.se", "password": "x"})
    assert response.status_code == 400
    csrf_app.extensions["lexflode_engine"].dispose()


def test_login_form_carries_a_token(csrf_app: Flask) -> None:
    response = csrf_app.test_client().get("/login")
    assert response.status_code == 200
    assert b'name="csrf_token"' in response.data
    csrf_app.extensions["lexflode_engine"].dispose()
