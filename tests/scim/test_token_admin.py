"""The SCIM token: made by `flask scim token rotate` or on the admin's page, shown once, stored
hashed, and only the admin reaches the page."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.models import ScimToken, hash_token


def _works(client, token: str) -> bool:
    response = client.get("/scim/v2/Users", headers={"Authorization": f"Bearer {token}"})
    return response.status_code == 200  # type: ignore[no-any-return]


def test_flask_scim_token_rotate_prints_a_token_that_works(app, client, session, world):
    runner = app.test_cli_runner()
    assert "No SCIM token" in runner.invoke(args=["scim", "token", "show"]).output
    first = runner.invoke(args=["scim", "token", "rotate"])
    assert first.exit_code == 0, first.output
    token = first.output.strip()
    assert token.startswith("scim_")
    assert _works(client, token)

    session.expire_all()
    rows = session.scalars(select(ScimToken)).all()
    assert [r.token_hash for r in rows] == [hash_token(token)]
    assert "Created " in runner.invoke(args=["scim", "token", "show"]).output

    second = runner.invoke(args=["scim", "token", "rotate"]).output.strip()
    assert second != token
    assert not _works(client, token)
    assert _works(client, second)


def test_the_admin_page_makes_a_token_and_shows_it_once(client, auth, world):
    auth.login("admin@test.se")
    page = client.get("/admin/scim").get_data(as_text=True)
    assert "Ingen token ännu" in page
    assert "http://localhost:5000/scim/v2" in page
    assert "Skapa ny token" in page
    assert 'href="/admin/scim"' in client.get("/admin").get_data(as_text=True)

    made = client.post("/admin/scim/token")
    assert made.status_code == 200
    shown = re.search(r'value="(scim_[^"]+)"', made.get_data(as_text=True))
    assert shown is not None
    token = shown.group(1)
    assert _works(client, token)

    again = client.get("/admin/scim").get_data(as_text=True)
    assert token not in again
    assert "Ingen token ännu" not in again
    assert "av Admin" in again


def test_only_the_admin_reaches_the_page(client, auth, world):
    auth.login("sas@test.se")
    assert client.get("/admin/scim").status_code == 403
    assert client.post("/admin/scim/token").status_code == 403
    assert (
        not client.application.extensions["lexflode_test_bind"]
        .execute(select(ScimToken.id))
        .first()
    )
