"""Login throttling and temporary lockout, counted in LoginAttempt rows, under a frozen clock;
and no user enumeration: a known and an unknown e-mail get the same answer, locked or not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.auth.throttle import Limits, lock_end
from app.models import LoginAttempt
from app.models.base import frozen_now

from .conftest import page_text

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
WRONG = "Fel e-postadress eller lösenord."
LOCKED = "Inloggningen är tillfälligt spärrad efter för många misslyckade försök."


def attempt(client, email: str, password: str, at: datetime, address: str = "10.0.0.1"):  # type: ignore[no-untyped-def]
    with frozen_now(at):
        return client.post(
            "/login",
            data={"email": email, "password": password},
            environ_base={"REMOTE_ADDR": address},
        )


def fail(client, email: str, times: int, at: datetime, address: str = "10.0.0.1") -> None:  # type: ignore[no-untyped-def]
    for n in range(times):
        response = attempt(client, email, "fel", at + timedelta(seconds=n), address)
        assert response.status_code == 200
        assert WRONG in response.get_data(as_text=True)


def attempts(session, email: str) -> list[tuple[bool, str]]:  # type: ignore[no-untyped-def]
    rows = session.scalars(
        select(LoginAttempt).where(LoginAttempt.email == email).order_by(LoginAttempt.id)
    )
    return [(row.succeeded, row.address) for row in rows]


# --- the rule, as a plain function -------------------------------------------------------------


def test_lock_end_needs_the_limit_within_the_window():
    limits = Limits(per_email=3, window=timedelta(minutes=15), lockout=timedelta(minutes=15))
    spread = [T0, T0 + timedelta(minutes=10), T0 + timedelta(minutes=20)]
    assert lock_end(spread, 3, limits) is None
    close = [T0, T0 + timedelta(minutes=5), T0 + timedelta(minutes=14)]
    assert lock_end(close, 3, limits) == T0 + timedelta(minutes=29)
    assert lock_end(close[:2], 3, limits) is None


# --- through the login page --------------------------------------------------------------------


def test_five_failures_lock_the_email_even_for_the_right_password(client, world, session):
    fail(client, "sas@test.se", 5, T0)
    locked = attempt(client, "sas@test.se", "password", T0 + timedelta(minutes=1))
    assert locked.status_code == 429
    html = locked.get_data(as_text=True)
    assert LOCKED in html
    assert "Försök igen om 15 minuter." in html
    assert locked.headers["Retry-After"] == "900"
    assert 'name="email"' in html  # the form is still there
    # Refused attempts are not counted: the lockout ends when it said it would.
    assert len(attempts(session, "sas@test.se")) == 5
    with client.session_transaction() as cookie:
        assert "_user_id" not in cookie


def test_the_lock_lifts_after_fifteen_minutes(client, world):
    fail(client, "sas@test.se", 5, T0)
    assert attempt(client, "sas@test.se", "password", T0 + timedelta(minutes=14)).status_code == 429
    response = attempt(client, "sas@test.se", "password", T0 + timedelta(minutes=15, seconds=5))
    assert response.status_code == 302


def test_the_lock_is_per_email_not_for_everyone(client, world):
    fail(client, "sas@test.se", 5, T0, address="10.0.0.1")
    # Another person at another address logs in as usual.
    assert attempt(client, "mas@test.se", "password", T0, address="10.0.0.2").status_code == 302
    # The locked e-mail stays locked from any address.
    assert attempt(client, "sas@test.se", "password", T0, address="10.0.0.3").status_code == 429


def test_a_successful_login_starts_the_count_afresh(client, auth, world, session):
    fail(client, "sas@test.se", 4, T0)
    assert attempt(client, "sas@test.se", "password", T0 + timedelta(minutes=1)).status_code == 302
    client.post("/logout")
    fail(client, "sas@test.se", 4, T0 + timedelta(minutes=2))
    assert attempt(client, "sas@test.se", "password", T0 + timedelta(minutes=3)).status_code == 302
    assert [ok for ok, _ in attempts(session, "sas@test.se")] == [False] * 4 + [True] + [
        False
    ] * 4 + [True]


def test_thirty_colleagues_behind_one_address_are_not_locked_out(client, session, world):
    """A town hall behind one NAT address: 30 people each mistype twice, then sign in. Under the
    old rule (20 failures per address) the 21st failure locked everyone out."""
    from werkzeug.security import generate_password_hash

    from app.models import User
    from tests.factories import CHEAP_HASH_METHOD

    hashed = generate_password_hash("password", method=CHEAP_HASH_METHOD)
    staff = [
        User(email=f"personal{n}@test.se", name=f"Personal {n}", password_hash=hashed)
        for n in range(30)
    ]
    session.add_all(staff)
    session.flush()
    at = T0
    for person in staff:
        fail(client, person.email, 2, at, address="10.50.0.1")
        at += timedelta(seconds=2)
        response = attempt(client, person.email, "password", at, address="10.50.0.1")
        assert response.status_code == 302, person.email
        client.post("/logout")
        at += timedelta(seconds=1)
    assert len(attempts(session, staff[-1].email)) == 3


def test_one_account_guessed_from_one_address_is_locked_there(client, world):
    fail(client, "sas@test.se", 5, T0, address="10.9.9.9")
    locked = attempt(client, "sas@test.se", "password", T0 + timedelta(minutes=1), "10.9.9.9")
    assert locked.status_code == 429
    # The address is not locked for the others behind it.
    assert attempt(client, "mas@test.se", "password", T0, address="10.9.9.9").status_code == 302


def test_the_owners_logins_elsewhere_do_not_give_a_guesser_fresh_tries(client, world):
    """A success resets the e-mail's count; it does not reset another address's count for that
    e-mail, or someone guessing from 10.6.6.6 would get five more tries each time the owner
    signs in at work."""
    fail(client, "sas@test.se", 3, T0, address="10.6.6.6")
    owner = attempt(client, "sas@test.se", "password", T0 + timedelta(minutes=1), "10.0.0.1")
    assert owner.status_code == 302
    client.post("/logout")
    fail(client, "sas@test.se", 2, T0 + timedelta(minutes=2), address="10.6.6.6")
    guess = attempt(client, "sas@test.se", "password", T0 + timedelta(minutes=3), "10.6.6.6")
    assert guess.status_code == 429
    # The owner, at work, is not locked out by it.
    owner = attempt(client, "sas@test.se", "password", T0 + timedelta(minutes=3), "10.0.0.1")
    assert owner.status_code == 302


def test_the_ceiling_locks_an_address_that_tries_many_accounts(app, client, world):
    """One password tried on many accounts from one address: never five on one e-mail, but the
    address's total reaches LOGIN_MAX_FAILURES_PER_ADDRESS (200 by default)."""
    assert app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] == 200
    for n in range(199):
        fail(client, f"gissning{n}@test.se", 1, T0 + timedelta(seconds=n), address="10.9.9.9")
    at = T0 + timedelta(minutes=4)
    # 199 failures: still open (here, for a right password).
    assert attempt(client, "sas@test.se", "password", at, "10.9.9.9").status_code == 302
    client.post("/logout")
    fail(client, "gissning-sista@test.se", 1, at, address="10.9.9.9")
    blocked = attempt(client, "mas@test.se", "password", at + timedelta(seconds=1), "10.9.9.9")
    assert blocked.status_code == 429
    assert LOCKED in blocked.get_data(as_text=True)
    # Elsewhere nothing is locked.
    assert attempt(client, "mas@test.se", "password", at, "10.0.0.2").status_code == 302


