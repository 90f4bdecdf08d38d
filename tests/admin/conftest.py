"""Fixtures for the administrator's pages: a client signed in as the admin, and the tests' cheap
password hashes counted as current (else each login renews them with scrypt)."""

from __future__ import annotations

import pytest

from tests.factories import CHEAP_HASH_METHOD


@pytest.fixture(autouse=True)
def _cheap_hashes_are_current(app):  # type: ignore[no-untyped-def]
    app.config["PASSWORD_HASH_METHOD"] = CHEAP_HASH_METHOD


@pytest.fixture
def admin(client, auth, world):  # type: ignore[no-untyped-def]
    assert auth.login(world.admin.email).status_code == 302
    return client


def signed_in(app, email: str, password: str = "password"):  # type: ignore[no-untyped-def]
    """A client of its own, signed in as someone else than the admin."""
    other = app.test_client()
    response = other.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, email
    return other
