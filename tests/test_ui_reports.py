"""Reporting a lex Sarah event in the browser, and following one's own reports."""

from __future__ import annotations

import io
import re
from datetime import date

from sqlalchemy import select

from app.models import Case
from tests.factories import case_in
from workflows.records import save_investigation


def _form(world, **overrides):
    data = {
        # The plain answers that make a lex Sarah case.
        "affected": "care_recipient",
        "harm": "harmed",
        "unit_id": str(world.solgarden.id),
        "occurred_on": date.today().isoformat(),
        "occurred_time": "21:30",
        "location": "Avdelning 2",
        "description": "Brukaren blev liggande på golvet i en timme.",
        "reporter_actions": "Larmade sjuksköterskan.",
        "person_informed": "yes",
        "persons-0-name": "Anna Andersson",
        "persons-0-personnummer": "19121212-1212",
        "persons-0-description": "",
    }
    data.update(overrides)
    return data


def test_report_form_renders_with_labels(client, auth, world):
    auth.login("reporter@test.se")
    html = client.get("/rapportera").get_data(as_text=True)
    assert "Rapportera händelse" in html
    assert 'enctype="multipart/form-data"' in html
    assert '<label class="label" for="description">' in html
    assert 'aria-describedby="description-hint"' in html
    assert 'for="persons-0-personnummer"' in html
    assert "Solgården" in html


def test_submitting_a_report_creates_a_case(client, auth, world, session):
    auth.login("reporter@test.se")
    response = client.post(
        "/rapportera",
        data={**_form(world), "attachments": (io.BytesIO(b"%PDF-1.4 test"), "foto.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/mina-rapporter")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    reference = re.search(r"LS-\d{4}-\d{4}", page)
    assert reference is not None
    assert f"referensnummer {reference.group(0)}" in page
    session.expire_all()
    case = session.scalar(select(Case).where(Case.reference == reference.group(0)))
    assert case is not None
    assert case.reporter_id == world.reporter.id
    assert case.state == "submitted"
    assert case.persons[0].personnummer == "19121212-1212"
    assert [a.filename for a in case.attachments] == ["foto.pdf"]


def test_refused_report_keeps_what_was_typed(client, auth, world, session):
    auth.login("reporter@test.se")
    before = session.scalar(select(Case.id).order_by(Case.id.desc()))
    response = client.post(
        "/rapportera",
        data=_form(
            world,
            description="",
            **{"persons-0-personnummer": "19121212-1213", "persons-0-name": "Berit Bengtsson"},
        ),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'role="alert"' in html
    assert "Personnumret är inte giltigt" in html
    assert "Fältet måste fyllas i." in html
    # The errors sit next to their fields and are tied to them.
    assert 'id="description-error"' in html
    assert 'aria-describedby="description-hint description-error"' in html
    assert 'id="persons-0-personnummer-error"' in html
    # What was typed is still there.
    assert 'value="Berit Bengtsson"' in html
    assert 'value="19121212-1213"' in html
    assert 'value="Avdelning 2"' in html
    assert "Larmade sjuksköterskan." in html
    session.expire_all()
    assert session.scalar(select(Case.id).order_by(Case.id.desc())) == before


def test_add_person_saves_nothing(client, auth, world, session):
    auth.login("reporter@test.se")
    response = client.post("/rapportera", data={**_form(world), "add_person": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="persons-1-name"' in html
    assert 'value="Anna Andersson"' in html
    assert session.scalar(select(Case.id)) is None


def test_my_reports_show_status_and_feedback_but_not_the_investigation(
    client, auth, world, session
):
    case = case_in(session, world, "closed")
    open_case = case_in(session, world, "under_investigation")
    save_investigation(session, open_case, world.sas, {"what_happened": "HEMLIG UTREDNINGSTEXT"})
    session.flush()
    auth.login("reporter@test.se")
    html = client.get("/mina-rapporter").get_data(as_text=True)
    assert case.reference in html
    assert open_case.reference in html
    assert "Avslutad" in html
    assert "Under utredning" in html
    assert "Tack för din rapport. Rutinen är ändrad." in html
    assert "HEMLIG UTREDNINGSTEXT" not in html
    assert case.investigation.what_happened not in html
    assert case.investigation.grade_motivation not in html


def test_my_reports_list_only_my_own(client, auth, world, session):
    mine = case_in(session, world, "submitted")
    theirs = case_in(session, world, "submitted", reporter=world.other_reporter)
    auth.login("reporter@test.se")
    html = client.get("/mina-rapporter").get_data(as_text=True)
    assert mine.reference in html
    assert theirs.reference not in html
