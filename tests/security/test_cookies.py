"""The session cookie: Secure, HttpOnly and SameSite=Lax; a fresh session at login (no fixation);
nothing left of it after logout; no remember-me cookie."""

from __future__ import annotations

from flask import Flask

from app import create_app

from .conftest import csrf_token, login_with_csrf, set_cookie_header


def cookie_flags(header: str) -> dict[str, str]:
    parts = [p.strip() for p in header.split(";")[1:]]
    return {p.split("=", 1)[0].lower(): (p.split("=", 1)[1] if "=" in p else "") for p in parts}


def test_the_session_cookie_is_secure_httponly_and_lax(client, auth, world):
    response = auth.login("sas@test.se")
    assert response.status_code == 302
    flags = cookie_flags(set_cookie_header(response))
    assert "secure" in flags
    assert "httponly" in flags
    assert flags["samesite"] == "Lax"
    # A browser-session cookie: gone when the browser closes; the server bounds it besides.
    assert "expires" not in flags
    assert "max-age" not in flags


def test_no_remember_me_cookie_is_set(client, auth, world):
    response = auth.login("sas@test.se")
    assert not [h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_")]


def test_secure_is_the_default_and_can_be_turned_off_for_plain_http(monkeypatch, tmp_path):
    app = Flask("probe", instance_path=str(tmp_path))
    app.config.from_object("app.config")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    # The documented switch for development over plain http on another host.
    monkeypatch.setenv("LEXFLODE_SESSION_COOKIE_SECURE", "false")
    app.config.from_prefixed_env("LEXFLODE")
    assert app.config["SESSION_COOKIE_SECURE"] is False


def test_the_factory_reads_the_switch_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("LEXFLODE_SESSION_COOKIE_SECURE", "false")
    monkeypatch.setenv("LEXFLODE_DATABASE_URL", "sqlite:///" + str(tmp_path / "probe.sqlite3"))
    monkeypatch.setenv("LEXFLODE_SECRET_KEY", "probe")
    monkeypatch.setenv("LEXFLODE_SCHEDULER_EMBEDDED", "false")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is False
    app.extensions["lexflode_engine"].dispose()


def test_login_starts_a_new_session(csrf_app, world):
    client = csrf_app.test_client()
    with client.session_transaction() as before:
        before["planted"] = "by an attacker"
    token = csrf_token(client)
    old_cookie = client.get_cookie("session").value
    response = client.post(
        "/login", data={"email": "sas@test.se", "password": "password", "csrf_token": token}
    )
    assert response.status_code == 302
    with client.session_transaction() as after:
        assert "planted" not in after
        # The form token from before the login is gone with the rest.
        assert after.get("csrf_token") is None
        assert after["_user_id"] == str(world.sas.id)
    assert client.get_cookie("session").value != old_cookie

    # The cookie from before the login is still anonymous, whoever holds it.
    stranger = csrf_app.test_client()
    stranger.set_cookie("session", old_cookie)
    assert stranger.get("/").status_code == 302


def test_logout_clears_the_whole_session(csrf_app, world):
    client = csrf_app.test_client()
    assert login_with_csrf(client, "sas@test.se").status_code == 302
    with client.session_transaction() as before:
        before["left_behind"] = "x"
    token = csrf_token(client, "/")
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302
    with client.session_transaction() as after:
        assert set(after) <= {"_flashes"}
    assert client.get("/").status_code == 302
