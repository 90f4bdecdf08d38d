"""The tillgänglighetsredogörelse: public, in DIGG's structure, naming the municipality, and
linked from every page's footer (the browser tests check the pages themselves with axe)."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

DIGG_SECTIONS = (
    "Hur tillgänglig är tjänsten?",
    "Innehåll som inte är tillgängligt",
    "Vad kan du göra om du inte kan använda delar av tjänsten?",
    "Rapportera brister i tjänstens tillgänglighet",
    "Tillsyn",
    "Hur vi testat tjänsten",
)


def test_statement_is_public_and_follows_diggs_structure(app: Flask, client: FlaskClient) -> None:
    app.config["MUNICIPALITY_NAME"] = "Mellanbygdens kommun"
    response = client.get("/tillganglighet")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<title>Tillgänglighetsredogörelse – Lexflöde</title>" in html
    assert "Mellanbygdens kommun står bakom Lexflöde" in html
    headings = re.findall(r"<h2 id=\"[^\"]+\">([^<]+)</h2>", html)
    assert headings == list(DIGG_SECTIONS)
    assert "delvis förenlig med lagen om tillgänglighet till digital offentlig service" in html
    assert 'href="https://www.digg.se/anmal-bristande-tillganglighet"' in html
    assert "axe-core" in html
    assert re.search(r"Redogörelsen uppdaterades senast den \d{4}-\d{2}-\d{2}\.", html)
    # With no contact address configured, readers are sent to the system administrator.
    assert "Kontakta systemförvaltaren för Lexflöde i Mellanbygdens kommun." in html
    assert "mailto:" not in html


def test_statement_gives_the_configured_contact_as_a_mail_link(
    app: Flask, client: FlaskClient
) -> None:
    app.config["ACCESSIBILITY_CONTACT"] = "tillganglighet@exempelby.se"
    html = client.get("/tillganglighet").get_data(as_text=True)
    link = '<a href="mailto:tillganglighet@exempelby.se">tillganglighet@exempelby.se</a>'
    assert html.count(f"Skriv till {link}.") == 2


def test_every_page_links_the_statement_in_its_footer(client: FlaskClient) -> None:
    html = client.get("/login").get_data(as_text=True)
    footer = html[html.index("<footer") :]
    assert '<a href="/tillganglighet">Tillgänglighetsredogörelse</a>' in footer
