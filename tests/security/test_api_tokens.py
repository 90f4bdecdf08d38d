"""API tokens: named, with an end date, their last use noted (at most once a minute), listed,
made and revoked by their owner under Mitt konto and by `flask users token …`; an expired or
revoked token is 401 in JSON. Tokens made before names existed get one by the migration."""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import select, text

from app.cli.db import alembic_config
from app.db import make_engine
from app.models import ApiToken
from app.models.base import frozen_now, utcnow
from tests.api_client import Api, error_of
from tests.conftest import _create_postgres_database, _drop_postgres_database

from .conftest import csrf_token, login_with_csrf

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
NEW_TOKEN = re.compile(r'id="ny-token" value="(lxf_[^"]+)"')


@pytest.fixture
def api(client, session):  # type: ignore[no-untyped-def]
    return Api(client, session)


def issue(session, user, **kwargs):  # type: ignore[no-untyped-def]
    row, token = ApiToken.issue(user, **kwargs)
    session.add(row)
    session.flush()
    return row, token


def call(api: Api, token: str, at: datetime):  # type: ignore[no-untyped-def]
    with frozen_now(at):
        return api.get(None, "cases", headers={"Authorization": f"Bearer {token}"})


# --- the API ------------------------------------------------------------------------------------


def test_a_token_works_until_it_expires_then_401(api, session, world):
    row, token = issue(session, world.sas, now=T0, lifetime=timedelta(days=90))
    assert row.expires_at == T0 + timedelta(days=90)
    assert call(api, token, T0 + timedelta(days=89, hours=23)).status_code == 200
    expired = call(api, token, T0 + timedelta(days=90))
    assert expired.status_code == 401
    assert error_of(expired)["code"] == "unauthorized"
    assert expired.mimetype == "application/json"


def test_a_revoked_token_is_401(api, session, world):
    row, token = issue(session, world.sas)
    assert call(api, token, utcnow()).status_code == 200
    row.revoked = True
    session.flush()
    assert error_of(call(api, token, utcnow()))["code"] == "unauthorized"


def test_last_use_is_noted_at_most_once_a_minute(api, session, world):
    row, token = issue(session, world.sas, now=T0)
    assert row.last_used_at is None
    call(api, token, T0 + timedelta(seconds=10))
    session.refresh(row)
    assert row.last_used_at == T0 + timedelta(seconds=10)
    call(api, token, T0 + timedelta(seconds=50))
    session.refresh(row)
    assert row.last_used_at == T0 + timedelta(seconds=10)
    call(api, token, T0 + timedelta(seconds=70))
    session.refresh(row)
    assert row.last_used_at == T0 + timedelta(seconds=70)


def test_the_default_lifetime_is_api_token_days(app):
    assert app.config["API_TOKEN_DAYS"] == 90


# --- Mitt konto ---------------------------------------------------------------------------------


def test_the_owner_makes_a_token_sees_it_once_and_it_works(app, client, auth, api, world, session):
    app.config["API_TOKEN_DAYS"] = 30
    auth.login("sas@test.se")
    with frozen_now(T0):
        made = client.post("/konto/token", data={"name": "Verksamhetssystemet"})
    assert made.status_code == 200
    html = made.get_data(as_text=True)
    match = NEW_TOKEN.search(html)
    assert match, html
    token = match.group(1)
    assert "Den visas inte igen." in html
    assert "Verksamhetssystemet" in html
    # Shown once: the page afterwards lists it by name and never shows it again.
    page = client.get("/konto").get_data(as_text=True)
    assert "Verksamhetssystemet" in page
    assert token not in page
    with client.session_transaction() as cookie:
        assert token not in json.dumps(dict(cookie), default=str)
    [row] = session.scalars(select(ApiToken).where(ApiToken.user_id == world.sas.id)).all()
    assert (row.name, row.expires_at) == ("Verksamhetssystemet", T0 + timedelta(days=30))
    assert call(api, token, T0 + timedelta(days=1)).status_code == 200


def test_a_token_needs_a_name(client, auth, world, session):
    auth.login("sas@test.se")
    refused = client.post("/konto/token", data={"name": "  "})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Fältet måste fyllas i." in html
    assert 'href="#name"' in html  # the error summary links to the field
    assert session.scalars(select(ApiToken)).all() == []


def test_the_owner_sees_and_revokes_only_their_own(api, client, auth, world, session):
    mine, my_token = issue(session, world.sas, name="Skript för statistik")
    theirs, their_token = issue(session, world.mas, name="MAS integration")
    auth.login("sas@test.se")
    page = client.get("/konto").get_data(as_text=True)
    assert "Skript för statistik" in page
    assert "MAS integration" not in page
    assert "Aldrig" in page  # never used yet

    # Someone else's token: as if there were none.
    assert client.post(f"/konto/token/{theirs.id}/aterkalla").status_code == 404
    session.refresh(theirs)
    assert theirs.revoked is False

    done = client.post(f"/konto/token/{mine.id}/aterkalla")
    assert done.headers["Location"] == "/konto"
    assert "Token Skript för statistik är återkallad" in client.get("/konto").get_data(as_text=True)
    assert call(api, my_token, utcnow()).status_code == 401
    assert call(api, their_token, utcnow()).status_code == 200
    # Twice is not found: nothing left to revoke.
    assert client.post(f"/konto/token/{mine.id}/aterkalla").status_code == 404


