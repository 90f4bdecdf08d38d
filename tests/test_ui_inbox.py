"""The inbox ("Att göra") and the case list, per role."""

from __future__ import annotations

from tests.factories import action_for, case_in


def _inbox(client, auth, email):
    auth.login(email)
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_manager_sees_a_new_report_in_their_unit(client, auth, world, session):
    case = case_in(session, world, "submitted")
    html = _inbox(client, auth, "manager@test.se")
    assert case.reference in html
    assert "Solgården" in html
    assert "Dokumentera omedelbara åtgärder" in html
    assert f'/arenden/{case.id}#steg-record_immediate_measures' in html


def test_other_manager_does_not_see_it(client, auth, world, session):
    case = case_in(session, world, "submitted")
    html = _inbox(client, auth, "other.manager@test.se")
    assert case.reference not in html
    assert "Du har inget att göra just nu." in html


def test_manager_no_longer_sees_it_once_measures_are_recorded(client, auth, world, session):
    case = case_in(session, world, "under_investigation")
    assert case.reference not in _inbox(client, auth, "manager@test.se")


def test_sas_sees_open_cases_oldest_first(client, auth, world, session):
    first = case_in(session, world, "submitted")
    second = case_in(session, world, "submitted", unit=world.linden)
    closed = case_in(session, world, "reclassified")
    html = _inbox(client, auth, "sas@test.se")
    assert html.index(first.reference) < html.index(second.reference)
    assert "Starta utredning" in html
    assert closed.reference not in html


def test_chair_sees_only_cases_awaiting_decision(client, auth, world, session):
    waiting = case_in(session, world, "awaiting_decision")
    other = case_in(session, world, "under_investigation")
    html = _inbox(client, auth, "chair@test.se")
    assert waiting.reference in html
    assert "Besluta om anmälan till IVO" in html
    assert other.reference not in html


def test_action_owner_is_asked_to_follow_up(client, auth, world, session):
    case = case_in(session, world, "under_investigation")
    action = action_for(session, world, case)
    html = _inbox(client, auth, "manager@test.se")
    assert case.reference in html
    assert f"#atgard-{action.id}" in html


def test_reporter_and_admin_have_nothing_to_do(client, auth, world, session):
    case = case_in(session, world, "submitted")
    assert case.reference not in _inbox(client, auth, "reporter@test.se")
    auth.logout()
    assert case.reference not in _inbox(client, auth, "admin@test.se")


def test_case_list_for_sas_filters_by_state_and_unit(client, auth, world, session):
    submitted = case_in(session, world, "submitted")
    in_linden = case_in(session, world, "submitted", unit=world.linden)
    investigating = case_in(session, world, "under_investigation")
    auth.login("sas@test.se")
    html = client.get("/arenden").get_data(as_text=True)
    assert all(c.reference in html for c in (submitted, in_linden, investigating))
    html = client.get("/arenden?status=submitted").get_data(as_text=True)
    assert submitted.reference in html
    assert in_linden.reference in html
    assert investigating.reference not in html
    html = client.get(f"/arenden?status=submitted&enhet={world.linden.id}").get_data(as_text=True)
    assert in_linden.reference in html
    assert submitted.reference not in html


def test_case_list_pages(client, auth, world, session, app):
    app.config["PAGE_SIZE"] = 2
    cases = [case_in(session, world, "submitted") for _ in range(3)]
    auth.login("sas@test.se")
    first = client.get("/arenden").get_data(as_text=True)
    second = client.get("/arenden?sida=2").get_data(as_text=True)
    assert "Sida 1 av 2" in first
    assert "Sida 2 av 2" in second
    # Newest first: the oldest is alone on the second page.
    assert cases[0].reference in second
    assert cases[0].reference not in first


def test_case_list_for_chair_shows_cases_of_their_decision(client, auth, world, session):
    waiting = case_in(session, world, "awaiting_decision")
    decided = case_in(session, world, "awaiting_filing")
    not_theirs = case_in(session, world, "under_investigation")
    auth.login("chair@test.se")
    html = client.get("/arenden").get_data(as_text=True)
    assert waiting.reference in html
    assert decided.reference in html
    assert not_theirs.reference not in html


def test_case_list_is_not_for_managers_or_reporters(client, auth, world):
    auth.login("manager@test.se")
    assert client.get("/arenden").status_code == 403
    auth.logout()
    auth.login("reporter@test.se")
    assert client.get("/arenden").status_code == 403


def test_sas_inbox_leaves_out_cases_waiting_for_someone_else(client, auth, world, session):
    # Reclassifying is possible in every open state; it alone does not make a case the SAS's to do.
    waiting_for_chair = case_in(session, world, "awaiting_decision")
    to_file = case_in(session, world, "awaiting_filing")
    html = _inbox(client, auth, "sas@test.se")
    assert waiting_for_chair.reference not in html
    assert to_file.reference in html
    assert "Registrera anmälan till IVO" in html
    assert "Omklassificera" not in html