def test_an_unknown_email_is_locked_the_same_way(client, world):
    fail(client, "finns.inte@test.se", 5, T0)
    assert attempt(client, "finns.inte@test.se", "x", T0).status_code == 429


def normalised(response, email: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    return response.status_code, page_text(response, email)


def test_known_and_unknown_emails_get_the_same_answer(client, world):
    known = attempt(client, "sas@test.se", "fel", T0)
    unknown = attempt(client, "finns.inte@test.se", "fel", T0)
    assert normalised(known, "sas@test.se") == normalised(unknown, "finns.inte@test.se")
    assert known.status_code == 200
    assert WRONG in known.get_data(as_text=True)


def test_a_deactivated_account_gets_the_same_answer_as_a_wrong_password(client, world, session):
    world.mas.active = False
    session.flush()
    inactive = attempt(client, "mas@test.se", "password", T0)
    unknown = attempt(client, "finns.inte@test.se", "password", T0)
    assert normalised(inactive, "mas@test.se") == normalised(unknown, "finns.inte@test.se")


def test_locked_known_and_unknown_emails_get_the_same_answer(client, world):
    fail(client, "sas@test.se", 5, T0)
    fail(client, "finns.inte@test.se", 5, T0)
    known = attempt(client, "sas@test.se", "password", T0 + timedelta(minutes=1))
    unknown = attempt(client, "finns.inte@test.se", "password", T0 + timedelta(minutes=1))
    assert known.status_code == unknown.status_code == 429
    assert normalised(known, "sas@test.se") == normalised(unknown, "finns.inte@test.se")
    assert known.headers["Retry-After"] == unknown.headers["Retry-After"]


def test_every_attempt_is_recorded_with_its_address(client, world, session):
    attempt(client, "SAS@test.se ", "fel", T0, address="10.1.2.3")
    attempt(client, "sas@test.se", "password", T0, address="10.1.2.3")
    assert attempts(session, "sas@test.se") == [(False, "10.1.2.3"), (True, "10.1.2.3")]
