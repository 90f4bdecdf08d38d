"""Co-investigators (DOMAIN.md §2 rev. 2): the SAS or MAS adds named users to one case; they read
and write that case's investigation and nothing else of it, in their own name, until removed."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.models import AccessLogEntry, Case, CaseEvent, CoInvestigator, User
from tests.api_client import Api
from tests.factories import case_in, case_of, investigation_data, make_user
from workflows.co_investigators import add_co_investigator, remove_co_investigator
from workflows.engine import available_records, fire
from workflows.errors import InvalidData, NotAllowed
from workflows.permissions import visible_sections
from workflows.records import save_investigation
from workflows.visibility import visible_cases

PERSONNUMMER = "19121212-1212"
REPORT_TEXT = "blev liggande i en timme"


@pytest.fixture
def helper(session) -> User:  # type: ignore[no-untyped-def]
    return make_user(session, "medutredare@test.se", ["reporter"], name="Maja Medutredare")


@pytest.fixture
def added(session, world, helper):  # type: ignore[no-untyped-def]
    """A lex Sarah case under investigation with ``helper`` as its co-investigator."""
    case = case_in(session, world, "under_investigation")
    add_co_investigator(session, case, world.sas, {"user_id": helper.id})
    session.flush()
    return case


def _events(session, case: Case, trigger: str) -> list[CaseEvent]:  # type: ignore[no-untyped-def]
    session.expire_all()
    return list(
        session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.trigger == trigger)
        )
    )


# --- who may add and remove ------------------------------------------------------------------


def test_the_sas_adds_and_removes_and_both_are_in_the_history(session, world, helper):
    case = case_in(session, world, "under_investigation")
    assert visible_sections(session, helper, case) == frozenset()
    add_co_investigator(session, case, world.sas, {"user_id": helper.id})
    assert visible_sections(session, helper, case) == {"investigation", "status"}
    remove_co_investigator(session, case, world.sas, {"user_id": helper.id})
    assert visible_sections(session, helper, case) == frozenset()
    (added,) = _events(session, case, "add_co_investigator")
    (removed,) = _events(session, case, "remove_co_investigator")
    for event in (added, removed):
        assert event.actor_id == world.sas.id
        assert event.actor_role == "sas"
        assert event.data == {"user_id": helper.id, "name": "Maja Medutredare"}
    # The row stays, closed: who had access, and until when.
    (row,) = session.scalars(select(CoInvestigator).where(CoInvestigator.case_id == case.id))
    assert row.added_by_id == row.removed_by_id == world.sas.id
    assert row.removed_at is not None


def test_the_mas_adds_to_a_lex_maria_case(session, world, helper):
    case = case_of(session, world, "lex_maria", "under_investigation")
    with pytest.raises(NotAllowed):
        add_co_investigator(session, case, world.sas, {"user_id": helper.id})
    add_co_investigator(session, case, world.mas, {"user_id": helper.id})
    assert visible_sections(session, helper, case) == {"investigation", "status"}


@pytest.mark.parametrize("who", ["manager", "chair", "reporter", "mas", "admin"])
def test_only_the_investigating_role_may_add(session, world, helper, who):
    case = case_in(session, world, "awaiting_decision")
    before = case.version
    with pytest.raises(NotAllowed):
        add_co_investigator(session, case, getattr(world, who), {"user_id": helper.id})
    assert case.version == before
    assert visible_sections(session, helper, case) == frozenset()


def test_a_co_investigator_adds_or_removes_no_one(session, world, helper, added):
    other = make_user(session, "annan@test.se", ["reporter"])
    with pytest.raises(NotAllowed):
        add_co_investigator(session, added, helper, {"user_id": other.id})
    with pytest.raises(NotAllowed):
        remove_co_investigator(session, added, helper, {"user_id": helper.id})
    assert "add_co_investigator" not in available_records(session, helper, added)


def test_who_may_not_be_added(session, world, helper, added):
    gone = make_user(session, "slutat@test.se", ["reporter"])
    gone.active = False
    for user in (world.admin, world.sas, gone, helper):
        with pytest.raises(InvalidData) as refused:
            add_co_investigator(session, added, world.sas, {"user_id": user.id})
        assert "user_id" in refused.value.field_errors
    with pytest.raises(InvalidData):
        add_co_investigator(session, added, world.sas, {"user_id": 10**9})
    with pytest.raises(InvalidData):
        remove_co_investigator(session, added, world.sas, {"user_id": world.reporter.id})


def test_adding_and_removing_are_offered_to_the_sas_in_the_api(client, session, world, added):
    body = Api(client, session).request("GET", world.sas, f"cases/{added.id}").get_json()
    assert {"add_co_investigator", "remove_co_investigator"} <= set(body["available_records"])
    assert [c["name"] for c in body["co_investigators"]] == ["Maja Medutredare"]


# --- what a co-investigator may do -------------------------------------------------------------


def test_the_co_investigator_writes_the_investigation_in_their_own_name(
    session, world, helper, added
):
    save_investigation(session, added, helper, {"what_happened": "Medutredarens iakttagelse."})
    (event,) = _events(session, added, "update_investigation")
    assert (event.actor_id, event.actor_name, event.actor_role) == (
        helper.id,
        "Maja Medutredare",
        "co_investigator",
    )
    assert added.investigation.item_authors["what_happened"]["name"] == "Maja Medutredare"


def test_the_co_investigators_page(client, auth, session, world, helper, added):
    auth.login("medutredare@test.se")
    response = client.get(f"/arenden/{added.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="utredningsformular"' in html
    assert 'id="medutredare"' in html
    # The investigation and where the case stands; not the report, its persons or the history.
    for hidden in (REPORT_TEXT, PERSONNUMMER, "Anna Andersson", 'id="historik"', 'id="rapport"'):
        assert hidden not in html
    # They may not complete it, nor add or remove co-investigators.
    assert "complete_investigation" not in html
    assert "medutredare/ta-bort" not in html
    assert 'name="medutredare-user_id"' not in html
    # The read is in the access log as any other.
    session.expire_all()
    logged = session.scalars(
        select(AccessLogEntry).where(
            AccessLogEntry.user_id == helper.id, AccessLogEntry.case_id == added.id
        )
    ).all()
    assert logged


def test_the_co_investigator_saves_through_the_ui_and_as_a_draft(
    client, auth, session, world, helper, added
):
    auth.login("medutredare@test.se")
    response = client.post(
        f"/arenden/{added.id}/utredning",
        data={"what_happened": "Från sidan.", "expected_version": str(added.version)},
    )
    assert response.status_code == 302
    session.expire_all()
    assert added.investigation.what_happened == "Från sidan."
    response = client.post(
        f"/arenden/{added.id}/utredning",
        data={"what_happened": "Utkast.", "expected_version": str(added.version)},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    assert re.fullmatch(r"Utkast sparat \d\d:\d\d", response.get_json()["message"])
    events = _events(session, added, "update_investigation")
    assert [e.actor_name for e in events] == ["Maja Medutredare", "Maja Medutredare"]
    # The investigator sees the entries under the co-investigator's name.
    auth.logout()
    auth.login("sas@test.se")
    html = client.get(f"/arenden/{added.id}").get_data(as_text=True)
    assert "Maja Medutredare" in html


def test_the_co_investigator_in_the_api(client, session, world, helper, added):
    api = Api(client, session)
    body = api.request("GET", helper, f"cases/{added.id}").get_json()
    assert body["sections"] == ["investigation", "status"]
    assert "investigation" in body
    for hidden in ("report", "persons", "decisions", "immediate_measures", "actions", "feedback"):
        assert hidden not in body
    assert body["available_triggers"] == []
    assert set(body["available_records"]) == {
        "update_investigation",
        "add_investigation_attachment",
    }
    assert PERSONNUMMER not in str(body)
    response = api.request(
        "PATCH", helper, f"cases/{added.id}/investigation", json={"causes_text": "Via API."}
    )
    assert response.status_code == 200, response.get_json()
    session.expire_all()
    assert added.investigation.causes_text == "Via API."
    assert _events(session, added, "update_investigation")[-1].actor_role == "co_investigator"
    # The history is not theirs to read.
    assert api.request("GET", helper, f"cases/{added.id}/events").status_code == 403
    # The case is in their list, alone.
    items = api.request("GET", helper, "cases").get_json()["items"]
    assert [i["id"] for i in items] == [added.id]


@pytest.mark.parametrize("trigger", ["complete_investigation", "propose_early_filing"])
def test_the_co_investigator_completes_and_proposes_nothing(session, world, helper, added, trigger):
    save_investigation(session, added, world.sas, {"what_happened": "Klart."})
    with pytest.raises(NotAllowed):
        fire(session, added, helper, trigger, {"proposed_grade": "serious_misconduct"})
    assert added.state == "under_investigation"


def test_the_co_investigator_cannot_complete_from_the_page(client, auth, session, world, added):
    auth.login("medutredare@test.se")
    response = client.post(
        f"/arenden/{added.id}/steg/complete_investigation",
        data={"expected_version": str(added.version)},
    )
    assert response.status_code == 403
    session.expire_all()
    assert added.state == "under_investigation"


def test_the_co_investigator_sees_no_decision_and_decides_nothing(
    client, session, world, helper, added
):
    save_investigation(session, added, world.sas, investigation_data())
    fire(session, added, world.sas, "complete_investigation", {})
    fire(session, added, world.chair, "approve_filing", {"motivation": "BESLUTSMOTIVERING"})
    assert "decision" not in visible_sections(session, helper, added)
    with pytest.raises(NotAllowed):
        fire(session, added, helper, "record_filing", {})
    api = Api(client, session)
    body = api.request("GET", helper, f"cases/{added.id}").get_json()
    assert "decisions" not in body
    assert "BESLUTSMOTIVERING" not in str(body)


def test_the_co_investigator_closes_nothing(session, world, helper):
    case = case_in(session, world, "filed")
    add_co_investigator(session, case, world.sas, {"user_id": helper.id})
    with pytest.raises(NotAllowed):
        fire(session, case, helper, "record_ivo_response", {})


# --- need to know: another case, and after removal ----------------------------------------------


def test_a_co_investigator_sees_nothing_of_another_case(
    client, auth, session, world, helper, added
):
    other = case_in(session, world, "under_investigation")
    assert visible_sections(session, helper, other) == frozenset()
    api = Api(client, session)
    assert api.request("GET", helper, f"cases/{other.id}").status_code == 403
    response = api.request(
        "PATCH", helper, f"cases/{other.id}/investigation", json={"causes_text": "Nej."}
    )
    assert response.status_code == 403
    visible = session.scalars(select(Case.id).where(visible_cases(session, helper))).all()
    assert visible == [added.id]
    auth.login("medutredare@test.se")
    assert client.get(f"/arenden/{other.id}").status_code == 403
    assert client.post(f"/arenden/{other.id}/utredning", data={}).status_code == 403


def test_a_removed_co_investigator_loses_access_at_once(
    client, auth, session, world, helper, added
):
    auth.login("medutredare@test.se")
    assert client.get(f"/arenden/{added.id}").status_code == 200
    auth.logout()
    auth.login("sas@test.se")
    response = client.post(
        f"/arenden/{added.id}/medutredare/ta-bort",
        data={"user_id": str(helper.id), "expected_version": str(added.version)},
    )
    assert response.status_code == 302
    auth.logout()
    auth.login("medutredare@test.se")
    assert client.get(f"/arenden/{added.id}").status_code == 403
    assert client.post(f"/arenden/{added.id}/utredning", data={}).status_code == 403
    api = Api(client, session)
    assert api.request("GET", helper, f"cases/{added.id}").status_code == 403
    assert api.request("GET", helper, "cases").get_json()["items"] == []
    assert len(_events(session, added, "remove_co_investigator")) == 1


# --- the page's panel, the inbox and the list -------------------------------------------------


def test_the_sas_adds_from_the_page(client, auth, session, world, helper):
    case = case_in(session, world, "under_investigation")
    auth.login("sas@test.se")
    html = client.get(f"/arenden/{case.id}").get_data(as_text=True)
    picker = html.split('id="medutredare-user_id"', 1)[1].split("</select>", 1)[0]
    assert f'<option value="{helper.id}">Maja Medutredare, Titel</option>' in picker
    # No administrator and no one who investigates the case already.
    assert f'<option value="{world.admin.id}"' not in picker
    assert f'<option value="{world.sas.id}"' not in picker
    response = client.post(
        f"/arenden/{case.id}/medutredare",
        data={"medutredare-user_id": str(helper.id), "expected_version": str(case.version)},
    )
    assert response.status_code == 302
    assert len(_events(session, case, "add_co_investigator")) == 1
    html = client.get(f"/arenden/{case.id}").get_data(as_text=True)
    assert "medutredare/ta-bort" in html


def test_a_refused_addition_shows_the_form_again(client, auth, session, world):
    case = case_in(session, world, "under_investigation")
    auth.login("sas@test.se")
    response = client.post(
        f"/arenden/{case.id}/medutredare",
        data={"medutredare-user_id": str(world.admin.id), "expected_version": str(case.version)},
    )
    assert response.status_code == 422
    assert "Välj en aktiv användare som inte redan utreder ärendet." in response.get_data(
        as_text=True
    )
    assert _events(session, case, "add_co_investigator") == []


def test_the_manager_may_not_add_from_the_page(client, auth, session, world, helper):
    case = case_in(session, world, "under_investigation")
    auth.login("manager@test.se")
    response = client.post(
        f"/arenden/{case.id}/medutredare",
        data={"medutredare-user_id": str(helper.id), "expected_version": str(case.version)},
    )
    assert response.status_code == 403
    assert visible_sections(session, helper, case) == frozenset()


def test_the_case_waits_for_the_co_investigator(client, auth, session, world, helper, added):
    auth.login("medutredare@test.se")
    html = client.get("/").get_data(as_text=True)
    assert added.reference in html
    assert "Skriv i utredningen" in html
    listed = client.get("/arenden")
    assert listed.status_code == 200
    assert added.reference in listed.get_data(as_text=True)


def test_the_mas_adds_and_removes_through_the_api(client, session, world, helper):
    case = case_of(session, world, "lex_maria", "under_investigation")
    api = Api(client, session)
    path = f"cases/{case.id}/co-investigators"
    refused = api.request("POST", world.manager, path, json={"user_id": helper.id})
    assert refused.status_code == 403
    response = api.request("POST", world.mas, path, json={"user_id": helper.id})
    assert response.status_code == 200, response.get_json()
    assert [c["id"] for c in response.get_json()["case"]["co_investigators"]] == [helper.id]
    assert api.request("GET", helper, f"cases/{case.id}").status_code == 200
    invalid = api.request("POST", world.mas, path, json={"user_id": "x"})
    assert invalid.status_code == 422
    assert "user_id" in invalid.get_json()["error"]["fields"]
    response = api.request("POST", world.mas, f"{path}/remove", json={"user_id": helper.id})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["case"]["co_investigators"] == []
    assert api.request("GET", helper, f"cases/{case.id}").status_code == 403
    triggers = [
        e["trigger"]
        for e in api.request("GET", world.mas, f"cases/{case.id}/events").get_json()["items"]
    ]
    assert triggers[-2:] == ["add_co_investigator", "remove_co_investigator"]


def test_the_co_investigator_has_none_of_the_cases_documents(client, auth, session, world, helper):
    """The PDFs restate the report, and the IVO report names the persons with their
    personnummer: more than the investigation section."""
    case = case_in(session, world, "filed")
    add_co_investigator(session, case, world.sas, {"user_id": helper.id})
    auth.login("sas@test.se")
    assert client.get(f"/arenden/{case.id}/dokument/ivo_report.pdf").status_code == 200
    auth.logout()
    auth.login("medutredare@test.se")
    html = client.get(f"/arenden/{case.id}").get_data(as_text=True)
    assert 'id="dokument"' not in html
    for kind in ("investigation", "ivo_report", "decision"):
        assert client.get(f"/arenden/{case.id}/dokument/{kind}.pdf").status_code == 403, kind
    api = Api(client, session)
    response = api.request("GET", helper, f"cases/{case.id}/documents/ivo_report.pdf")
    assert response.status_code == 403
