"""Complaints in the API (listed and shown like other types), on the case page, and the page
staff register them on."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.models import Case
from tests.api_client import Api
from workflows.complaint_records import mark_spam
from workflows.engine import fire

from .helpers import answer_data, complaint_in, new_complaint


@pytest.fixture
def api(client, session):
    return Api(client, session)


def test_the_api_lists_and_shows_a_complaint(api, session, world):
    case = new_complaint(session, world, units=[world.solgarden, world.linden])
    listed = api.get(world.manager, "cases?case_type=complaint").get_json()
    assert [c["reference"] for c in listed["items"]] == [case.reference]
    assert listed["items"][0]["state_label"] == "Inkommen"
    shown = api.get(world.manager, f"cases/{case.id}").get_json()
    assert shown["complaint"]["kind"] == "complaint"
    assert {u["name"] for u in shown["complaint"]["units"]} == {"Solgården", "Linden"}
    assert "acknowledge" in shown["available_triggers"]


def test_the_api_walks_a_complaint_to_its_answer(api, session, world):
    case = complaint_in(session, world, "under_investigation")
    response = api.fire(world.manager, case.id, "answer", answer_data(answer_text=""))
    assert response.status_code == 422
    assert "answer_text" in response.get_json()["error"]["fields"]
    response = api.fire(world.manager, case.id, "answer", answer_data())
    assert response.status_code == 200, response.get_json()
    shown = api.get(world.manager, f"cases/{case.id}").get_json()
    assert shown["state"] == "answered"
    assert shown["complaint"]["answer"]["answered_on"] == date.today().isoformat()


def test_the_api_hides_a_complaint_from_another_units_manager_and_spam_from_lists(
    api, session, world
):
    case = new_complaint(session, world)
    assert api.get(world.other_manager, f"cases/{case.id}").status_code == 403
    ids = {c["id"] for c in api.get(world.other_manager, "cases").get_json()["items"]}
    assert case.id not in ids
    mark_spam(session, case, world.manager)
    ids = {c["id"] for c in api.get(world.manager, "cases").get_json()["items"]}
    assert case.id not in ids
    assert api.get(world.manager, f"cases/{case.id}").status_code == 200


def test_a_complaint_cannot_be_reported_as_a_case_type(api, world):
    from tests.factories import report_data

    response = api.post(
        world.reporter, "cases", {**report_data(world.solgarden), "case_type": "complaint"}
    )
    assert response.status_code == 422


def test_staff_register_a_complaint_on_its_page(client, auth, session, world):
    auth.login(world.manager.email)
    page = client.get("/klagomal/registrera")
    assert page.status_code == 200
    response = client.post(
        "/klagomal/registrera",
        data={
            "csrf_token": _csrf(page.get_data(as_text=True)),
            "kind": "complaint",
            "sender_role": "relative",
            "channel": "phone",
            "unit_ids": [str(world.solgarden.id), str(world.linden.id)],
            "text": "Personalen kom för sent flera gånger.",
            "sender_name": "Eva",
            "sender_contact": "",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    case = session.scalars(select(Case).where(Case.case_type == "complaint")).one()
    assert case.state == "received"
    assert len(case.complaint.units) == 2
    shown = client.get(response.headers["Location"])
    assert shown.status_code == 200
    assert "Personalen kom för sent" in shown.get_data(as_text=True)


def test_a_failed_registration_keeps_what_was_typed(client, auth, world):
    auth.login(world.manager.email)
    page = client.get("/klagomal/registrera")
    response = client.post(
        "/klagomal/registrera",
        data={
            "csrf_token": _csrf(page.get_data(as_text=True)),
            "kind": "complaint",
            "sender_role": "relative",
            "channel": "ivo",
            "unit_ids": [str(world.solgarden.id)],
            "text": "Texten som skrevs.",
        },
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Texten som skrevs." in body
    assert "Ange IVO:s diarienummer." in body


def test_a_reporter_may_not_register_complaints(client, auth, world):
    auth.login(world.reporter.email)
    assert client.get("/klagomal/registrera").status_code == 403


def test_the_case_page_shows_the_complaint_and_its_steps(client, auth, session, world):
    case = complaint_in(session, world, "under_investigation")
    fire(session, case, world.manager, "answer", answer_data())
    session.commit()
    auth.login(world.manager.email)
    body = client.get(f"/arenden/{case.id}").get_data(as_text=True)
    assert "Vi har gått igenom planeringen" in body
    assert "Avsluta ärendet" in body


def _csrf(html: str) -> str:
    import re

    # The suite turns CSRF off (tests/conftest.py); the token is sent when there is one.
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    return match.group(1) if match else ""


def test_the_handler_records_findings_and_marks_spam_on_the_case_page(client, auth, session, world):
    from app.models import ComplaintTheme

    case = complaint_in(session, world, "under_investigation")
    session.commit()
    auth.login(world.manager.email)
    body = client.get(f"/arenden/{case.id}").get_data(as_text=True)
    assert "Spara utredningen" in body
    theme = session.scalar(select(ComplaintTheme).where(ComplaintTheme.name == "Tider"))
    response = client.post(
        f"/arenden/{case.id}/klagomal/update_findings",
        data={"findings": "Tiderna hölls inte.", "theme_ids": [str(theme.id)]},
    )
    assert response.status_code == 302
    session.expire_all()
    assert case.complaint.findings == "Tiderna hölls inte."
    response = client.post(f"/arenden/{case.id}/klagomal/mark_spam", data={})
    assert response.status_code == 302
    session.expire_all()
    assert case.complaint.spam


def test_another_units_manager_cannot_record_on_the_complaint(client, auth, session, world):
    case = complaint_in(session, world, "under_investigation")
    session.commit()
    auth.login(world.other_manager.email)
    assert client.post(f"/arenden/{case.id}/klagomal/mark_spam", data={}).status_code == 403
    assert client.get(f"/arenden/{case.id}").status_code == 403


def test_the_admin_edits_the_themes(client, auth, session, world):
    from app.models import ComplaintTheme

    auth.login(world.admin.email)
    assert "Bemötande" in client.get("/admin/klagomalsteman").get_data(as_text=True)
    response = client.post("/admin/klagomalsteman", data={"name": "Måltider"})
    assert response.status_code == 302
    theme = session.scalar(select(ComplaintTheme).where(ComplaintTheme.name == "Måltider"))
    assert theme is not None
    assert theme.active
    again = client.post("/admin/klagomalsteman", data={"name": "måltider"})
    assert again.status_code == 422
    client.post(f"/admin/klagomalsteman/{theme.id}/aktiv", data={"active": "0"})
    session.expire_all()
    assert not theme.active
    auth.logout()
    auth.login(world.manager.email)
    assert client.get("/admin/klagomalsteman").status_code == 403
