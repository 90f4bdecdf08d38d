"""Deviations in the browser: the manager's assessment on the risk matrix, escalation to the SAS
or MAS with its reasons, conversion into a linked case, and the local investigation."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from app.models import Case, DeviationAssessment
from tests.factories import assessment, case_of, category_id, deviation_investigation, hsl_unit
from workflows.engine import fire


def _page(client, case, status=200):
    response = client.get(f"/arenden/{case.id}")
    assert response.status_code == status
    return response.get_data(as_text=True)


def _assess(client, case, session, **values):
    data = {"expected_version": str(case.version)}
    data.update({f"assess-{k}": str(v) for k, v in values.items()})
    return client.post(f"/arenden/{case.id}/steg/assess", data=data)


def _cells(html):
    """The risk matrix cells of the assessment section, as text."""
    section = html[
        html.index('id="bedomning"') : html.index("</table>", html.index('id="bedomning"'))
    ]
    # A marker the page hides (the chosen cell's, until risk_matrix.js moves it) is not shown.
    shown = re.sub(r"<span [^>]*hidden>.*?</span>", "", section, flags=re.S)
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip()
        for c in re.findall(r'<td class="risk-cell[^"]*"[^>]*>(.*?)</td>', shown, re.S)
    ]


def test_the_assess_form_offers_the_matrix_scales_as_labelled_radios(client, auth, world, session):
    case = case_of(session, world, "deviation", "submitted")
    auth.login("manager@test.se")
    html = _page(client, case)
    form = html[html.index('id="steg-assess"') :]
    for name, label in (
        ("severity", "Allvarlighetsgrad"),
        ("likelihood", "Sannolikhet för upprepning"),
    ):
        assert re.search(
            rf'<fieldset class="choices" id="assess-{name}" tabindex="-1">\s*'
            rf'<legend class="label">{label} <span class="required">',
            form,
        )
    assert (
        '<input id="assess-severity-2" name="assess-severity" required type="radio" value="3"> '
        '<label for="assess-severity-2">3 Betydande</label>' in form
    )
    assert '<label for="assess-likelihood-3">4 Mycket stor</label>' in form
    assert "Kategorin Stöld/ekonomiska övergrepp går alltid till SAS eller MAS." in form


def test_no_deviation_is_assessed_without_a_severity(client, auth, world, session):
    case = case_of(session, world, "deviation", "submitted")
    auth.login("manager@test.se")
    response = _assess(
        client,
        case,
        session,
        legal_area="HSL",
        category_id=category_id(session, "Fall"),
        likelihood=2,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="error-summary" role="alert"' in html
    assert 'href="#assess-severity"' in html
    assert '<p class="error-message" id="assess-severity-error">' in html
    assert 'aria-describedby="assess-severity-error"' in html
    # What the manager chose is still chosen.
    assert (
        '<input checked id="assess-likelihood-1" name="assess-likelihood" required type="radio" value="2">'
        in html
    )
    assert (
        '<input checked id="assess-legal_area-2" name="assess-legal_area" required type="radio" value="HSL">'
        in html
    )
    assert f'<option selected value="{category_id(session, "Fall")}">Fall</option>' in html
    session.expire_all()
    assert case.state == "submitted"
    assert session.scalar(select(func.count()).select_from(DeviationAssessment)) == 0


def test_risk_matrix_marks_the_chosen_cell_and_the_escalating_ones_in_words(
    client, auth, world, session
):
    case = case_of(session, world, "deviation", "submitted")
    auth.login("manager@test.se")
    response = _assess(
        client,
        case,
        session,
        legal_area="SoL",
        category_id=category_id(session, "Fall"),
        severity=2,
        likelihood=3,
    )
    assert response.status_code == 302
    session.expire_all()
    assert case.state == "local_investigation"
    html = _page(client, case)
    cells = _cells(html)
    # Rows severity 4..1, columns likelihood 1..4: severity 2 × likelihood 3 is row 3, column 3.
    assert len(cells) == 16
    assert cells[2 * 4 + 2] == "6 Vald Lokalt"
    assert [c for c in cells if "Vald" in c] == ["6 Vald Lokalt"]
    # Severity ≥ 3 or score ≥ 8 escalates: both top rows and 2 × 4 = 8.
    escalating = [i for i, c in enumerate(cells) if "Eskaleras" in c]
    assert escalating == [0, 1, 2, 3, 4, 5, 6, 7, 11]
    assert "Under gränserna för eskalering: enhetschefen utreder avvikelsen lokalt." in html
    assert "Riskmatris för avvikelsen" in html
    assert 'th scope="row">Allvarlighetsgrad 4<br><span class="meta">Katastrofal' in html
    assert 'th scope="col">Sannolikhet 1<br><span class="meta">Mycket liten' in html


def test_theft_is_escalated_and_can_only_become_lex_sarah(client, auth, world, session):
    case = case_of(session, world, "deviation", "submitted")
    auth.login("manager@test.se")
    # Below every threshold: the category alone escalates.
    response = _assess(
        client,
        case,
        session,
        legal_area="SoL",
        category_id=category_id(session, "Stöld/ekonomiska övergrepp"),
        severity=1,
        likelihood=1,
    )
    assert response.status_code == 302
    session.expire_all()
    assert case.state == "escalated"
    auth.logout()

    auth.login("sas@test.se")
    html = _page(client, case)
    assert "Eskalerad till SAS" in html
    assert "Kategorin Stöld/ekonomiska övergrepp eskaleras alltid." in html
    assert "Allvarlighetsgraden är" not in html
    assert "Polisanmälan krävs." in html
    steps = re.findall(rf'action="/arenden/{case.id}/steg/([a-z_]+)"', html)
    assert steps == ["convert_to_lex_sarah"]
    assert "Gör om till lex Maria-ärende" not in html.split('id="processkarta"')[0]

    response = client.post(
        f"/arenden/{case.id}/steg/convert_to_lex_sarah",
        data={
            "expected_version": str(case.version),
            "convert_to_lex_sarah-comment": "Stöld från en boende.",
        },
    )
    assert response.status_code == 302
    session.expire_all()
    assert case.state == "converted"
    new = case.successor_case
    assert new.case_type == "lex_sarah"
    html = _page(client, case)
    assert re.search(rf'Omvandlat till\s*<a href="/arenden/{new.id}">{new.reference}</a>', html)


def test_a_converted_case_shows_the_origins_history(client, auth, world, session):
    deviation = case_of(session, world, "deviation", "converted")
    new = deviation.successor_case
    session.flush()
    auth.login("sas@test.se")
    html = _page(client, new)
    assert re.search(
        rf'Skapat från\s*<a href="/arenden/{deviation.id}">{deviation.reference}</a>', html
    )
    history = html[html.index('id="historik"') : html.index('id="processkarta"')]
    assert "Skapat från avvikelse" in history
    origin = history[history.index(f"Historik från {deviation.reference}") :]
    # The deviation's own story, in its own state names.
    assert "Rapport inlämnad" in origin
    assert "Avvikelse rapporterad → Bedöms av SAS/MAS" in origin
    assert "Gör om till lex Sarah-ärende" in origin
    assert "Missförhållande." in origin

    # The reporter sees neither history.
    auth.logout()
    auth.login("reporter@test.se")
    html = _page(client, new)
    assert "Historik från" not in html
    assert 'id="historik"' not in html


def test_hsl_deviation_goes_to_the_mas_with_the_reason(client, auth, world, session):
    case = case_of(session, world, "deviation", "submitted")
    fire(
        session,
        case,
        world.manager,
        "assess",
        assessment(session, legal_area="HSL", category="Läkemedel", severity=2, likelihood=4),
    )
    session.flush()
    auth.login("mas@test.se")
    html = _page(client, case)
    assert "Eskalerad till MAS" in html
    assert "Riskvärdet är 8 – gränsen för eskalering är 8." in html
    assert "Allvarlighetsgraden är" not in html
    assert "Polisanmälan krävs." not in html
    assert set(re.findall(rf'action="/arenden/{case.id}/steg/([a-z_]+)"', html)) == {
        "convert_to_lex_sarah",
        "convert_to_lex_maria",
        "return_to_manager",
    }
    auth.logout()
    auth.login("sas@test.se")
    _page(client, case, 403)


def test_the_manager_investigates_locally_with_the_short_form(client, auth, world, session):
    case = case_of(session, world, "deviation", "local_investigation")
    auth.login("manager@test.se")
    html = _page(client, case)
    start = html.index(f'action="/arenden/{case.id}/utredning"')
    form = html[start : html.index("</form>", start)]
    names = set(re.findall(r'name="([a-z_]+)"', form)) - {
        "csrf_token",
        "expected_version",
        "with_investigation",
    }
    assert names == {
        "what_happened",
        "cause_areas",
        "underlying_causes",
        "causes_text",
        "measures_text",
    }
    assert "Lokal utredning" in html
    assert f'action="/arenden/{case.id}/atgarder"' in html
    # No immediate-measures step for a deviation.
    assert "Omedelbara åtgärder" not in html

    response = client.post(
        f"/arenden/{case.id}/utredning",
        data={**deviation_investigation(), "expected_version": str(case.version)},
    )
    assert response.status_code == 302
    session.expire_all()
    response = client.post(
        f"/arenden/{case.id}/steg/complete_investigation",
        data={"expected_version": str(case.version)},
    )
    assert response.status_code == 302
    session.expire_all()
    assert case.state == "follow_up"
    html = _page(client, case)
    assert "Batteriet i larmmottagaren var slut." in html
    assert 'id="steg-close"' in html


def test_gaps_in_the_local_investigation_are_shown_at_its_fields(client, auth, world, session):
    case = case_of(session, world, "deviation", "local_investigation")
    auth.login("manager@test.se")
    response = client.post(
        f"/arenden/{case.id}/steg/complete_investigation",
        data={"expected_version": str(case.version)},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for field in ("what_happened", "measures_text", "cause_areas"):
        assert f'id="{field}-error"' in html
    assert 'id="how_noticed-error"' not in html


def test_deviation_pages_have_unique_ids(client, auth, world, session):
    unit = hsl_unit(session, world)
    cases = [
        case_of(session, world, "deviation", state)
        for state in ("submitted", "escalated", "local_investigation", "follow_up", "converted")
    ]
    cases.append(
        case_of(session, world, "deviation", "escalated", unit=unit, manager=world.area_manager)
    )
    session.flush()
    for email in ("manager@test.se", "sas@test.se", "mas@test.se", "area.manager@test.se"):
        auth.login(email)
        for case in cases:
            response = client.get(f"/arenden/{case.id}")
            if response.status_code == 403:
                continue
            ids = re.findall(r'\sid="([^"]+)"', response.get_data(as_text=True))
            assert [i for i in set(ids) if ids.count(i) > 1] == [], (email, case.state)
        auth.logout()


def test_converted_is_listed_for_the_sas(client, auth, world, session):
    deviation = case_of(session, world, "deviation", "converted")
    auth.login("sas@test.se")
    html = client.get("/arenden?typ=deviation").get_data(as_text=True)
    assert deviation.reference in html
    assert deviation.successor_case.reference not in html
    assert session.scalar(select(func.count()).select_from(Case)) == 2
