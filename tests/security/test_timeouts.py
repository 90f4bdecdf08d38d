"""Idle and absolute session timeouts, under a frozen clock (app.models.base.frozen_now), and the
sign-out of every session once the password it started with has changed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.models.base import frozen_now
from tests.api_client import Api

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
IDLE_MESSAGE = "Du har loggats ut efter en tids inaktivitet."
LONG_MESSAGE = "Du har loggats ut eftersom du har varit inloggad länge."


def get(client, url: str, at: datetime):  # type: ignore[no-untyped-def]
    with frozen_now(at):
        return client.get(url)


@pytest.fixture
def signed_in(client, auth, world):  # type: ignore[no-untyped-def]
    with frozen_now(T0):
        assert auth.login("sas@test.se").status_code == 302
    return client


def logged_out_to_login(response, client, message: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert message in page


def test_a_session_used_within_the_idle_time_stays(signed_in):
    assert get(signed_in, "/", T0 + timedelta(minutes=29)).status_code == 200


def test_idle_for_thirty_minutes_logs_out_with_a_swedish_message(signed_in):
    response = get(signed_in, "/arenden?sida=2", T0 + timedelta(minutes=30))
    # Back to where the person was going, once signed in again.
    assert response.headers["Location"] == "/login?next=/arenden?sida%3D2"
    logged_out_to_login(response, signed_in, IDLE_MESSAGE)
    assert get(signed_in, "/", T0 + timedelta(minutes=31)).status_code == 302


def test_activity_keeps_the_session_alive_until_the_absolute_limit(signed_in):
    moment = T0 + timedelta(minutes=20)
    while moment < T0 + timedelta(hours=10):
        assert get(signed_in, "/", moment).status_code == 200, moment
        moment += timedelta(minutes=20)
    response = get(signed_in, "/", T0 + timedelta(hours=10))
    logged_out_to_login(response, signed_in, LONG_MESSAGE)


def test_the_limits_are_settings(app, signed_in):
    app.config["SESSION_IDLE_MINUTES"] = 5
    assert get(signed_in, "/", T0 + timedelta(minutes=4)).status_code == 200
    assert get(signed_in, "/", T0 + timedelta(minutes=9, seconds=30)).status_code == 302


def test_a_post_after_the_timeout_is_not_carried_out(signed_in, world, session):
    from tests.factories import case_in

    case = case_in(session, world, "submitted")
    with frozen_now(T0 + timedelta(hours=1)):
        response = signed_in.post(f"/arenden/{case.id}/steg/start_investigation", data={})
    assert response.headers["Location"] == "/login"
    session.expire_all()
    assert case.state == "submitted"


def test_a_session_cookie_without_the_times_is_not_accepted(client, world):
    # Signed by the server before timeouts existed, or made some other way: no login time.
    with client.session_transaction() as cookie:
        cookie["_user_id"] = str(world.sas.id)
        cookie["_fresh"] = True
    assert client.get("/").status_code == 302


def test_api_requests_with_a_token_are_not_affected(client, session, world):
    api = Api(client, session)
    with frozen_now(T0):
        assert api.get(world.sas, "cases").status_code == 200
    with frozen_now(T0 + timedelta(hours=11)):
        assert api.get(world.sas, "cases").status_code == 200


def test_a_changed_password_ends_the_other_sessions(signed_in, world, session):
    from app.auth.passwords import hash_password

    world.sas.password_hash = hash_password("ett helt annat lösenord")
    session.flush()
    response = get(signed_in, "/", T0 + timedelta(minutes=1))
    logged_out_to_login(response, signed_in, "Du har loggats ut eftersom lösenordet har bytts.")
