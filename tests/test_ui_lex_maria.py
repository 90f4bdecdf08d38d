"""Lex Maria in the browser: the event analysis, information to the patient (PSL 3 kap. 8 §)
and the report to Läkemedelsverket, each recorded by the MAS on the case page."""

from __future__ import annotations

import re
from datetime import date

from app.models.investigation import ITEMS
from tests.factories import (
    CLOSE,
    FEEDBACK,
    PATIENT_INFORMATION,
    case_in,
    case_of,
    lex_maria_investigation,
)
from workflows.engine import as_formdata, fire
from workflows.feedback import record_feedback
from workflows.records import save_investigation

EVENT_ANALYSIS = {
    "purpose",
    "commissioner",
    "assignment_date",
    "report_due_date",
    "method",
    "what_happened",
    "cause_areas",
    "underlying_causes",
    "causes_text",
    "contributing_factors",
    "other_risks",
    "severity",
    "likelihood",
    "measures_text",
    "analysis_evaluation",
    "commissioner_comment",
    "proposed_grade",
    "grade_motivation",
    # Each item's source and whether it states a fact or an assessment.
    *(f"{key}_{part}" for key, _fields in ITEMS["lex_maria"] for part in ("source", "kind")),
    # The analysis team's rows are added without JavaScript.
    "add_participant",
}
LEX_SARAH_ONLY = {
    "event_types",
    "police_report",
    "person_informed",
    "person_heard",
    "noted_in_record",
}


def _page(client, case, status=200):
    response = client.get(f"/arenden/{case.id}")
    assert response.status_code == status
    return response.get_data(as_text=True)


def _form_names(html, action):
    start = html.index(f'action="{action}"')
    form = html[start : html.index("</form>", start)]
    return set(re.findall(r'name="([a-z_]+)"', form)) - {
        "csrf_token",
        "expected_version",
        "with_investigation",
    }


def test_the_mas_writes_an_event_analysis_without_lex_sarah_items(client, auth, world, session):
    case = case_of(session, world, "lex_maria", "under_investigation")
    auth.login("mas@test.se")
    html = _page(client, case)
    assert '<h2 id="utredning-rubrik">Utredning (händelseanalys)</h2>' in html
    names = _form_names(html, f"/arenden/{case.id}/utredning")
    assert names == EVENT_ANALYSIS
    assert not names & LEX_SARAH_ONLY
    # The team is a list of participants: an empty row to begin with.
    for part in ("name", "role", "unit"):
        assert f'name="analysis_team-0-{part}"' in html
    assert (
        '<label class="label" for="what_happened">Händelsebeskrivning (begriplig utan medicinsk utbildning)'
        in html
    )
    assert "Analysteam: deltagare" in html
    assert "Uppdragsgivarens kommentar" in html
    # The grades are lex Maria's.
    assert (
        '<option value="risk_of_serious_care_injury">Kunde ha medfört allvarlig vårdskada</option>'
        in html
    )
    assert "Allvarligt missförhållande" not in html
    assert "Polisanmälan" not in html
    assert "personakten" not in html
    # The patient-information form is the MAS's.
    assert f'action="/arenden/{case.id}/patientinformation"' in html
    assert "Information till patienten (PSL 3 kap. 8 §)" in html


def test_the_event_analysis_is_saved_and_read(client, auth, world, session):
    case = case_of(session, world, "lex_maria", "under_investigation")
    auth.login("mas@test.se")
    data = lex_maria_investigation()
    response = client.post(
        f"/arenden/{case.id}/utredning",
        data=as_formdata({**data, "expected_version": str(case.version)}),
    )
    assert response.status_code == 302
    session.expire_all()
    assert [(p.name, p.role) for p in case.investigation.analysis_team] == [
        ("Anna Berg", "sjuksköterska, analysledare"),
        ("Karin Ek", "undersköterska"),
    ]
    assert case.investigation.commissioner_comment == "Åtgärderna godkänns."
    fire(session, case, world.mas, "complete_investigation", {})
    session.flush()
    html = _page(client, case)
    # Read-only once completed: each item under its own name.
    assert f'action="/arenden/{case.id}/utredning"' not in html
    # The investigation's part of the page runs to the next part (app/cases/page.PHASES).
    start = html.index('id="utredning"')
    section = html[start : html.index('class="phase"', start)]
    for text in (
        "Händelsebeskrivning (begriplig utan medicinsk utbildning)",
        data["what_happened"],
        "Analysteam: deltagare",
        "Anna Berg, sjuksköterska, analysledare, Solgården",
        "Bidragande faktorer",
        "Hög arbetsbelastning under kvällen.",
        "Utvärdering av analysen",
        "Uppdragsgivarens kommentar",
        "Allvarlig vårdskada",
        date.today().isoformat(),
    ):
        assert text in section
    assert "Typ av händelse" not in section
    assert "Polisanmälan" not in section


