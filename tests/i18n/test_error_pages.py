"""An error a page ends in is the site's own page, in the reader's language, not Werkzeug's
English one; under /api/ it stays JSON."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from tests.factories import World


@pytest.fixture
def crashing(app: Flask) -> Flask:
    def boom() -> str:
        raise RuntimeError("a bug")

    # Before the first request, while routes may still be added; shown as a server would show it.
    app.add_url_rule("/krasch", view_func=boom)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


@pytest.mark.parametrize(
    ("method", "path", "status", "heading"),
    [
        ("GET", "/finns-inte", 404, "Sidan finns inte"),
        # A step's address reloaded in the address bar: GET on a POST-only URL.
        ("GET", "/logout", 405, "Något gick fel"),
        ("GET", "/krasch", 500, "Något gick fel"),
    ],
)
def test_error_pages_are_the_sites_own(
    crashing: Flask, client, auth, world: World, method: str, path: str, status: int, heading: str
) -> None:  # type: ignore[no-untyped-def]
    auth.login(world.reporter.email)
    response = client.open(path, method=method)
    page = response.get_data(as_text=True)
    assert response.status_code == status
    assert '<html lang="sv">' in page
    assert f"<h1>{heading}</h1>" in page
    assert "Not Found" not in page
    assert "Method Not Allowed" not in page


def test_error_pages_follow_the_readers_language(
    client, auth, world: World, session: Session
) -> None:  # type: ignore[no-untyped-def]
    world.reporter.locale = "en"
    session.flush()
    auth.login(world.reporter.email)
    page = client.get("/finns-inte").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "<h1>The page does not exist</h1>" in page


@pytest.mark.parametrize(("method", "status"), [("GET", 404), ("DELETE", 405)])
def test_the_api_still_answers_json(client, method: str, status: int) -> None:  # type: ignore[no-untyped-def]
    path = "/api/v1/finns-inte" if status == 404 else "/api/v1/cases"
    response = client.open(path, method=method)
    assert response.status_code == status
    assert response.is_json
