"""Rate limits on the API (per token, per address) and on password reset requests (per e-mail,
per address): counted in the database's rate_counters, answered with 429 and Retry-After, in the
API's JSON error shape. Tested with low limits set for the test; the defaults are far higher."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.models import OutboxMail
from app.models.base import frozen_now
from app.models.security import RateCounter
from tests.api_client import Api, error_of

# 08:00:15: 45 seconds are left of the minute's window.
T0 = datetime(2026, 3, 2, 8, 0, 15, tzinfo=UTC)


@pytest.fixture
def api(client, session):  # type: ignore[no-untyped-def]
    return Api(client, session)


def get(api: Api, user, at: datetime, address: str = "10.0.0.1", **kwargs):  # type: ignore[no-untyped-def]
    with frozen_now(at):
        return api.get(user, "cases", environ_base={"REMOTE_ADDR": address}, **kwargs)


def test_the_defaults_are_on_and_generous(app):
    config = app.config
    assert config["API_RATE_LIMIT_PER_TOKEN"] >= 60
    assert config["API_RATE_LIMIT_PER_ADDRESS"] >= config["API_RATE_LIMIT_PER_TOKEN"]
    assert config["API_RATE_WINDOW_SECONDS"] == 60


def test_a_token_over_its_limit_gets_429_in_the_apis_shape(app, api, world):
    app.config["API_RATE_LIMIT_PER_TOKEN"] = 3
    for n in range(3):
        assert get(api, world.sas, T0 + timedelta(seconds=n)).status_code == 200
    refused = get(api, world.sas, T0 + timedelta(seconds=5))
    assert refused.status_code == 429
    assert refused.mimetype == "application/json"
    error = error_of(refused)
    assert error["code"] == "rate_limited"
    assert error["message"]
    assert error["fields"] == {}
    # The window (a minute) ends at 08:01:00.
    assert refused.headers["Retry-After"] == "40"
    # Another token at the same address is not held up by this one.
    assert get(api, world.mas, T0 + timedelta(seconds=6)).status_code == 200
    # The next window starts afresh.
    assert get(api, world.sas, T0 + timedelta(seconds=45)).status_code == 200


def test_an_address_over_its_limit_gets_429_whatever_the_token(app, api, world):
    app.config["API_RATE_LIMIT_PER_ADDRESS"] = 4
    for n, user in enumerate([world.sas, world.mas, world.chair, world.sas]):
        assert get(api, user, T0 + timedelta(seconds=n)).status_code == 200
    assert get(api, world.manager, T0 + timedelta(seconds=5)).status_code == 429
    # Without a token, or with a guessed one, too: the address is counted before the token.
    assert get(api, None, T0 + timedelta(seconds=5)).status_code == 429
    # From elsewhere, the same token works.
    assert get(api, world.manager, T0 + timedelta(seconds=5), "10.0.0.2").status_code == 200


def test_guessed_tokens_are_counted_by_address_and_make_no_rows(app, api, session, world):
    app.config["API_RATE_LIMIT_PER_ADDRESS"] = 5
    for n in range(5):
        headers = {"Authorization": f"Bearer lxf_guess{n}"}
        assert get(api, None, T0, headers=headers).status_code == 401
    assert get(api, None, T0, headers={"Authorization": "Bearer lxf_x"}).status_code == 429
    keys = session.scalars(select(RateCounter.key)).all()
    assert keys == ["api:address:10.0.0.1"]


def test_a_limit_of_zero_counts_nothing(app, api, session, world):
    app.config["API_RATE_LIMIT_PER_TOKEN"] = 0
    app.config["API_RATE_LIMIT_PER_ADDRESS"] = 0
    for _ in range(3):
        assert get(api, world.sas, T0).status_code == 200
    assert session.scalar(select(func.count()).select_from(RateCounter)) == 0


# --- password reset requests -------------------------------------------------------------------


def ask(client, email: str, at: datetime, address: str = "10.0.0.1"):  # type: ignore[no-untyped-def]
    with frozen_now(at):
        return client.post(
            "/glomt-losenord", data={"email": email}, environ_base={"REMOTE_ADDR": address}
        )


def test_reset_requests_are_limited_per_email(app, client, world, session):
    app.config["RESET_RATE_LIMIT_PER_EMAIL"] = 2
    assert ask(client, "sas@test.se", T0).status_code == 302
    assert ask(client, "SAS@test.se ", T0 + timedelta(minutes=1)).status_code == 302
    refused = ask(client, "sas@test.se", T0 + timedelta(minutes=2), address="10.0.0.9")
    assert refused.status_code == 429
    html = refused.get_data(as_text=True)
    assert "För många begäranden om nytt lösenord. Försök igen om 58 minuter." in html
    assert refused.headers["Retry-After"] == str(58 * 60 - 15)
    # An unknown address is limited alike: the limit tells nothing about who has an account.
    assert ask(client, "finns.inte@test.se", T0).status_code == 302
    assert ask(client, "finns.inte@test.se", T0).status_code == 302
    assert ask(client, "finns.inte@test.se", T0).status_code == 429
    # The next hour starts afresh.
    assert ask(client, "sas@test.se", T0 + timedelta(hours=1)).status_code == 302
    mails = session.scalars(select(OutboxMail.to_address)).all()
    assert mails == ["sas@test.se", "sas@test.se"]


def test_reset_requests_are_limited_per_address(app, client, world):
    app.config["RESET_RATE_LIMIT_PER_ADDRESS"] = 3
    for n in range(3):
        assert ask(client, f"person{n}@test.se", T0, "10.7.7.7").status_code == 302
    assert ask(client, "sas@test.se", T0, "10.7.7.7").status_code == 429
    assert ask(client, "sas@test.se", T0, "10.7.7.8").status_code == 302


# --- shared by all workers ---------------------------------------------------------------------


def test_two_workers_share_one_count(own_app, tmp_path):
    """Two app instances on one database, as two gunicorn workers: the count is the database's,
    committed by each request in a transaction of its own."""
    from app import create_app, db
    from app.models import ApiToken
    from tests.conftest import _config
    from tests.factories import make_world

    other = create_app(_config(own_app.config["DATABASE_URL"], tmp_path / "other"))
    for app in (own_app, other):
        app.config["API_RATE_LIMIT_PER_TOKEN"] = 3
    session = db.session()
    row, token = ApiToken.issue(make_world(session).sas)
    session.add(row)
    session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    try:
        with frozen_now(T0):
            answers = [
                app.test_client().get("/api/v1/cases", headers=headers).status_code
                for app in (own_app, other, own_app, other)
            ]
    finally:
        other.extensions["lexflode_engine"].dispose()
    assert answers == [200, 200, 200, 429]
