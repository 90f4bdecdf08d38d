"""The case page for the person at work: a header saying where the case stands, what it waits
for, from whom and by when; the content in parts by phase, each with only the steps offered
now; and the chair's decision as one form."""

from __future__ import annotations

import re

from app.models import Decision
from tests.factories import case_in


def _page(client, case, status=200):
    response = client.get(f"/arenden/{case.id}")
    assert response.status_code == status
    return response.get_data(as_text=True)


def _header(html: str) -> str:
    start = html.index('class="case-header"')
    return html[start : html.index("</section>", start)]


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


def test_header_says_state_next_step_who_and_by_when(client, auth, world, session):
    case = case_in(session, world, "awaiting_investigation")
    auth.login("sas@test.se")
    header = _text(_header(_page(client, case)))
    assert "Status Väntar på utredning" in header
    # The nearest open deadline is the start of the investigation, met by starting it.
    assert "Nästa steg Starta utredning" in header
    assert "Ansvarig SAS" in header
    assert re.search(r"Senast \w+ \d{1,2} \w+ \d{4} kl\. \d{2}:\d{2} \(\d+ arbetsdag", header)


def test_header_for_the_chair_names_the_decision(client, auth, world, session):
    case = case_in(session, world, "awaiting_decision")
    auth.login("chair@test.se")
    header = _text(_header(_page(client, case)))
    assert "Nästa steg Besluta om anmälan till IVO" in header
    assert "Ansvarig Nämndens ordförande" in header


def test_header_of_a_closed_case_says_nothing_is_needed(client, auth, world, session):
    case = case_in(session, world, "closed")
    auth.login("sas@test.se")
    header = _text(_header(_page(client, case)))
    assert "Status Avslutad" in header
    assert "Inget – ärendet är avslutat." in header


def test_parts_by_phase_with_their_links(client, auth, world, session):
    case = case_in(session, world, "under_investigation")
    auth.login("sas@test.se")
    html = _page(client, case)
    nav = html[html.index('class="phase-nav"') : html.index("</nav>", html.index("phase-nav"))]
    for anchor in ("del-rapport", "del-utredning", "del-historik"):
        assert f'href="#{anchor}"' in nav
        assert f'id="{anchor}"' in html
    # Nothing filed: no IVO part, and no link to an empty one.
    assert "del-ivo" not in html
    # The investigation's steps are in the investigation's part, not in one list at the end.
    part = html.index('id="del-utredning"')
    assert part < html.index('id="steg-complete_investigation"') < html.index('id="del-historik"')
    assert 'id="steg"' not in html


def test_reporter_sees_only_their_parts(client, auth, world, session):
    case = case_in(session, world, "under_investigation")
    auth.login("reporter@test.se")
    html = _page(client, case)
    assert 'href="#del-rapport"' in html
    for anchor in ("del-utredning", "del-beslut", "del-atgarder"):
        assert anchor not in html
    # The case's path is theirs to see; its events are not.
    assert 'id="processkarta"' in html
    assert 'id="historik"' not in html


def test_chair_decides_with_one_form(client, auth, world, session):
    case = case_in(session, world, "awaiting_decision")
    auth.login("chair@test.se")
    html = _page(client, case)
    assert html.count(f'action="/arenden/{case.id}/beslut"') == 1
    for trigger in ("approve_filing", "decline_filing", "return_to_investigator"):
        assert f'action="/arenden/{case.id}/steg/{trigger}"' not in html
        assert f'id="steg-{trigger}"' in html  # Att göra's links land on the choice
    assert html.count("<textarea") == 1
    # Required before submitting; the grade marked as needed only for declining.
    assert re.search(r"<textarea[^>]*id=\"decision-motivation\"[^>]*required", html)
    assert "Behövs bara om du väljer: Besluta att inte anmäla." in html
    assert "novalidate" in html[html.index(f'action="/arenden/{case.id}/beslut"') - 200 :]

    response = client.post(
        f"/arenden/{case.id}/beslut",
        data={
            "expected_version": str(case.version),
            "decision-choice": "approve_filing",
            "decision-motivation": "Allvarligt missförhållande.",
        },
    )
    assert response.status_code == 302
    session.expire_all()
    assert case.state == "awaiting_filing"
    assert case.decisions[-1].outcome == "approve_filing"
    assert case.decisions[-1].motivation == "Allvarligt missförhållande."


