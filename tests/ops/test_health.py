"""/healthz and /readyz: no login, no session, no access-log row; readiness names the check
that failed (database, schema at the migrations' head, the scheduler's heartbeat)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from app.ops.health import script_heads
from app.scheduler import run_clock

from .support import access_log_rows, beat


def test_healthz_answers_anyone(client, session):
    before = access_log_rows(session)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert "Set-Cookie" not in response.headers
    assert access_log_rows(session) == before


def test_ready_with_a_fresh_heartbeat(client, session):
    beat(session, timedelta(minutes=1))
    response = client.get("/readyz")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "ready"
    assert body["failed"] == []
    assert set(body["checks"]) == {"database", "schema", "heartbeat"}


def test_not_ready_without_a_heartbeat(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["failed"] == ["heartbeat"]
    assert response.get_json()["checks"]["heartbeat"] == "no heartbeat"


def test_not_ready_with_a_stale_heartbeat(app, client, session):
    # The default limit is three scheduler intervals (3 × 5 minutes).
    beat(session, timedelta(minutes=16))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["failed"] == ["heartbeat"]
    assert response.get_json()["checks"]["heartbeat"].startswith("stale")
    beat(session, timedelta(minutes=14))
    assert client.get("/readyz").status_code == 200
    app.config["READINESS_HEARTBEAT_MINUTES"] = 10
    assert client.get("/readyz").get_json()["failed"] == ["heartbeat"]


def test_not_ready_with_the_schema_behind_the_head(client, session):
    beat(session, timedelta(minutes=1))
    [head] = script_heads()
    session.execute(text("UPDATE alembic_version SET version_num = '8f92d059a282'"))
    session.flush()
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["failed"] == ["schema"]
    assert head in body["checks"]["schema"]
    assert "8f92d059a282" in body["checks"]["schema"]


def test_the_clocks_run_is_the_heartbeat(app, client, session):
    """The embedded scheduler (development) and `flask scheduler run` both run run_clock."""
    assert client.get("/readyz").status_code == 503
    run_clock(app)
    response = client.get("/readyz")
    assert response.status_code == 200, response.get_json()


def test_signed_in_or_with_a_stale_session_the_probe_is_the_same(app, client, auth, world, session):
    auth.login(world.sas.email)
    beat(session, timedelta(minutes=1))
    before = access_log_rows(session)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers  # the session is neither read nor renewed
    # A session past its idle time is sent to the login page everywhere else, not here.
    app.config["SESSION_IDLE_MINUTES"] = 0
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/").status_code == 302
    assert access_log_rows(session) == before


def test_not_ready_without_the_database(tmp_path):
    from app import create_app

    unreachable = "sqlite:///" + str(tmp_path / "no-such-folder" / "db.sqlite3")
    app = create_app({"TESTING": True, "DATABASE_URL": unreachable, "SECRET_KEY": "x"})
    client = app.test_client()
    assert client.get("/healthz").status_code == 200  # alive, though not ready
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["failed"] == ["database"]
    assert response.get_json()["checks"] == {"database": "unreachable"}
