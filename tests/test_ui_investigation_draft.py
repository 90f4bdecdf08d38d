"""The investigation's draft: the form's own endpoint, asked for JSON, saves through the same
operation and answers the new case version and "Utkast sparat hh:mm" (issue 14)."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import func, select

from app.models import CaseEvent
from tests.conftest import rolled_back_app
from tests.factories import case_in, case_of

JSON = {"Accept": "application/json"}


def test_the_form_loads_the_draft_module_and_has_a_polite_status(client, auth, world, session):
    case = case_in(session, world, "under_investigation")
    auth.login("sas@test.se")
    html = client.get(f"/arenden/{case.id}").get_data(as_text=True)
    assert 'src="/static/investigation_draft.js"' in html
    assert re.search(r'<p class="hint" role="status" aria-live="polite" data-draft-status>', html)


def test_a_draft_is_saved_and_answered_as_json(client, auth, world, session):
    case = case_in(session, world, "under_investigation")
    version = case.version
    auth.login("sas@test.se")
    response = client.post(
        f"/arenden/{case.id}/utredning",
        data={"what_happened": "Utkast om fallet", "expected_version": str(version)},
        headers=JSON,
    )
    assert response.status_code == 200
    body = response.get_json()
    assert re.fullmatch(r"Utkast sparat \d\d:\d\d", body["message"])
    session.expire_all()
    assert case.investigation.what_happened == "Utkast om fallet"
    assert body["version"] == case.version > version
    # The same record operation: the history says who wrote which item.
    events = select(func.count()).where(
        CaseEvent.case_id == case.id, CaseEvent.trigger == "update_investigation"
    )
    assert session.scalar(events) == 1


def test_a_stale_draft_is_refused_as_json_and_saves_nothing(client, auth, world, session):
    case = case_in(session, world, "under_investigation")
    auth.login("sas@test.se")
    response = client.post(
        f"/arenden/{case.id}/utredning",
        data={"what_happened": "För sent", "expected_version": str(case.version - 1)},
        headers=JSON,
    )
    assert response.status_code == 409
    assert "Ladda om sidan" in response.get_json()["message"]
    session.expire_all()
    assert case.investigation.what_happened == ""


def test_a_draft_from_someone_who_may_not_write_is_refused(client, auth, world, session):
    case = case_in(session, world, "under_investigation")
    auth.login("manager@test.se")
    response = client.post(
        f"/arenden/{case.id}/utredning", data={"what_happened": "Inte min"}, headers=JSON
    )
    assert response.status_code == 403
    session.expire_all()
    assert case.investigation.what_happened == ""


def test_a_draft_without_the_csrf_token_is_refused(migrated: str, tmp_path: Path) -> None:
    with rolled_back_app(migrated, tmp_path, WTF_CSRF_ENABLED=True) as app:
        response = app.test_client().post(
            "/arenden/1/utredning", data={"what_happened": "x"}, headers=JSON
        )
        assert response.status_code == 400


def test_a_draft_saves_the_items_sources_and_the_team_s_rows(client, auth, world, session):
    case = case_of(session, world, "lex_maria", "under_investigation")
    auth.login("mas@test.se")
    response = client.post(
        f"/arenden/{case.id}/utredning",
        data={
            "method": "Tidslinje",
            "method_source": "Intervjuer med personalen",
            "method_kind": "fact",
            "analysis_team-0-name": "Anna Berg",
            "analysis_team-0-role": "sjuksköterska",
            "analysis_team-0-unit": "",
            # The empty row the page offers is posted too, and is no participant.
            "analysis_team-1-name": "",
            "analysis_team-1-role": "",
            "analysis_team-1-unit": "",
            "expected_version": str(case.version),
        },
        headers=JSON,
    )
    assert response.status_code == 200, response.get_json()
    session.expire_all()
    inv = case.investigation
    assert [(p.name, p.role) for p in inv.analysis_team] == [("Anna Berg", "sjuksköterska")]
    method = inv.item("method")
    assert (method.source, method.kind, method.written_by_name) == (
        "Intervjuer med personalen",
        "fact",
        "Mas",
    )
