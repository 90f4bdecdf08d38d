"""The scheduler prunes what the throttles no longer count: login attempts older than
LOGIN_ATTEMPTS_KEEP_DAYS (personal data: an address and the e-mail typed) and rate counters of
windows that have passed. Fresh rows stay, and the limits still hold afterwards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.auth import ratelimit
from app.models.security import LoginAttempt, RateCounter
from app.scheduler import run_clock

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def _counter(key: str, window_seconds: int, at: datetime) -> RateCounter:
    return RateCounter(key=key, window=int(at.timestamp() // window_seconds), count=3)


def test_the_clock_prunes_old_attempts_and_past_windows(app, session):
    api = int(app.config["API_RATE_WINDOW_SECONDS"])
    reset = int(float(app.config["RESET_RATE_WINDOW_MINUTES"]) * 60)
    keep = timedelta(days=int(app.config["LOGIN_ATTEMPTS_KEEP_DAYS"]))
    session.add_all(
        [
            LoginAttempt(at=NOW - keep - timedelta(minutes=1), email="gammal@x.se", address="a"),
            LoginAttempt(at=NOW - keep + timedelta(minutes=1), email="ny@x.se", address="a"),
            _counter("api:address:10.0.0.1", api, NOW - timedelta(seconds=api)),
            _counter("api:token:7", api, NOW),
            _counter("reset:email:gammal@x.se", reset, NOW - timedelta(seconds=reset)),
            _counter("reset:address:10.0.0.1", reset, NOW),
            # A key of no known kind is left alone: its window length is not known here.
            _counter("other:x", 60, NOW - timedelta(days=1)),
        ]
    )
    session.commit()

    run_clock(app, NOW)

    assert session.scalars(select(LoginAttempt.email)).all() == ["ny@x.se"]
    assert sorted(session.scalars(select(RateCounter.key))) == [
        "api:token:7",
        "other:x",
        "reset:address:10.0.0.1",
    ]


def test_a_pruned_counter_starts_again_at_one(app, session):
    limit = ratelimit.Limit("api:address:10.0.0.2", 2, int(app.config["API_RATE_WINDOW_SECONDS"]))
    earlier = NOW - timedelta(seconds=limit.window_seconds)
    assert ratelimit.hit(session, [limit], earlier) is None
    assert ratelimit.hit(session, [limit], earlier) is None
    session.commit()
    run_clock(app, NOW)
    assert session.get(RateCounter, limit.key) is None
    assert ratelimit.hit(session, [limit], NOW) is None
    assert ratelimit.hit(session, [limit], NOW) is None
    assert ratelimit.hit(session, [limit], NOW) is not None  # the third in one window
