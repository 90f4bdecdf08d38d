"""The case page: who sees which sections, and steps fired through the browser forms."""

from __future__ import annotations

import io
import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from app.cases.page import investigation_due
from app.models import Action, CaseEvent
from tests.factories import action_for, case_in, investigation_data
from workflows.deadlines import open_deadline_for
from workflows.engine import fire
from workflows.records import save_investigation
from workflows.workdays import STOCKHOLM


def _page(client, case, status=200):
    response = client.get(f"/arenden/{case.id}")
    assert response.status_code == status
    return response.get_data(as_text=True)


def _events(session, case):
    return session.scalar(
        select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case.id)
    )


def test_no_access_for_other_manager_admin_or_other_reporter(client, auth, world, session):
    case = case_in(session, world, "submitted")
    for email in (
        "other.manager@test.se",
        "admin@test.se",
        "other.reporter@test.se",
        "log@test.se",
    ):
        auth.login(email)
        html = _page(client, case, 403)
        assert case.description not in html
        assert "Du har inte behörighet" in html
        auth.logout()


def test_missing_case_is_404(client, auth, world):
    auth.login("sas@test.se")
    assert client.get("/arenden/999999").status_code == 404


def test_manager_sees_report_and_persons_but_no_investigation(client, auth, world, session):
    case = case_in(session, world, "under_investigation")
    save_investigation(session, case, world.sas, {"what_happened": "UTREDARENS TEXT"})
    session.flush()
    auth.login("manager@test.se")
    html = _page(client, case)
    assert case.reference in html
    assert case.description in html
    assert "19121212-1212" in html
    assert "Extra tillsyn infördes samma kväll." in html
    assert "UTREDARENS TEXT" not in html
    assert 'id="utredning"' not in html
    assert 'id="historik"' in html


def test_reporter_sees_the_report_but_not_persons_or_history(client, auth, world, session):
    case = case_in(session, world, "under_investigation")
    auth.login("reporter@test.se")
    html = _page(client, case)
    assert case.description in html
    assert "Under utredning" in html
    assert "19121212-1212" not in html
    assert 'id="historik"' not in html
    assert 'id="utredning"' not in html
    assert 'id="steg"' not in html


