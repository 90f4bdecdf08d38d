"""Investigation PDFs are kept per number: a return to the investigator reopens the investigation
under the next number and the earlier PDF stays downloadable; the API serves the same files."""

from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader

from tests.api_client import Api
from tests.factories import case_in, investigation_data
from workflows.engine import fire
from workflows.records import save_investigation


def text(content: bytes) -> str:
    pages = PdfReader(BytesIO(content)).pages
    return " ".join(" ".join(p.extract_text() for p in pages).split())


def test_investigations_are_numbered_and_earlier_ones_kept(client, auth, world, session):
    case = case_in(session, world, "awaiting_decision")
    fire(session, case, world.chair, "return_to_investigator", {"comment": "Komplettera."})
    data = investigation_data(what_happened="Andra versionen av utredningen.")
    save_investigation(session, case, world.sas, data)
    fire(session, case, world.sas, "complete_investigation", {})
    assert case.investigation.number == 2
    auth.login("sas@test.se")

    latest = client.get(f"/arenden/{case.id}/dokument/investigation.pdf")
    assert f"Utredning_{case.reference}_2.pdf" in latest.headers["Content-Disposition"]
    assert "Andra versionen av utredningen." in text(latest.data)

    first = client.get(f"/arenden/{case.id}/dokument/investigation.pdf?nummer=1")
    assert f"Utredning_{case.reference}_1.pdf" in first.headers["Content-Disposition"]
    assert "Den boende blev liggande utan hjälp" in text(first.data)
    assert "Andra versionen" not in text(first.data)

    assert client.get(f"/arenden/{case.id}/dokument/investigation.pdf?nummer=3").status_code == 404
    page = client.get(f"/arenden/{case.id}").get_data(as_text=True)
    assert "investigation.pdf?nummer=1" in page


@pytest.fixture
def api(client, session):
    return Api(client, session)


def test_the_api_serves_the_documents(api, world, session):
    case = case_in(session, world, "filed")
    response = api.get(world.sas, f"cases/{case.id}/documents/ivo_report.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert case.reference in text(response.data)
    assert api.get(world.sas, f"cases/{case.id}/documents/investigation.pdf").status_code == 200
    assert api.get(world.manager, f"cases/{case.id}/documents/decision.pdf").status_code == 403
    assert api.get(world.sas, f"cases/{case.id}/documents/other.pdf").status_code == 404