def test_an_expired_token_stays_listed_marked(client, auth, world, session):
    issue(session, world.sas, name="Gammalt skript", now=T0, lifetime=timedelta(days=1))
    auth.login("sas@test.se")
    assert "(har gått ut)" in client.get("/konto").get_data(as_text=True)


def test_the_token_forms_need_the_csrf_token(csrf_app, world, session):
    client = csrf_app.test_client()
    assert login_with_csrf(client, "sas@test.se").status_code == 302
    row, _ = issue(session, world.sas)
    assert client.post("/konto/token", data={"name": "x"}).status_code == 400
    assert client.post(f"/konto/token/{row.id}/aterkalla").status_code == 400
    token = csrf_token(client, "/konto")
    made = client.post("/konto/token", data={"name": "x", "csrf_token": token})
    assert made.status_code == 200
    revoked = client.post(f"/konto/token/{row.id}/aterkalla", data={"csrf_token": token})
    assert revoked.status_code == 302


# --- flask users token … ------------------------------------------------------------------------


@pytest.fixture
def runner(app):  # type: ignore[no-untyped-def]
    return app.test_cli_runner()


def test_cli_makes_a_named_token_for_some_days(runner, session, world):
    result = runner.invoke(
        args=["users", "token", "sas@test.se", "--name", "Nattlig export", "--days", "7"]
    )
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert token.startswith("lxf_")
    session.expire_all()
    [row] = session.scalars(select(ApiToken).where(ApiToken.user_id == world.sas.id)).all()
    assert row.name == "Nattlig export"
    assert timedelta(days=6, hours=23) < row.expires_at - utcnow() <= timedelta(days=7)


def test_cli_lists_and_revokes(runner, session, world):
    sas, _ = issue(session, world.sas, name="A")
    mas, _ = issue(session, world.mas, name="B")
    listed = runner.invoke(args=["users", "token", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    rows = {r["id"]: r for r in json.loads(listed.output)}
    assert (rows[sas.id]["email"], rows[sas.id]["name"], rows[sas.id]["status"]) == (
        "sas@test.se",
        "A",
        "active",
    )
    only_sas = runner.invoke(args=["users", "token", "list", "sas@test.se"])
    assert "sas@test.se" in only_sas.output
    assert "mas@test.se" not in only_sas.output

    revoked = runner.invoke(args=["users", "token", "revoke", str(sas.id)])
    assert revoked.exit_code == 0, revoked.output
    session.expire_all()
    assert session.get(ApiToken, sas.id).revoked is True
    assert session.get(ApiToken, mas.id).revoked is False
    again = runner.invoke(args=["users", "token", "list", "--json"])
    assert {r["id"]: r["status"] for r in json.loads(again.output)}[sas.id] == "revoked"
    unknown = runner.invoke(args=["users", "token", "revoke", "999999"])
    assert unknown.exit_code != 0
    assert "no API token with id 999999" in unknown.output


# --- the migration ------------------------------------------------------------------------------


@pytest.fixture
def empty_url(tmp_path):  # type: ignore[no-untyped-def]
    """An empty database of the run's kind."""
    base = os.environ.get("LEXFLODE_TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'older.sqlite3'}"
        return
    url, name = _create_postgres_database(base)
    yield url
    _drop_postgres_database(base, name)


def test_the_migration_names_older_tokens_and_gives_them_ninety_days(app, empty_url):  # type: ignore[no-untyped-def]
    engine = make_engine(empty_url)
    old = {"at": datetime(2026, 1, 1, tzinfo=UTC), "yes": True, "no": False}
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "a13c0de00001")
            conn.execute(
                text(
                    "INSERT INTO users (email, name, title, employer, password_hash, active,"
                    " created_at) VALUES ('x@test.se', 'X', '', '', 'h', :yes, :at)"
                ),
                old,
            )
            conn.execute(
                text(
                    "INSERT INTO api_tokens (user_id, token_hash, created_at, revoked)"
                    " SELECT id, 'abc', :at, :no FROM users"
                ),
                old,
            )
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "a13c0de00002")
            name, expires, last_used = conn.execute(
                text("SELECT name, expires_at, last_used_at FROM api_tokens")
            ).one()
            generation = conn.execute(text("SELECT session_generation FROM users")).scalar()
    finally:
        engine.dispose()
    assert name == "Äldre token"
    if not isinstance(expires, datetime):
        expires = datetime.fromisoformat(str(expires))
    expires_at = expires.replace(tzinfo=UTC) if expires.tzinfo is None else expires
    assert abs(expires_at - (datetime.now(UTC) + timedelta(days=90))) < timedelta(minutes=5)
    assert last_used is None
    assert generation == 0
