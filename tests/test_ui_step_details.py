"""Small things on the case page's step forms that misled (issue 14): a time of the immediate
measures in the future was taken, and the investigator picker named the user twice."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.factories import case_in

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _measures(client, case, taken_at):
    return client.post(
        f"/arenden/{case.id}/steg/record_immediate_measures",
        data={
            "expected_version": str(case.version),
            "record_immediate_measures-measures": "Extra nattillsyn.",
            "record_immediate_measures-taken_at": taken_at,
        },
    )


def test_immediate_measures_taken_in_the_future_are_refused(client, auth, world, session):
    case = case_in(session, world, "submitted")
    auth.login("manager@test.se")
    tomorrow = datetime.now(STOCKHOLM) + timedelta(days=1)
    response = _measures(client, case, tomorrow.strftime("%Y-%m-%dT%H:%M"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="record_immediate_measures-taken_at-error"' in html
    assert "Tidpunkten kan inte ligga i framtiden." in html
    assert "Extra nattillsyn." in html
    session.expire_all()
    assert case.state == "submitted"


def test_immediate_measures_taken_just_now_are_taken(client, auth, world, session):
    case = case_in(session, world, "submitted")
    auth.login("manager@test.se")
    response = _measures(client, case, datetime.now(STOCKHOLM).strftime("%Y-%m-%dT%H:%M"))
    assert response.status_code == 302
    session.expire_all()
    assert case.state == "awaiting_investigation"


def test_the_investigator_picker_names_the_user_once(client, auth, world, session):
    case = case_in(session, world, "awaiting_investigation")
    auth.login("sas@test.se")
    html = client.get(f"/arenden/{case.id}").get_data(as_text=True)
    start = html.index('name="start_investigation-investigator_id"')
    picker = html[start : html.index("</select>", start)]
    assert picker.count("<option") == picker.count("<option value=") >= 1
    assert '<option value="">Jag själv (Sas)</option>' in picker
    assert picker.count("Sas") == 1
