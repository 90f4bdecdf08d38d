"""The same figures on the page, in the CSV, in the PDF and in the API; only for the SAS, the MAS
and the committee chair."""

from __future__ import annotations

import csv
import io

import pytest
from pypdf import PdfReader

from tests.api_client import Api, error_of
from tests.test_statistics_figures import build


@pytest.fixture
def data(session, world):
    return build(session, world)


def test_the_page_shows_the_figures_with_charts(client, auth, world, data):
    auth.login(world.sas.email)
    response = client.get("/statistik?year=2026")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Statistik 2026" in html
    assert "Rapporter per ärendetyp (alla ärendetyper)" in html
    assert "Avvikelse som gjorts om till lex Sarah" in html
    assert "&lt; 5" in html
    assert 'role="img"' in html
    assert ">Avvikelser per enhet, 2024–2026</title>" in html
    assert "<script" not in html
    # Aggregates only: no case's reference or text.
    assert data.a.reference not in html
    assert data.a.description not in html
    assert 'href="/statistik"' in html  # the menu link


def test_the_csv_has_one_section_per_table(client, auth, world, data):
    auth.login(world.mas.email)
    response = client.get("/statistik.csv?year=2026")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert ["Rapporter per ärendetyp (alla ärendetyper)"] in rows
    assert ["", "2024", "2025", "2026"] in rows
    assert ["Lex Sarah", "0", "1", "4"] in rows
    assert ["Solgården", "0", "< 5", "< 5"] in rows
    assert ["Linden", "0", "0", "< 5"] in rows
    assert ["Förvaltningen", "0", "0", "6"] in rows
    assert ["Ingen allvarlighetsgrad angiven", "", "0", "25"] in rows
    assert ["Fall", "1", "5", "6", "100"] in rows
    assert data.a.reference not in raw.decode("utf-8-sig")


def test_the_pdf_holds_the_same_figures(client, auth, world, data):
    auth.login(world.chair.email)
    response = client.get("/statistik.pdf?year=2026")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "Statistik 2026" in text
    assert "Rapporter per ärendetyp (alla ärendetyper)" in text
    assert "Avvikelse som gjorts om till lex Sarah" in text
    assert "Avvikelser per kategori och verksamhetsområde 2026" in text
    assert "< 5" in text
    assert "Ingen allvarlighetsgrad angiven" in text
    assert data.a.reference not in text


def test_the_api_matches_the_page(client, session, world, data):
    api = Api(client, session)
    response = api.get(world.sas, "statistics?year=2026")
    assert response.status_code == 200
    body = response.get_json()
    assert body["year"] == 2026
    assert body["years"] == [2024, 2025, 2026]
    tables = {t["key"]: t for t in body["tables"]}
    reports = {r["label"]: r["values"] for r in tables["reports"]["rows"]}
    assert reports["Lex Sarah"] == [0, 1, 4]
    units = {r["label"]: r["values"] for r in tables["units_deviation"]["rows"]}
    assert units == {"Solgården": [0, 0, 5], "Linden": [0, 0, "< 5"]}
    assert tables["units_deviation"]["masked"] is True
    filed = {r["label"]: r["values"] for r in tables["filed"]["rows"]}
    assert filed["Lex Sarah"] == [0, 0, 2]


@pytest.mark.parametrize("who", ["reporter", "admin"])
def test_others_are_refused(client, auth, session, world, who):
    user = getattr(world, who)
    auth.login(user.email)
    for path in ("/statistik", "/statistik.csv", "/statistik.pdf"):
        assert client.get(path).status_code == 403, path
    assert 'href="/statistik"' not in client.get("/").get_data(as_text=True)
    auth.logout()
    response = Api(client, session).get(user, "statistics")
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"


def test_an_odd_year_falls_back_to_a_sensible_one(client, auth, world):
    auth.login(world.sas.email)
    assert client.get("/statistik?year=abc").status_code == 200
    assert client.get("/statistik?year=1").status_code == 200
