"""Logging in and out through the browser pages."""

from __future__ import annotations


def test_login_page_is_swedish_and_labelled(client):
    response = client.get("/login")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="sv">' in html
    assert 'href="#innehall"' in html  # skip link
    assert '<label class="label" for="email">' in html
    assert '<label class="label" for="password">' in html
    assert 'name="csrf_token"' in html


def test_pages_need_a_login(client):
    for url in ("/", "/rapportera", "/mina-rapporter", "/arenden"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_login_works_and_shows_the_role_menu(client, auth, world):
    response = auth.login("sas@test.se")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    html = client.get("/").get_data(as_text=True)
    assert "Inloggad som Sas" in html
    assert 'href="/arenden"' in html
    assert 'action="/logout"' in html


def test_reporter_menu_has_no_case_list(client, auth, world):
    auth.login("reporter@test.se")
    html = client.get("/").get_data(as_text=True)
    assert 'href="/rapportera"' in html
    assert 'href="/mina-rapporter"' in html
    assert 'href="/arenden"' not in html


def test_wrong_password_is_refused(client, auth, world):
    response = auth.login("sas@test.se", "wrong")
    html = response.get_data(as_text=True)
    assert "Fel e-postadress eller lösenord." in html
    assert client.get("/").status_code == 302


def test_logout(client, auth, world):
    auth.login("sas@test.se")
    response = auth.logout()
    assert response.status_code == 302
    assert client.get("/").status_code == 302