def test_refused_decline_keeps_what_was_typed_with_errors_at_the_fields(
    client, auth, world, session
):
    case = case_in(session, world, "awaiting_decision")
    auth.login("chair@test.se")
    response = client.post(
        f"/arenden/{case.id}/beslut",
        data={
            "expected_version": str(case.version),
            "decision-choice": "decline_filing",
            "decision-decider_grade": "misconduct",
            "decision-motivation": "",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'href="#decision-motivation"' in html
    assert 'id="decision-motivation-error"' in html
    assert re.search(r'id="steg-decline_filing"[^>]*checked', html)
    assert re.search(r'<option selected value="misconduct">|value="misconduct" selected', html)
    session.expire_all()
    assert case.state == "awaiting_decision"

    # The grade left out too: its error at the grade.
    response = client.post(
        f"/arenden/{case.id}/beslut",
        data={
            "expected_version": str(case.version),
            "decision-choice": "decline_filing",
            "decision-motivation": "Inte allvarligt.",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="decision-decider_grade-error"' in html
    assert "Inte allvarligt." in html


def test_return_takes_the_motivation_as_what_to_complete(client, auth, world, session):
    case = case_in(session, world, "awaiting_decision")
    auth.login("chair@test.se")
    response = client.post(
        f"/arenden/{case.id}/beslut",
        data={
            "expected_version": str(case.version),
            "decision-choice": "return_to_investigator",
            "decision-motivation": "Intervjua nattpersonalen.",
        },
    )
    assert response.status_code == 302
    session.expire_all()
    assert case.state == "under_investigation"
    assert case.events[-1].comment == "Intervjua nattpersonalen."


def test_no_choice_is_refused_and_not_offered_choices_are_not_taken(client, auth, world, session):
    case = case_in(session, world, "awaiting_decision")
    auth.login("chair@test.se")
    response = client.post(
        f"/arenden/{case.id}/beslut",
        data={"expected_version": str(case.version), "decision-motivation": "Text."},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'href="#decision-choice"' in html
    assert "Text." in html
    response = client.post(
        f"/arenden/{case.id}/beslut",
        data={"decision-choice": "close", "decision-motivation": "Text."},
    )
    assert response.status_code == 422
    session.expire_all()
    assert case.state == "awaiting_decision"
    assert session.query(Decision).filter_by(case_id=case.id).count() == 0


def test_only_the_decider_decides(client, auth, world, session):
    case = case_in(session, world, "awaiting_decision")
    auth.login("sas@test.se")
    assert f'action="/arenden/{case.id}/beslut"' not in _page(client, case)
    response = client.post(
        f"/arenden/{case.id}/beslut",
        data={"decision-choice": "approve_filing", "decision-motivation": "Ja."},
    )
    assert response.status_code == 403
    session.expire_all()
    assert case.state == "awaiting_decision"


def test_a_decision_already_taken_keeps_the_typed_text(client, auth, world, session):
    case = case_in(session, world, "awaiting_decision")
    version = case.version
    auth.login("chair@test.se")
    client.post(
        f"/arenden/{case.id}/beslut",
        data={
            "expected_version": str(version),
            "decision-choice": "approve_filing",
            "decision-motivation": "Först.",
        },
    )
    response = client.post(
        f"/arenden/{case.id}/beslut",
        data={
            "expected_version": str(version),
            "decision-choice": "return_to_investigator",
            "decision-motivation": "Andra beslutet som inte ska försvinna.",
        },
    )
    assert response.status_code == 409
    assert "Andra beslutet som inte ska försvinna." in response.get_data(as_text=True)