def test_step_through_the_ui_moves_the_state(client, auth, world, session):
    case = case_in(session, world, "submitted")
    auth.login("manager@test.se")
    html = _page(client, case)
    assert f'action="/arenden/{case.id}/steg/record_immediate_measures"' in html
    assert f'name="expected_version" value="{case.version}"' in html
    response = client.post(
        f"/arenden/{case.id}/steg/record_immediate_measures",
        data={
            "expected_version": str(case.version),
            "record_immediate_measures-measures": "Extra nattillsyn.",
            "record_immediate_measures-taken_at": "2026-01-05T22:00",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/arenden/{case.id}"
    session.expire_all()
    assert case.state == "awaiting_investigation"
    assert case.immediate_measures.measures == "Extra nattillsyn."
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Klart: Dokumentera omedelbara åtgärder" in html
    assert "Väntar på utredning" in html


def test_plain_field_names_are_accepted_too(client, auth, world, session):
    case = case_in(session, world, "awaiting_investigation")
    auth.login("sas@test.se")
    response = client.post(
        f"/arenden/{case.id}/steg/start_investigation",
        data={"expected_version": str(case.version), "investigator_id": ""},
    )
    assert response.status_code == 302
    session.expire_all()
    assert case.state == "under_investigation"
    assert case.investigator_id == world.sas.id


def test_stale_version_is_refused_and_changes_nothing(client, auth, world, session):
    case = case_in(session, world, "awaiting_investigation")
    version, events = case.version, _events(session, case)
    auth.login("sas@test.se")
    response = client.post(
        f"/arenden/{case.id}/steg/start_investigation", data={"expected_version": str(version - 1)}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert 'role="alert"' in html
    assert "Ärendet har ändrats av någon annan" in html
    session.expire_all()
    assert (case.state, case.version, _events(session, case)) == (
        "awaiting_investigation",
        version,
        events,
    )


def test_wrong_state_is_refused_and_changes_nothing(client, auth, world, session):
    case = case_in(session, world, "under_investigation")
    version, events = case.version, _events(session, case)
    auth.login("sas@test.se")
    response = client.post(
        f"/arenden/{case.id}/steg/record_filing",
        data={
            "expected_version": str(version),
            "record_filing-filed_on": date.today().isoformat(),
            "record_filing-channel": "post",
        },
    )
    assert response.status_code == 409
    assert "Steget kan inte utföras" in response.get_data(as_text=True)
    session.expire_all()
    assert (case.state, case.version, _events(session, case)) == (
        "under_investigation",
        version,
        events,
    )
    assert case.filings == []


def test_step_not_allowed_for_this_user(client, auth, world, session):
    case = case_in(session, world, "awaiting_investigation")
    auth.login("manager@test.se")
    response = client.post(
        f"/arenden/{case.id}/steg/start_investigation", data={"expected_version": str(case.version)}
    )
    assert response.status_code == 403
    session.expire_all()
    assert case.state == "awaiting_investigation"


def test_invalid_step_data_shows_errors_by_the_fields(client, auth, world, session):
    case = case_in(session, world, "submitted")
    auth.login("manager@test.se")
    response = client.post(
        f"/arenden/{case.id}/steg/record_immediate_measures",
        data={
            "expected_version": str(case.version),
            "record_immediate_measures-none_needed": "y",
            "record_immediate_measures-measures": "Något jag skrev",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="error-summary" role="alert"' in html
    assert 'href="#record_immediate_measures-none_needed_reason"' in html
    assert 'id="record_immediate_measures-none_needed_reason-error"' in html
    assert (
        'aria-describedby="record_immediate_measures-none_needed_reason-error" aria-invalid="true"'
    ) in html
    assert "Något jag skrev" in html
    session.expire_all()
    assert case.state == "submitted"


def test_missing_prerequisite_is_explained(client, auth, world, session):
    case = case_in(session, world, "submitted")
    fire(session, case, world.sas, "start_investigation", {})
    save_investigation(session, case, world.sas, investigation_data())
    session.flush()
    auth.login("sas@test.se")
    response = client.post(
        f"/arenden/{case.id}/steg/complete_investigation",
        data={"expected_version": str(case.version)},
    )
    assert response.status_code == 422
    assert "Omedelbara åtgärder måste dokumenteras av enhetschefen först." in response.get_data(
        as_text=True
    )


def test_chair_sees_the_proposal_beside_the_decision(client, auth, world, session):
    case = case_in(session, world, "awaiting_decision")
    auth.login("chair@test.se")
    html = _page(client, case)
    proposal = html.index("Utredarens förslag")
    assert html.index("Allvarligt missförhållande", proposal) < html.index(
        'id="steg-approve_filing"'
    )
    assert "Motivering av graden." in html
    for trigger in ("approve_filing", "decline_filing", "return_to_investigator"):
        assert f'id="steg-{trigger}"' in html
    # Read-only: the chair gets no investigation form.
    assert f'action="/arenden/{case.id}/utredning"' not in html
    response = client.post(
        f"/arenden/{case.id}/steg/approve_filing",
        data={"expected_version": str(case.version), "approve_filing-motivation": "Ska anmälas."},
    )
    assert response.status_code == 302
    session.expire_all()
    assert case.state == "awaiting_filing"
    html = _page(client, case)
    assert "Anmäls till IVO" in html
    assert "Ska anmälas." in html


def test_risk_matrix_is_text_not_only_colour(client, auth, world, session):
    case = case_in(session, world, "awaiting_decision")
    auth.login("sas@test.se")
    html = _page(client, case)
    assert "Bedömd risk: allvarlighetsgrad 3 (Betydande) × sannolikhet 3 (Stor) = 9 av 16." in html
    assert "(bedömd)" in html
    assert html.count("risk-cell--chosen") == 1


def test_investigation_is_written_through_the_page(client, auth, world, session):
    case = case_in(session, world, "under_investigation")
    auth.login("sas@test.se")
    html = _page(client, case)
    assert f'action="/arenden/{case.id}/utredning"' in html
    response = client.post(
        f"/arenden/{case.id}/utredning",
        data={
            **{k: v for k, v in investigation_data().items() if not isinstance(v, list)},
            "cause_areas": ["communication", "processes_routines"],
            "expected_version": str(case.version),
        },
    )
    assert response.status_code == 302
    session.expire_all()
    assert case.investigation.cause_areas == ["communication", "processes_routines"]
    assert case.investigation.severity == 3
    html = _page(client, case)
    assert (
        'value="communication" checked' in html
        or 'checked id="cause_areas-0"' in html
        or 'id="cause_areas-0" name="cause_areas" type="checkbox" value="communication"' in html
    )


def test_investigation_save_with_stale_version_is_refused(client, auth, world, session):
    case = case_in(session, world, "under_investigation")
    auth.login("sas@test.se")
    response = client.post(
        f"/arenden/{case.id}/utredning",
        data={
            "what_happened": "Ny text som inte får försvinna",
            "expected_version": str(case.version - 1),
        },
    )
    assert response.status_code == 409
    assert "Ny text som inte får försvinna" in response.get_data(as_text=True)
    session.expire_all()
    assert case.investigation.what_happened == ""


def test_actions_are_added_and_followed_up(client, auth, world, session):
    case = case_in(session, world, "under_investigation")
    auth.login("sas@test.se")
    html = _page(client, case)
    assert '<select class="input" id="owner_id" name="owner_id"' in html
    due = (date.today() + timedelta(days=10)).isoformat()
    response = client.post(
        f"/arenden/{case.id}/atgarder",
        data={
            "description": "Ny rutin för tillsyn.",
            "owner_id": str(world.manager.id),
            "due_on": due,
        },
    )
    assert response.status_code == 302
    session.expire_all()
    action = session.scalar(select(Action).where(Action.case_id == case.id))
    assert (action.description, action.owner_id) == ("Ny rutin för tillsyn.", world.manager.id)

    auth.logout()
    auth.login("manager@test.se")
    html = _page(client, case)
    assert f'id="atgard-{action.id}"' in html
    assert f'name="action-{action.id}-status"' in html
    response = client.post(
        f"/arenden/{case.id}/atgarder/{action.id}", data={f"action-{action.id}-status": "completed"}
    )
    assert response.status_code == 422
    assert f'id="action-{action.id}-completed_on-error"' in response.get_data(as_text=True)
    response = client.post(
        f"/arenden/{case.id}/atgarder/{action.id}",
        data={
            f"action-{action.id}-status": "completed",
            f"action-{action.id}-completed_on": date.today().isoformat(),
            f"action-{action.id}-effect_achieved": "yes",
        },
    )
    assert response.status_code == 302
    session.expire_all()
    assert action.status == "completed"


def test_action_needs_an_owner(client, auth, world, session):
    case = case_in(session, world, "under_investigation")
    auth.login("sas@test.se")
    response = client.post(
        f"/arenden/{case.id}/atgarder",
        data={"description": "Utan ansvarig", "owner_id": "", "due_on": date.today().isoformat()},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="owner_id-error"' in html
    assert "Utan ansvarig" in html


def test_start_investigation_offers_investigators(client, auth, world, session):
    case = case_in(session, world, "awaiting_investigation")
    auth.login("sas@test.se")
    html = _page(client, case)
    select_start = html.index('name="start_investigation-investigator_id"')
    select_html = html[select_start : html.index("</select>", select_start)]
    assert '<option value="">Jag själv (Sas)</option>' in select_html
    # The user is the blank option, not listed a second time by name.
    assert f'value="{world.sas.id}"' not in select_html
    assert f'value="{world.manager.id}"' not in select_html


PNG = b"\x89PNG\r\n\x1a\n" + b"rapportbilaga"


def test_attachments_upload_and_download(client, auth, world, session):
    case = case_in(session, world, "submitted")
    auth.login("manager@test.se")
    response = client.post(
        f"/arenden/{case.id}/bilagor",
        data={"attachment": (io.BytesIO(PNG), "bild.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    session.expire_all()
    attachment = case.attachments[0]
    html = _page(client, case)
    url = f"/arenden/{case.id}/bilagor/{attachment.id}"
    assert url in html
    with client.get(url) as response:
        assert response.status_code == 200
        assert response.data == PNG
        assert response.headers["Content-Disposition"] == "attachment; filename=bild.png"
    auth.logout()
    auth.login("other.manager@test.se")
    assert client.get(url).status_code == 403


def test_refused_upload_type(client, auth, world, session):
    case = case_in(session, world, "submitted")
    auth.login("manager@test.se")
    response = client.post(
        f"/arenden/{case.id}/bilagor",
        data={"attachment": (io.BytesIO(b"MZ"), "program.exe")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Tillåtna filtyper" in response.get_data(as_text=True)
    session.expire_all()
    assert case.attachments == []


def test_early_filing_obligation_is_shown_and_met(client, auth, world, session):
    case = case_in(session, world, "under_investigation")
    save_investigation(session, case, world.sas, investigation_data())
    fire(
        session,
        case,
        world.sas,
        "propose_early_filing",
        {"proposed_grade": "serious_misconduct", "grade_motivation": "Tydligt allvarligt."},
    )
    fire(session, case, world.chair, "approve_filing", {"motivation": "Anmäls."})
    fire(
        session,
        case,
        world.sas,
        "record_filing",
        {"filed_on": date.today().isoformat(), "channel": "post"},
    )
    session.flush()
    auth.login("sas@test.se")
    html = _page(client, case)
    due = investigation_due(session, case)
    # Two months from the filing, as its deadline row says (DOMAIN.md §3.1 rev. 2).
    assert (
        due
        == open_deadline_for(session, case, "investigation_to_ivo")
        .due_at.astimezone(STOCKHOLM)
        .date()
    )
    assert f"Utredningen ska skickas till IVO senast {due.isoformat()}" in html
    assert f'action="/arenden/{case.id}/utredning-skickad"' in html
    response = client.post(
        f"/arenden/{case.id}/utredning-skickad", data={"sent_on": date.today().isoformat()}
    )
    assert response.status_code == 302
    session.expire_all()
    assert case.investigation_sent_to_ivo_on == date.today()
    assert "Utredningen ska skickas till IVO senast" not in _page(client, case)


def test_history_shows_who_did_what(client, auth, world, session):
    case = case_in(session, world, "under_investigation")
    auth.login("sas@test.se")
    html = _page(client, case)
    history = html[html.index('id="historik"') :]
    assert "Rapport inlämnad" in history
    assert "Dokumentera omedelbara åtgärder" in history
    assert "Rapport inkommen → Väntar på utredning" in history
    assert "Manager" in history
    assert "Sas" in history


def test_case_page_has_the_diagram_and_its_text(client, auth, world, session):
    case = case_in(session, world, "awaiting_investigation")
    auth.login("sas@test.se")
    html = _page(client, case)
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="state-diagram" role="img"' in html
    assert "(nuvarande)" in html
    assert "Från Väntar på utredning till Under utredning: Starta utredning" in html


def test_gaps_in_the_investigation_are_shown_at_its_fields(client, auth, world, session):
    case = case_in(session, world, "under_investigation")
    save_investigation(session, case, world.sas, investigation_data(how_noticed=""))
    session.flush()
    auth.login("sas@test.se")
    response = client.post(
        f"/arenden/{case.id}/steg/complete_investigation",
        data={"expected_version": str(case.version)},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'href="#how_noticed"' in html
    assert 'id="how_noticed-error"' in html
    assert 'href="#what_happened"' not in html
    session.expire_all()
    assert case.state == "under_investigation"


def test_ids_on_the_case_page_are_unique(client, auth, world, session):
    pages = []
    for state in ("submitted", "under_investigation", "awaiting_decision", "follow_up", "closed"):
        case = case_in(session, world, state)
        if state in ("under_investigation", "follow_up"):
            action_for(session, world, case)
        pages.append(case)
    session.flush()
    for email in ("sas@test.se", "chair@test.se", "manager@test.se"):
        auth.login(email)
        for case in pages:
            response = client.get(f"/arenden/{case.id}")
            if response.status_code == 403:
                continue
            ids = re.findall(r'\sid="([^"]+)"', response.get_data(as_text=True))
            duplicates = [i for i, n in Counter(ids).items() if n > 1]
            assert duplicates == [], (email, case.state, duplicates)
        auth.logout()


def test_the_page_shows_the_obligation_s_deadline_row(client, auth, world, session):
    """The date comes from the running deadline, never worked out again from the report."""
    case = case_in(session, world, "under_investigation")
    fire(
        session,
        case,
        world.sas,
        "propose_early_filing",
        {"proposed_grade": "serious_misconduct", "grade_motivation": "Tydligt allvarligt."},
    )
    fire(session, case, world.chair, "approve_filing", {"motivation": "Anmäls."})
    auth.login("sas@test.se")
    # Not filed yet: no date, only the rule.
    html = _page(client, case)
    assert "Utredningen ska skickas till IVO senast två månader efter anmälan." in html
    fire(
        session,
        case,
        world.sas,
        "record_filing",
        {"filed_on": date.today().isoformat(), "channel": "post"},
    )
    deadline = open_deadline_for(session, case, "investigation_to_ivo")
    deadline.due_at = datetime(2030, 5, 17, 21, 59, tzinfo=UTC)
    session.flush()
    assert "Utredningen ska skickas till IVO senast 2030-05-17" in _page(client, case)


def test_step_forms_carry_a_csrf_token(client, auth, world, session, app):
    case = case_in(session, world, "awaiting_investigation")
    auth.login("sas@test.se")
    app.config["WTF_CSRF_ENABLED"] = True
    url = f"/arenden/{case.id}/steg/start_investigation"
    assert client.post(url, data={"expected_version": str(case.version)}).status_code == 400
    html = _page(client, case)
    form = html[html.index(f'action="{url}"') :]
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    response = client.post(url, data={"expected_version": str(case.version), "csrf_token": token})
    assert response.status_code == 302
    session.expire_all()
    assert case.state == "under_investigation"
