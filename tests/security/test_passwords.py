"""Password hashing: scrypt by default, one place to say so, and hashes made by an older or
weaker method renewed at the owner's next login."""

from __future__ import annotations

import pytest
from werkzeug.security import generate_password_hash

from app.auth import passwords


@pytest.fixture
def strong(app):  # type: ignore[no-untyped-def]
    """The deployment's setting, not the tests' cheap one."""
    app.config["PASSWORD_HASH_METHOD"] = ""
    return app


def test_new_hashes_are_scrypt_with_the_stated_parameters(strong):
    stored = passwords.hash_password("en lång lösenfras")
    assert stored.startswith("scrypt:32768:8:3$")
    assert passwords.check_password(stored, "en lång lösenfras")
    assert not passwords.check_password(stored, "en annan lösenfras")
    assert not passwords.needs_rehash(stored)


def test_a_hash_of_an_unknown_method_matches_nothing(strong):
    assert passwords.check_password("md5$salt$abc", "abc") is False
    assert passwords.needs_rehash("md5$salt$abc")


def test_no_user_never_verifies_but_costs_a_check(strong):
    assert passwords.verify(None, "") is False
    assert passwords.verify(None, "password") is False


def test_a_weaker_hash_is_renewed_at_login(strong, client, auth, world, session):
    # The factories' hash is cheap PBKDF2; Werkzeug's own default scrypt is p=1: both renewed.
    for stored in (world.sas.password_hash, generate_password_hash("password")):
        world.sas.password_hash = stored
        session.flush()
        assert passwords.needs_rehash(stored)
        assert auth.login("sas@test.se").status_code == 302
        session.refresh(world.sas)
        assert world.sas.password_hash.startswith("scrypt:32768:8:3$")
        assert passwords.check_password(world.sas.password_hash, "password")
        auth.logout()


def test_a_current_hash_is_left_alone(strong, client, auth, world, session):
    world.sas.password_hash = passwords.hash_password("password")
    session.flush()
    before = world.sas.password_hash
    assert auth.login("sas@test.se").status_code == 302
    session.refresh(world.sas)
    assert world.sas.password_hash == before


def test_a_failed_login_renews_nothing(strong, client, auth, world, session):
    before = world.sas.password_hash
    auth.login("sas@test.se", "fel")
    session.refresh(world.sas)
    assert world.sas.password_hash == before


def test_an_unknown_email_is_checked_against_a_hash_as_costly_as_a_real_one(strong):
    # The same method as real hashes, so that a missing account does not answer faster.
    assert passwords._dummy_hash(passwords.current_method()).startswith("scrypt:32768:8:3$")
