"""Signing in with a second factor through the pages: the password, then the code, then the
inbox; forced enrolment before anything else; wrong and replayed codes refused and counted
toward the lockout; recovery codes; break-glass sign-in; and Mitt konto's enrolment."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
import pytest
from flask import Flask
from sqlalchemy import select

from app.auth import second_factor as sf
from app.models import LoginAttempt, OutboxMail
from app.models.base import frozen_now
from tests.conftest import rolled_back_app
from tests.factories import make_world

T0 = datetime(2026, 3, 2, 8, 0, 10, tzinfo=UTC)
STEP = timedelta(seconds=30)
CODE_PAGE = "/inloggning/kod"
ENROL_PAGE = "/inloggning/tvastegsverifiering"
LOCKED = "Inloggningen är tillfälligt spärrad"


@pytest.fixture
def totp_app(migrated: str, tmp_path: Path) -> Iterator[Flask]:
    with rolled_back_app(migrated, tmp_path, TOTP_REQUIRED=True) as app:
        yield app


@pytest.fixture
def world(totp_app, session):  # type: ignore[no-untyped-def]
    return make_world(session)


@pytest.fixture
def session(totp_app):  # type: ignore[no-untyped-def]
    from app import db

    return db.session()


@pytest.fixture
def client(totp_app):  # type: ignore[no-untyped-def]
    return totp_app.test_client()


def password(client, email: str, pw: str = "password", **kwargs):  # type: ignore[no-untyped-def]
    return client.post("/login", data={"email": email, "password": pw}, **kwargs)


def code(client, value: str):  # type: ignore[no-untyped-def]
    return client.post(CODE_PAGE, data={"code": value})


def enrol(session, user, at: datetime) -> tuple[pyotp.TOTP, list[str]]:  # type: ignore[no-untyped-def]
    factor = sf.begin_enrolment(session, user, at)
    totp = pyotp.TOTP(factor.secret)
    return totp, sf.confirm_enrolment(session, user, totp.at(at), at)


def signed_in(client) -> bool:  # type: ignore[no-untyped-def]
    return client.get("/").status_code == 200


def failures(session, email: str) -> int:  # type: ignore[no-untyped-def]
    return len(
        session.scalars(
            select(LoginAttempt.id).where(
                LoginAttempt.email == email, LoginAttempt.succeeded.is_(False)
            )
        ).all()
    )


# --- sign-in with a code -----------------------------------------------------------------------


def test_password_then_code_then_the_inbox(client, session, world):
    totp, _codes = enrol(session, world.sas, T0 - 10 * STEP)
    response = password(client, "sas@test.se")
    assert response.status_code == 302
    assert response.headers["Location"] == CODE_PAGE
    # The password alone signs no one in.
    assert not signed_in(client)
    page = client.get(CODE_PAGE).get_data(as_text=True)
    assert "Ange koden" in page
    assert 'autocomplete="one-time-code"' in page
    response = code(client, totp.now())
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Inloggad som Sas" in client.get("/").get_data(as_text=True)


def test_the_page_asked_for_is_kept_through_the_code(client, session, world):
    totp, _codes = enrol(session, world.sas, T0 - 10 * STEP)
    password(client, "sas@test.se", query_string={"next": "/konto"})
    assert code(client, totp.now()).headers["Location"] == "/konto"


def test_a_wrong_code_is_refused_and_counted_as_a_failed_login(client, session, world):
    totp, _codes = enrol(session, world.sas, T0 - 10 * STEP)
    password(client, "sas@test.se")
    wrong = f"{(int(totp.now()) + 1) % 1_000_000:06d}"
    response = code(client, wrong)
    # 200: the failure recorded must be committed with the answer.
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Koden stämmer inte." in page
    assert 'role="alert"' in page
    assert not signed_in(client)
    assert failures(session, "sas@test.se") == 1


def test_a_code_used_once_does_not_sign_in_again(client, session, world):
    with frozen_now(T0):
        totp, _codes = enrol(session, world.sas, T0 - 10 * STEP)
        password(client, "sas@test.se")
        used = totp.at(T0)
        assert code(client, used).status_code == 302
        client.post("/logout")
        password(client, "sas@test.se")
        response = code(client, used)
    assert "Koden används redan." in response.get_data(as_text=True)
    assert not signed_in(client)
    assert failures(session, "sas@test.se") == 1


def test_wrong_codes_lock_the_account_out_and_a_right_password_does_not_clear_them(
    client, session, world
):
    limit = client.application.config["LOGIN_MAX_FAILURES_PER_EMAIL"]
    with frozen_now(T0):
        totp, _codes = enrol(session, world.sas, T0 - 10 * STEP)
        wrong = f"{(int(totp.at(T0)) + 1) % 1_000_000:06d}"
    for n in range(limit):
        with frozen_now(T0 + timedelta(seconds=n)):
            # The password again each time: a right password is no success on its own.
            assert password(client, "sas@test.se").headers["Location"] == CODE_PAGE
            assert code(client, wrong).status_code == 200
    with frozen_now(T0 + timedelta(seconds=limit)):
        # Locked: now even the password step says so, and so does the right code.
        assert LOCKED in password(client, "sas@test.se").get_data(as_text=True)
    assert failures(session, "sas@test.se") == limit


def test_the_code_page_itself_refuses_while_locked_out(client, session, world):
    limit = client.application.config["LOGIN_MAX_FAILURES_PER_EMAIL"]
    with frozen_now(T0):
        totp, _codes = enrol(session, world.sas, T0 - 10 * STEP)
        password(client, "sas@test.se")
        wrong = f"{(int(totp.at(T0)) + 1) % 1_000_000:06d}"
        for _n in range(limit):
            code(client, wrong)
        response = code(client, totp.at(T0))
    assert response.status_code == 429
    assert LOCKED in response.get_data(as_text=True)
    assert not signed_in(client)


def test_a_recovery_code_signs_in_once(client, session, world):
    _totp, codes = enrol(session, world.sas, T0 - 10 * STEP)
    password(client, "sas@test.se")
    response = code(client, codes[0])
    assert response.status_code == 302
    assert "Du har 9 koder kvar." in client.get("/").get_data(as_text=True)
    client.post("/logout")
    password(client, "sas@test.se")
    assert "Koden stämmer inte." in code(client, codes[0]).get_data(as_text=True)
    assert not signed_in(client)


def test_the_code_step_expires(client, session, world):
    with frozen_now(T0):
        totp, _codes = enrol(session, world.sas, T0 - 10 * STEP)
        password(client, "sas@test.se")
    later = T0 + timedelta(minutes=11)
    with frozen_now(later):
        response = code(client, totp.at(later))
    assert response.headers["Location"] == "/login"
    with frozen_now(later):
        assert not signed_in(client)


def test_a_changed_password_ends_the_code_step(client, session, world):
    from app.auth.passwords import hash_password

    totp, _codes = enrol(session, world.sas, T0 - 10 * STEP)
    password(client, "sas@test.se")
    world.sas.password_hash = hash_password("ett annat långt lösenord")
    session.flush()
    assert code(client, totp.now()).headers["Location"] == "/login"


def test_an_enrolled_user_gives_the_code_even_when_not_required(client, session, world):
    client.application.config["TOTP_REQUIRED"] = False
    totp, _codes = enrol(session, world.reporter, T0 - 10 * STEP)
    assert password(client, "reporter@test.se").headers["Location"] == CODE_PAGE
    assert code(client, totp.now()).status_code == 302
    assert signed_in(client)


# --- forced enrolment --------------------------------------------------------------------------


def test_enrolment_is_forced_before_anything_else(client, session, world):
    response = password(client, "sas@test.se")
    assert response.headers["Location"] == ENROL_PAGE
    for url in ("/", "/arenden", "/konto"):
        assert client.get(url).headers["Location"].startswith("/login"), url
    page = client.get(ENROL_PAGE).get_data(as_text=True)
    assert "Ställ in tvåstegsverifiering" in page
    assert 'src="data:image/svg+xml' in page
    factor = sf.factor_of(session, world.sas)
    assert factor is not None
    assert sf.readable_secret(factor.secret) in page
    # The same secret on the next load: the phone keeps the first one.
    assert sf.readable_secret(factor.secret) in client.get(ENROL_PAGE).get_data(as_text=True)

    wrong = client.post(ENROL_PAGE, data={"code": "12345x"})
    assert wrong.status_code == 422
    assert "Koden stämmer inte." in wrong.get_data(as_text=True)
    # What the database cannot store is refused in words before it gets there.
    unstorable = client.post(ENROL_PAGE, data={"code": "1\x002"})
    assert unstorable.status_code == 422
    assert "error-summary" in unstorable.get_data(as_text=True)
    assert not signed_in(client)

    totp = pyotp.TOTP(factor.secret)
    done = client.post(ENROL_PAGE, data={"code": totp.now()})
    assert done.status_code == 200
    page = done.get_data(as_text=True)
    assert "Dina återställningskoder" in page
    shown = re.findall(r"<code>([a-z2-7]{4}(?:-[a-z2-7]{4}){3})</code>", page)
    assert len(shown) == 10
    assert signed_in(client)
    session.expire_all()
    assert sf.enrolled(session, world.sas)

    # Next time the code is asked for, and a recovery code shown at enrolment works.
    client.post("/logout")
    assert password(client, "sas@test.se").headers["Location"] == CODE_PAGE
    assert code(client, shown[5]).status_code == 302
    assert signed_in(client)


def test_the_reporter_is_not_made_to_enrol(client, world):
    assert password(client, "reporter@test.se").headers["Location"] == "/"
    assert signed_in(client)


def test_a_role_granted_during_a_session_sends_it_to_enrolment(client, session, world):
    assert password(client, "reporter@test.se").headers["Location"] == "/"
    world.reporter.set_roles(["reporter", "sas"])
    session.flush()
    response = client.get("/mina-rapporter")
    assert response.headers["Location"] == "/konto/tvastegsverifiering"
    page = client.get("/konto/tvastegsverifiering").get_data(as_text=True)
    factor = sf.factor_of(session, world.reporter)
    assert sf.readable_secret(factor.secret) in page
    done = client.post("/konto/tvastegsverifiering", data={"code": pyotp.TOTP(factor.secret).now()})
    assert "Dina återställningskoder" in done.get_data(as_text=True)
    assert client.get("/mina-rapporter").status_code == 200


# --- Mitt konto --------------------------------------------------------------------------------


def test_mitt_konto_sets_it_up_and_makes_new_recovery_codes(client, session, world):
    password(client, "reporter@test.se")
    page = client.get("/konto").get_data(as_text=True)
    assert "Tvåstegsverifiering är inte påslagen." in page
    assert 'href="/konto/tvastegsverifiering"' in page
    client.get("/konto/tvastegsverifiering")
    totp = pyotp.TOTP(sf.factor_of(session, world.reporter).secret)
    with frozen_now(T0):
        client.post("/konto/tvastegsverifiering", data={"code": totp.at(T0)})
    page = client.get("/konto").get_data(as_text=True)
    assert "Tvåstegsverifiering är på" in page
    assert "Du har 10 oanvända återställningskoder." in page

    empty = client.post("/konto/aterstallningskoder", data={"code": ""})
    assert empty.status_code == 422
    assert "Fältet måste fyllas i." in empty.get_data(as_text=True)
    refused = client.post("/konto/aterstallningskoder", data={"code": "123"})
    assert refused.headers["Location"].endswith("/konto#tvastegsverifiering")
    with frozen_now(T0 + STEP):
        fresh = client.post("/konto/aterstallningskoder", data={"code": totp.at(T0 + STEP)})
    assert len(re.findall(r"<code>", fresh.get_data(as_text=True))) == 10


# --- LOCAL_SIGN_IN = break_glass ---------------------------------------------------------------


def test_break_glass_leaves_the_password_to_the_listed_admin(client, session, world):
    config = client.application.config
    config["LOCAL_SIGN_IN"] = "break_glass"
    config["BREAK_GLASS_EMAILS"] = ["admin@test.se"]
    refused = password(client, "sas@test.se")
    assert "Logga in med kommunens inloggning." in refused.get_data(as_text=True)
    assert not signed_in(client)
    # The listed administrator signs in with the password, and then a second factor.
    assert password(client, "admin@test.se").headers["Location"] == ENROL_PAGE
    # No reset mail for an address that may not use a password.
    client.post("/glomt-losenord", data={"email": "sas@test.se"})
    mails = session.scalars(select(OutboxMail).where(OutboxMail.to_address == "sas@test.se"))
    assert list(mails) == []


# --- the administrator's reset -----------------------------------------------------------------


def test_the_admin_resets_a_lost_second_factor_and_it_is_logged(client, session, world, caplog):
    import logging

    client.application.config["TOTP_REQUIRED"] = False  # the admin signs in with a password
    _totp, codes = enrol(session, world.sas, T0 - 10 * STEP)
    generation = world.sas.session_generation
    password(client, "admin@test.se")
    page = client.get(f"/admin/anvandare/{world.sas.id}").get_data(as_text=True)
    assert "Nollställ tvåstegsverifieringen" in page
    with caplog.at_level(logging.INFO, logger="lexflode.admin"):
        response = client.post(f"/admin/anvandare/{world.sas.id}/tvastegsverifiering")
    assert response.status_code == 302
    assert "är nollställd" in client.get(response.headers["Location"]).get_data(as_text=True)
    session.expire_all()
    assert not sf.enrolled(session, world.sas)
    assert sf.verify(session, world.sas, codes[0], T0) is sf.Verdict.WRONG
    # Sessions signed in with the old factor end.
    assert world.sas.session_generation == generation + 1
    assert "reset the second factor of user sas@test.se" in caplog.text


def test_the_admin_cannot_reset_their_own_nor_can_anyone_else(client, session, world):
    totp, _codes = enrol(session, world.admin, T0 - 10 * STEP)
    client.application.config["TOTP_REQUIRED"] = False
    password(client, "sas@test.se")
    assert client.post(f"/admin/anvandare/{world.admin.id}/tvastegsverifiering").status_code == 403
    client.post("/logout")
    password(client, "admin@test.se")
    code(client, totp.now())
    page = client.get(f"/admin/anvandare/{world.admin.id}").get_data(as_text=True)
    assert "Du kan inte nollställa din egen tvåstegsverifiering." in page
    response = client.post(f"/admin/anvandare/{world.admin.id}/tvastegsverifiering")
    assert "Be en annan systemförvaltare" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    session.expire_all()
    assert sf.enrolled(session, world.admin)
