"""Forgotten password: the same answer for every address, a mail with a one-hour, single-use link
for a known active account (delivered by the real outbox to a real SMTP server), and a password
policy with Swedish field errors."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from app.auth import reset
from app.models import OutboxMail
from app.models.base import frozen_now
from notifications.outbox import deliver
from tests.clock.smtp import MailServer

from .conftest import page_text

SAME_ANSWER = "Om adressen finns skickar vi ett mejl med en länk."
NEW_PASSWORD = "tre gröna äpplen på taket"
LINK = re.compile(r"^http://localhost:5000/nytt-losenord/(\S+)$", re.M)


@pytest.fixture
def server():  # type: ignore[no-untyped-def]
    server = MailServer().start()
    yield server
    server.stop()


def outbox(session) -> list[OutboxMail]:  # type: ignore[no-untyped-def]
    session.expire_all()
    return list(session.scalars(select(OutboxMail).order_by(OutboxMail.id)))


def ask(client, email: str):  # type: ignore[no-untyped-def]
    return client.post("/glomt-losenord", data={"email": email})


def token_for(session) -> str:  # type: ignore[no-untyped-def]
    [mail] = [m for m in outbox(session) if m.dedupe_key.startswith("password_reset:")]
    match = LINK.search(mail.body)
    assert match, mail.body
    return match.group(1)


def set_new(client, token: str, password: str = NEW_PASSWORD, confirm: str | None = None):  # type: ignore[no-untyped-def]
    return client.post(
        f"/nytt-losenord/{token}",
        data={"password": password, "confirm": password if confirm is None else confirm},
    )


# --- no enumeration ----------------------------------------------------------------------------


def test_known_unknown_and_deactivated_addresses_get_the_same_answer(client, world, session):
    world.mas.active = False
    session.flush()
    answers = []
    for email in ("sas@test.se", "finns.inte@test.se", "mas@test.se"):
        response = ask(client, email)
        page = client.get(response.headers["Location"])
        answers.append((response.status_code, response.headers["Location"], page_text(page)))
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][:2] == (302, "/login")
    assert SAME_ANSWER in answers[0][2]
    # Only the known, active account gets a mail.
    assert [m.to_address for m in outbox(session)] == ["sas@test.se"]


def test_the_form_keeps_what_was_typed_and_says_what_is_missing(client, world):
    response = client.post("/glomt-losenord", data={"email": ""})
    assert response.status_code == 200
    assert "Fältet måste fyllas i." in response.get_data(as_text=True)
    long = "x" * 250 + "@test.se"
    html = client.post("/glomt-losenord", data={"email": long}).get_data(as_text=True)
    assert "Adressen är för lång." in html
    assert f'value="{long}"' in html


def test_asking_again_and_again_sends_one_mail_per_five_minutes(client, world, session):
    start = datetime(2026, 3, 2, 8, 1, tzinfo=UTC)
    for seconds in (0, 10, 60, 200):
        with frozen_now(start + timedelta(seconds=seconds)):
            assert ask(client, "sas@test.se").status_code == 302
    assert len(outbox(session)) == 1
    with frozen_now(start + timedelta(minutes=5)):
        ask(client, "sas@test.se")
    assert len(outbox(session)) == 2


def test_the_link_goes_to_the_configured_address_not_the_requests_host(app, client, world, session):
    app.config["BASE_URL"] = "https://lexflode.exempelby.se"
    client.post(
        "/glomt-losenord", data={"email": "sas@test.se"}, headers={"Host": "angripare.example"}
    )
    [mail] = outbox(session)
    assert "https://lexflode.exempelby.se/nytt-losenord/" in mail.body
    assert "angripare" not in mail.body


# --- the whole way, through a real SMTP server -------------------------------------------------


def test_reset_end_to_end_with_the_link_from_the_mail(client, auth, world, session, server):
    assert ask(client, "sas@test.se").status_code == 302
    report = deliver(session, datetime.now(UTC), server.settings)
    assert (report.sent, report.failed) == (1, 0)
    [message] = server.received
    assert message["To"] == "sas@test.se"
    assert message["Subject"] == "Lexflöde: välj ett nytt lösenord"
    body = message.get_content()
    # The link and nothing of the person: not even the name.
    assert world.sas.name not in body
    url = LINK.search(body.replace("\r\n", "\n"))
    assert url, body
    path = urlsplit(url.group(0)).path

    page = client.get(path)
    assert page.status_code == 200
    assert "Välj ett nytt lösenord" in page.get_data(as_text=True)
    done = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.headers["Location"] == "/login"
    assert "Lösenordet är bytt." in client.get("/login").get_data(as_text=True)

    assert auth.login("sas@test.se", "password").status_code == 200  # the old one: refused
    assert auth.login("sas@test.se", NEW_PASSWORD).status_code == 302
    auth.logout()

    # Used once: the same link no longer works.
    again = client.get(path)
    assert again.status_code == 400
    assert "Länken gäller inte" in again.get_data(as_text=True)
    assert set_new(client, path.rsplit("/", 1)[1], "ännu ett annat lösenord").status_code == 400

    # And the owner is told that the password changed.
    deliver(session, datetime.now(UTC), server.settings)
    assert server.received[-1]["Subject"] == "Lexflöde: ditt lösenord har bytts"


def test_the_link_expires_after_an_hour(client, world, session):
    ask(client, "sas@test.se")
    token = token_for(session)
    with frozen_now(datetime.now(UTC) + timedelta(minutes=59)):
        assert client.get(f"/nytt-losenord/{token}").status_code == 200
    with frozen_now(datetime.now(UTC) + timedelta(minutes=61)):
        assert client.get(f"/nytt-losenord/{token}").status_code == 400
        assert set_new(client, token).status_code == 400
    session.refresh(world.sas)
    assert reset.user_for_token(session, token, datetime.now(UTC)) == world.sas


def test_a_forged_or_foreign_token_is_refused(client, world, session):
    ask(client, "sas@test.se")
    token = token_for(session)
    payload, rest = token.split(".", 1)
    assert client.get(f"/nytt-losenord/{payload}.x{rest}").status_code == 400
    assert client.get("/nytt-losenord/inte-en-token").status_code == 400
    # A token of one user's, with the id changed to another's, fails its signature.
    from itsdangerous import URLSafeTimedSerializer

    forged = URLSafeTimedSerializer("not-the-secret", salt=reset.SALT).dumps(world.admin.id)
    assert client.get(f"/nytt-losenord/{forged}").status_code == 400


def test_a_deactivated_account_cannot_use_its_link(client, world, session):
    ask(client, "sas@test.se")
    token = token_for(session)
    world.sas.active = False
    session.flush()
    assert client.get(f"/nytt-losenord/{token}").status_code == 400


# --- the password policy -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("kort", "kort", "Lösenordet måste ha minst 12 tecken."),
        ("sas@test.se", "sas@test.se", "Lösenordet måste ha minst 12 tecken."),
        (
            "mitt sas@test.se!",
            "mitt sas@test.se!",
            "Lösenordet får inte innehålla din e-postadress.",
        ),
        ("x" * 129, "x" * 129, "Lösenordet får ha högst 128 tecken."),
        (NEW_PASSWORD, "något annat", "Lösenorden stämmer inte överens."),
        ("", "", "Fältet måste fyllas i."),
    ],
)
def test_the_new_password_must_meet_the_policy(client, world, session, password, confirm, message):
    ask(client, "sas@test.se")
    token = token_for(session)
    before = world.sas.password_hash
    response = set_new(client, token, password, confirm)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    # Passwords are never written back into the page.
    assert f'value="{password}"' not in html or not password
    session.refresh(world.sas)
    assert world.sas.password_hash == before
    # The link still works for a better try.
    assert set_new(client, token).status_code == 302


def test_a_reset_ends_the_sessions_signed_in_with_the_old_password(
    client, auth, app, world, session
):
    other = app.test_client()
    assert (
        other.post("/login", data={"email": "sas@test.se", "password": "password"}).status_code
        == 302
    )
    assert other.get("/").status_code == 200
    ask(client, "sas@test.se")
    assert set_new(client, token_for(session)).status_code == 302
    assert other.get("/").status_code == 302
