"""No stored script: hostile text that is accepted and stored comes back on every page that shows
it only as text (escaped), never as markup; in the API as the same JSON string; in a PDF as the
letters typed."""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import given
from markupsafe import escape
from pypdf import PdfReader
from sqlalchemy import select

from app.models import Case, Category
from forms.storable import has_forbidden
from tests.api_client import Api
from tests.factories import (
    PATIENT_INFORMATION,
    TODAY,
    case_of,
    deviation_report,
    investigation_data,
    report_data,
)
from workflows.engine import fire

from .strategies import IMG, SCRIPT, hostile_text
from .support import FEW, Browsers, assert_html_page, browser_form, page_form, rolled_back

HOSTILE = f"Före {SCRIPT} mitten {IMG} efter '; DROP TABLE cases; --"


@pytest.fixture
def api(client, session):
    return Api(client, session)


def shown_as_text(html: str, text: str, where: str) -> None:
    assert str(escape(text.strip())) in html, (where, text[:80])


def storable(text: str) -> bool:
    return bool(text.strip()) and not has_forbidden(text) and len(text) < 5000


def test_report_text_is_shown_escaped_everywhere(app, api, session, world):
    browsers = Browsers(app)
    for user in (world.reporter, world.sas, world.manager):
        browsers(user)
    api.token(world.sas)

    @FEW
    @given(text=hostile_text().filter(storable))
    def run(text: str) -> None:
        with rolled_back(session):
            data = report_data(
                world.solgarden,
                description=f"{text}\n{HOSTILE}",
                location=text[:300],
                reporter_actions=HOSTILE,
                persons=[{"name": text[:200], "description": IMG}],
            )
            response = browsers(world.reporter).post("/rapportera", data=browser_form(data))
            assert response.status_code == 302, response.get_data(as_text=True)[:2000]
            case = session.scalars(select(Case).order_by(Case.id.desc())).first()
            assert case is not None
            page = assert_html_page(browsers(world.sas).get(f"/arenden/{case.id}"), "case page")
            shown_as_text(page, data["description"], "case page")
            shown_as_text(page, HOSTILE, "case page")
            shown_as_text(page, IMG, "case page")
            manager_page = browsers(world.manager).get(f"/arenden/{case.id}")
            shown_as_text(assert_html_page(manager_page), HOSTILE, "manager's case page")
            for user, path in (
                (world.sas, "/"),
                (world.sas, "/arenden"),
                (world.manager, "/"),
                (world.sas, "/tidsfrister"),
                (world.reporter, "/mina-rapporter"),
            ):
                response = browsers(user).get(path)
                assert response.status_code == 200, path
                assert_html_page(response, path)
            body = api.get(world.sas, f"cases/{case.id}").get_json()
            assert body["report"]["description"] == data["description"].strip()
            assert body["report"]["reporter_actions"] == HOSTILE

    run()


def test_case_records_are_shown_escaped(app, api, session, world):
    """The investigation, an action and the information to the patient, written by those who
    write them, read back on the case page and in the IVO report PDF."""
    sarah = case_of(session, world, "lex_sarah", "under_investigation")
    maria = case_of(session, world, "lex_maria", "under_investigation")
    browsers = Browsers(app)
    sas, mas = browsers(world.sas), browsers(world.mas)
    investigation = investigation_data(what_happened=HOSTILE, measures_text=SCRIPT)
    response = sas.post(f"/arenden/{sarah.id}/utredning", data=browser_form(investigation))
    assert response.status_code == 302
    action = {"description": HOSTILE, "owner_id": world.manager.id, "due_on": TODAY}
    assert api.post(world.sas, f"cases/{sarah.id}/actions", action).status_code == 201
    info = {**PATIENT_INFORMATION, "informed_by": IMG, "patient_account": HOSTILE}
    response = api.post(world.mas, f"cases/{maria.id}/patient-information", info)
    assert response.status_code == 201
    page = assert_html_page(sas.get(f"/arenden/{sarah.id}"))
    for text in (HOSTILE, SCRIPT):
        shown_as_text(page, text, "investigation")
    page = assert_html_page(mas.get(f"/arenden/{maria.id}"))
    shown_as_text(page, HOSTILE, "patient information")
    shown_as_text(page, IMG, "patient information")
    # The action's owner sees it among their deadlines.
    assert_html_page(browsers(world.manager).get("/tidsfrister"))
    assert_html_page(browsers(world.manager).get("/"))
    # The PDF is drawn from HTML: text that became markup there would be missing here.
    response = sas.post(f"/arenden/{sarah.id}/steg/complete_investigation")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    pdf = sas.get(f"/arenden/{sarah.id}/dokument/investigation.pdf")
    assert pdf.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "<script>alert(1)</script>" in "".join(text.split())


def test_feedback_is_shown_escaped_to_the_reporter(app, session, world):
    case = case_of(session, world, "deviation", "follow_up")
    browsers = Browsers(app)
    feedback = {
        "feedback_on": TODAY,
        "feedback_channel": "workplace_meeting",
        "feedback_text": HOSTILE,
    }
    response = browsers(world.manager).post(f"/arenden/{case.id}/aterkoppling", data=feedback)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    response = browsers(world.manager).post(
        f"/arenden/{case.id}/steg/close", data={"person_informed": "yes"}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    page = assert_html_page(browsers(world.reporter).get("/mina-rapporter"))
    shown_as_text(page, HOSTILE, "Mina rapporter")
    page = assert_html_page(browsers(world.reporter).get(f"/arenden/{case.id}"))
    shown_as_text(page, HOSTILE, "the reporter's case page")


def test_admin_text_is_shown_escaped(app, api, session, world):
    """A category named like a script, used in an assessment; a legal basis written like one,
    shown with each new deadline."""
    browsers = Browsers(app)
    admin = browsers(world.admin)
    name = f"{SCRIPT}{IMG}"[:120]
    response = admin.post("/admin/kategorier/ny", data={"name": name, "active": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    shown_as_text(assert_html_page(admin.get("/admin/kategorier")), name, "categories")
    rule = _page_fields(admin, "/admin/tidsfrister/lex_sarah/immediate_measures")
    rule.update(legal_basis=HOSTILE, note=SCRIPT)
    response = admin.post("/admin/tidsfrister/lex_sarah/immediate_measures", data=rule)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert_html_page(admin.get("/admin/tidsfrister"))

    deviation = api.post(world.reporter, "cases", deviation_report(world.solgarden))
    deviation_id = deviation.get_json()["id"]
    manager = browsers(world.manager)
    shown_as_text(assert_html_page(manager.get(f"/arenden/{deviation_id}")), name, "choices")
    category = session.scalars(select(Category).where(Category.name == name)).one()
    case = session.get(Case, deviation_id)
    assessment = {"legal_area": "SoL", "category_id": category.id, "severity": 1, "likelihood": 1}
    fire(session, case, world.manager, "assess", assessment)
    shown_as_text(assert_html_page(manager.get(f"/arenden/{deviation_id}")), name, "assessment")
    assert_html_page(browsers(world.sas).get("/statistik"))

    sarah = api.post(world.reporter, "cases", report_data(world.solgarden)).get_json()
    page = assert_html_page(manager.get(f"/arenden/{sarah['id']}"))
    shown_as_text(page, HOSTILE, "deadline's legal basis")


def _page_fields(client: Any, path: str) -> dict[str, str]:
    fields = page_form(client, path)
    assert fields, path
    return fields