def test_lex_sarah_shows_its_own_items_not_the_event_analysis(client, auth, world, session):
    case = case_in(session, world, "under_investigation")
    auth.login("sas@test.se")
    html = _page(client, case)
    names = _form_names(html, f"/arenden/{case.id}/utredning")
    assert names >= LEX_SARAH_ONLY
    assert not names & {"purpose", "commissioner", "add_participant", "method", "assignment_source"}
    assert "analysis_team-0-name" not in html
    assert "Information till patienten" not in html
    assert "1. Vad missförhållandet eller risken bestod i" in html


def test_patient_information_is_recorded_and_listed(client, auth, world, session):
    case = case_of(session, world, "lex_maria", "under_investigation")
    auth.login("mas@test.se")
    html = _page(client, case)
    assert "Ingen information till patienten är registrerad än." in html
    # Prefilled with who records it, the usual case.
    assert re.search(r'<input [^>]*id="informed_by"[^>]*value="Mas">', html)
    response = client.post(
        f"/arenden/{case.id}/patientinformation",
        data={
            **{k: v for k, v in PATIENT_INFORMATION.items() if k != "noted_in_patient_record"},
            "noted_in_patient_record": "y",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#patientinformation")
    session.expire_all()
    (info,) = case.patient_information
    assert info.recipient == "patient"
    html = _page(client, case)
    listed = html[html.index('id="patientinformation"') : html.index('id="historik"')]
    assert "Anna Berg, sjuksköterska" in listed
    assert "Att en vårdskada har inträffat, Vilka åtgärder vårdgivaren planerar" in listed
    assert "Jag märkte att jag fick två tabletter." in listed
    assert "Ingen information till patienten är registrerad än." not in html


def test_refused_patient_information_keeps_what_was_typed(client, auth, world, session):
    case = case_of(session, world, "lex_maria", "under_investigation")
    auth.login("mas@test.se")
    response = client.post(
        f"/arenden/{case.id}/patientinformation",
        data={
            "informed_on": date.today().isoformat(),
            "informed_by": "Sköterska Siv",
            "recipient": "relative",
            "recipient_name": "",
            "topics": ["injury_occurred"],
            "patient_account": "Dottern berättade om kvällen.",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="recipient_name-error"' in html
    assert "Ange vilken närstående som fick informationen." in html
    # All six topics and the note in the patient record are required (PSL 3 kap. 8 §, rev. 2).
    assert 'id="topics-error"' in html
    assert "Informationen ska omfatta alla sex delar." in html
    assert 'id="noted_in_patient_record-error"' in html
    assert 'value="Sköterska Siv"' in html
    assert "Dottern berättade om kvällen." in html
    assert '<input checked id="recipient-1"' in html
    session.expire_all()
    assert case.patient_information == []


def test_closing_without_patient_information_is_refused_in_swedish(client, auth, world, session):
    case = case_of(session, world, "lex_maria", "follow_up")
    record_feedback(session, case, world.mas, FEEDBACK)
    auth.login("mas@test.se")
    response = client.post(
        f"/arenden/{case.id}/steg/close",
        data={"expected_version": str(case.version), **{f"close-{k}": v for k, v in CLOSE.items()}},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    summary = html[
        html.index('class="error-summary"') : html.index(
            "</div>", html.index('class="error-summary"')
        )
    ]
    assert (
        "Informationen till patienten (PSL 3 kap. 8 §) måste registreras innan ärendet avslutas."
        in summary
    )
    # What was chosen for closing is kept.
    assert 'selected value="yes"' in html
    session.expire_all()
    assert case.state == "follow_up"


def test_medical_device_report_is_an_obligation_until_recorded(client, auth, world, session):
    case = case_of(session, world, "lex_maria", "under_investigation", medical_device=True)
    auth.login("mas@test.se")
    html = _page(client, case)
    assert "Rapport till Läkemedelsverket ska göras" in html
    box = html[
        html.index('id="lakemedelsverket"') : html.index(
            "</section>", html.index('id="lakemedelsverket"')
        )
    ]
    assert "Ska göras:" in box
    assert f'action="/arenden/{case.id}/lakemedelsverket"' in box
    response = client.post(f"/arenden/{case.id}/lakemedelsverket", data={"reported_on": ""})
    assert response.status_code == 422
    assert 'id="reported_on-error"' in response.get_data(as_text=True)
    response = client.post(
        f"/arenden/{case.id}/lakemedelsverket", data={"reported_on": date.today().isoformat()}
    )
    assert response.status_code == 302
    session.expire_all()
    assert case.medical_device_reported_on == date.today()
    html = _page(client, case)
    box = html[
        html.index('id="lakemedelsverket"') : html.index(
            "</section>", html.index('id="lakemedelsverket"')
        )
    ]
    assert f"Rapporten till Läkemedelsverket gjordes {date.today().isoformat()}." in box
    assert "<form" not in box
    assert "Rapport till Läkemedelsverket ska göras" not in html


def test_no_medical_device_box_without_a_device(client, auth, world, session):
    case = case_of(session, world, "lex_maria", "under_investigation")
    auth.login("mas@test.se")
    assert 'id="lakemedelsverket"' not in _page(client, case)


def test_the_manager_records_measures_but_sees_no_analysis(client, auth, world, session):
    case = case_of(session, world, "lex_maria", "submitted")
    auth.login("manager@test.se")
    html = _page(client, case)
    assert f'action="/arenden/{case.id}/steg/record_immediate_measures"' in html
    assert "skydda patienten" in html
    assert 'id="utredning"' not in html
    assert 'id="patientinformation"' not in html
    auth.logout()
    auth.login("sas@test.se")
    _page(client, case, 403)


def test_reclassified_case_links_back_without_showing_what_the_user_may_not_see(
    client, auth, world, session
):
    sarah = case_in(session, world, "awaiting_investigation")
    fire(
        session,
        sarah,
        world.sas,
        "reclassify",
        {"target_type": "lex_maria", "comment": "Vårdskada."},
    )
    maria = sarah.successor_case
    session.flush()
    auth.login("mas@test.se")
    html = _page(client, maria)
    panel = html[
        html.index('id="kopplade"') : html.index("</section>", html.index('id="kopplade"'))
    ]
    assert sarah.reference in panel
    assert f'href="/arenden/{sarah.id}"' not in panel
    assert "Historik från" not in html
    auth.logout()
    auth.login("sas@test.se")
    html = _page(client, sarah)
    assert re.search(
        rf'Omklassificerat till\s*<span class="reference">{maria.reference}</span>', html
    )
    auth.logout()
    # The unit's manager sees both histories.
    auth.login("manager@test.se")
    html = _page(client, maria)
    assert f"Historik från {sarah.reference}" in html
    assert "Rapport inkommen → Väntar på utredning" in html


def test_lex_maria_pages_have_unique_ids(client, auth, world, session):
    cases = [
        case_of(session, world, "lex_maria", state, medical_device=True)
        for state in (
            "submitted",
            "under_investigation",
            "awaiting_decision",
            "follow_up",
            "closed",
        )
    ]
    save_investigation(session, cases[1], world.mas, lex_maria_investigation())
    session.flush()
    for email in ("mas@test.se", "manager@test.se"):
        auth.login(email)
        for case in cases:
            ids = re.findall(r'\sid="([^"]+)"', _page(client, case))
            assert [i for i in set(ids) if ids.count(i) > 1] == [], (email, case.state)
        auth.logout()
