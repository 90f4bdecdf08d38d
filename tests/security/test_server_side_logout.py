"""Logging out ends the session on the server: a copy of the session cookie taken before (a
shared computer, a stolen backup of the browser profile) no longer signs anyone in. The same
for a password change and for deactivation, through the user's session generation."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from app.models import User


def copy_of(client: FlaskClient, app) -> FlaskClient:  # type: ignore[no-untyped-def]
    """Another browser holding the same session cookie."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    other = app.test_client()
    other.set_cookie("session", cookie.value, domain=cookie.domain or "localhost")
    return other


def signed_in(client: FlaskClient) -> bool:
    response = client.get("/konto")
    return response.status_code == 200


def test_a_copied_cookie_stops_working_after_logout(app, client, auth, world):
    assert auth.login("sas@test.se").status_code == 302
    copied = copy_of(client, app)
    assert signed_in(copied)
    assert auth.logout().headers["Location"] == "/login"
    response = copied.get("/konto")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert not signed_in(copied)


def test_logging_out_on_one_device_ends_the_others_too(app, world):
    """The price of a counter instead of a table of sessions: one logout ends all of them."""
    laptop, phone = app.test_client(), app.test_client()
    for device in (laptop, phone):
        login = device.post("/login", data={"email": "sas@test.se", "password": "password"})
        assert login.status_code == 302
    assert signed_in(laptop)
    assert signed_in(phone)
    laptop.post("/logout")
    assert not signed_in(phone)
    # Signing in again works at once, with a session of the new generation.
    phone.post("/login", data={"email": "sas@test.se", "password": "password"})
    assert signed_in(phone)


def test_logout_raises_the_generation_and_login_stores_it(client, auth, world, session):
    before = world.sas.session_generation
    auth.login("sas@test.se")
    with client.session_transaction() as cookie:
        assert cookie["_generation"] == before
    auth.logout()
    session.expire_all()
    generation = session.scalar(select(User.session_generation).where(User.id == world.sas.id))
    assert generation == before + 1


def test_deactivation_ends_sessions_for_good(app, client, auth, world, session):
    from app.admin.users import set_user_active

    auth.login("sas@test.se")
    copied = copy_of(client, app)
    set_user_active(session, world.admin, world.sas, False)
    set_user_active(session, world.admin, world.sas, True)
    # Reactivated, the account signs in again, but the session from before stays ended.
    assert not signed_in(copied)
    assert not signed_in(client)


def test_a_reset_password_ends_other_sessions(app, client, auth, world, session):
    from app.auth import reset
    from app.models.base import utcnow

    auth.login("sas@test.se")
    before = world.sas.session_generation
    reset.set_password(session, world.sas, "ett helt nytt lösenord", utcnow())
    assert world.sas.session_generation == before + 1
    assert not signed_in(client)
