"""A user chooses the language of the pages on "Mitt konto"; nothing else changes it. What the
authority sends out of the system — the case's documents, mail — stays Swedish."""

from __future__ import annotations

from io import BytesIO

from flask import Flask
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import OutboxMail, User
from tests.factories import World, case_of


def _page(client, path: str = "/konto"):  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_choosing_english_then_swedish(client, auth, world: World, session: Session) -> None:  # type: ignore[no-untyped-def]
    auth.login(world.reporter.email)
    page = _page(client)
    assert '<html lang="sv">' in page
    assert "<h1>Mitt konto</h1>" in page
    # Each language is named in itself and marked with its language.
    assert '<label for="locale-en" lang="en">English</label>' in page
    assert '<label for="locale-sv" lang="sv">Svenska</label>' in page

    response = client.post("/konto", data={"locale": "en"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/konto")
    page = _page(client)
    assert '<html lang="en">' in page
    assert "<h1>My account</h1>" in page
    assert "The language is saved." in page  # said in the language just chosen
    assert 'value="en" checked' in page
    inbox = _page(client, "/")
    assert '<html lang="en">' in inbox
    assert "<h1>To do</h1>" in inbox
    session.expire_all()
    assert session.get(User, world.reporter.id).locale == "en"

    client.post("/konto", data={"locale": "sv"})
    page = _page(client)
    assert '<html lang="sv">' in page
    assert "Språket är sparat." in page
    session.expire_all()
    assert session.get(User, world.reporter.id).locale == "sv"
    # The choice is the user's alone: the others' pages are as they were.
    other = client.application.test_client()
    other.post("/login", data={"email": world.sas.email, "password": "password"})
    assert '<html lang="sv">' in _page(other, "/")


def test_an_unknown_language_is_refused(client, auth, world: World, session: Session) -> None:  # type: ignore[no-untyped-def]
    world.reporter.locale = "en"
    session.flush()
    auth.login(world.reporter.email)
    for data, message in (
        ({"locale": "de"}, "Choose one of the languages in the list."),
        ({}, "Make a choice."),
    ):
        response = client.post("/konto", data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert '<html lang="en">' in page
        assert 'role="alert"' in page  # the error summary, announced
        # Tied to the field: linked from the summary, and described by on the fieldset.
        assert f'<a href="#locale">Language: {message}</a>' in page
        assert 'aria-describedby="locale-hint locale-error"' in page
    session.expire_all()
    assert session.get(User, world.reporter.id).locale == "en"


def test_the_address_does_not_change_the_language(client, auth, world: World) -> None:  # type: ignore[no-untyped-def]
    # No ?lang=: a page's language is its reader's choice, not the link's.
    auth.login(world.reporter.email)
    assert '<html lang="sv">' in _page(client, "/?lang=en")


def test_signing_in_is_required(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/konto")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_case_documents_are_swedish_for_an_english_reader(
    client, auth, world: World, session: Session
) -> None:  # type: ignore[no-untyped-def]
    # The investigation is completed (and its PDF kept) by an SAS who reads English.
    world.sas.locale = "en"
    session.flush()
    case = case_of(session, world, "lex_sarah", "awaiting_decision")
    auth.login(world.sas.email)
    response = client.get(f"/arenden/{case.id}/dokument/investigation.pdf")
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.data)).pages)
    assert "Utredning" in text
    assert "Investigation" not in text
    assert "Sekretess enligt OSL 26 kap. 1 §" in text
    # The page around it is English.
    assert "Investigation (PDF)" in _page(client, f"/arenden/{case.id}")


def test_the_welcome_mail_is_swedish_whoever_writes_it(
    app: Flask, client, auth, world: World, session: Session
) -> None:  # type: ignore[no-untyped-def]
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    world.admin.locale = "en"
    session.flush()
    auth.login(world.admin.email)
    data = {
        "name": "Ny Person",
        "email": "ny@test.se",
        "title": "Titel",
        "employer": "",
        "roles": ["reporter"],
    }
    response = client.post("/admin/anvandare/ny", data=data)
    assert response.status_code == 302
    mail = session.scalars(select(OutboxMail).where(OutboxMail.to_address == "ny@test.se")).one()
    assert mail.subject == "Välkommen till Lexflöde: välj ditt lösenord"
    assert mail.body.startswith("Hej!")
    # The administrator's own confirmation is in English.
    assert "is added" in client.get(response.headers["Location"]).get_data(as_text=True)
