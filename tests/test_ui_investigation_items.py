"""The investigation's content on the page, in the PDF and in the API (DOMAIN.md §3.1–3.2 rev. 2):
each item's author (name and title), date, source and fact/assessment; the person, their
representative and whether they were heard; the event analysis's team as a list of participants,
added and removed without JavaScript; and a refused completion that keeps what was typed."""

from __future__ import annotations

import re

import pytest

from tests.api_client import Api, error_of
from tests.factories import case_in, case_of, investigation_data, lex_maria_investigation
from tests.test_documents_pdf import download, pdf_text
from workflows.engine import as_formdata, fire
from workflows.records import save_investigation

NOTES = {
    "what_happened_source": "Samtal med nattpersonalen",
    "what_happened_kind": "fact",
    "proposal_source": "Utredarens samlade bedömning",
    "proposal_kind": "assessment",
}


def _page(client, case, status=200, url=None):
    response = client.get(url or f"/arenden/{case.id}")
    assert response.status_code == status
    return response.get_data(as_text=True)


def _section(html):
    start = html.index('id="utredning"')
    return html[start : html.index('class="phase"', start)]


def _completed_lex_sarah(session, world):
    case = case_in(session, world, "under_investigation")
    world.sas.title = "Socialt ansvarig samordnare"
    save_investigation(session, case, world.sas, investigation_data(**NOTES))
    fire(session, case, world.sas, "complete_investigation", {})
    session.flush()
    return case


def test_the_reader_sees_each_item_s_author_source_and_kind(client, auth, world, session):
    case = _completed_lex_sarah(session, world)
    auth.login("chair@test.se")
    section = " ".join(_section(_page(client, case)).split())
    stamp = re.search(
        r'data-item-stamp="what_happened">Skrivet av Sas, Socialt ansvarig samordnare, '
        r"\d{4}-\d\d-\d\d \d\d:\d\d</p>",
        section,
    )
    assert stamp, section
    assert 'Källa: <span class="prewrap">Samtal med nattpersonalen</span>.' in section
    assert "Uppgiften är: Faktauppgift." in section
    assert 'Källa: <span class="prewrap">Utredarens samlade bedömning</span>.' in section
    assert "Uppgiften är: Bedömning." in section
    # An item without a source says so rather than leaving it out.
    assert "Källa: Inte angiven." in section


def test_the_investigator_writes_each_item_s_source_and_kind(client, auth, world, session):
    case = case_in(session, world, "under_investigation")
    auth.login("sas@test.se")
    html = _page(client, case)
    assert 'name="what_happened_source"' in html
    assert 'name="what_happened_kind" type="radio" value="fact"' in html
    response = client.post(
        f"/arenden/{case.id}/utredning",
        data={
            "what_happened": "Den boende föll.",
            "what_happened_source": "Journalen",
            "what_happened_kind": "fact",
            "expected_version": str(case.version),
        },
    )
    assert response.status_code == 302
    session.expire_all()
    item = case.investigation.item("what_happened")
    assert (item.source, item.kind, item.written_by_name) == ("Journalen", "fact", "Sas")
    html = _page(client, case)
    assert re.search(r'id="what_happened_source"[^>]*value="Journalen"', html)
    assert 'data-item-stamp="what_happened">Skrivet av Sas, Titel' in html


def test_the_person_the_representative_and_being_heard_are_three_questions(
    client, auth, world, session
):
    case = case_in(session, world, "under_investigation")
    auth.login("sas@test.se")
    html = _page(client, case)
    for question in (
        "Har den enskilde informerats?",
        "Har den enskildes företrädare informerats?",
        "Har den enskilde fått lämna synpunkter?",
    ):
        assert question in html
    assert 'value="no_representative"' in html
    assert "Den enskilde har ingen företrädare" in html


def test_a_refused_completion_names_the_missing_answers_and_keeps_what_was_typed(
    client, auth, world, session
):
    case = case_in(session, world, "under_investigation")
    auth.login("sas@test.se")
    data = investigation_data(person_heard=None, representative_informed=None, **NOTES)
    response = client.post(
        f"/arenden/{case.id}/steg/complete_investigation",
        data=as_formdata({**data, "with_investigation": "1", "expected_version": case.version}),
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Ange om den enskilde har fått lämna synpunkter." in html
    assert "Ange om den enskildes företrädare (god man, förvaltare eller anhörig)" in html
    assert re.search(r'id="what_happened_source"[^>]*value="Samtal med nattpersonalen"', html)
    session.expire_all()
    assert case.state == "under_investigation"
    assert case.investigation.item("what_happened").source == "Samtal med nattpersonalen"


# --- the event analysis's team ------------------------------------------------------------------


def _row_names(html):
    return sorted(set(re.findall(r'name="analysis_team-(\d+)-name"', html)), key=int)


def test_a_participant_is_added_without_javascript(client, auth, world, session):
    case = case_of(session, world, "lex_maria", "under_investigation")
    auth.login("mas@test.se")
    assert _row_names(_page(client, case)) == ["0"]
    response = client.post(
        f"/arenden/{case.id}/utredning",
        data={
            "analysis_team-0-name": "Anna Berg",
            "analysis_team-0-role": "sjuksköterska",
            "analysis_team-0-unit": "Solgården",
            "analysis_team-1-name": "",
            "analysis_team-1-role": "",
            "analysis_team-1-unit": "",
            "add_participant": "1",
            "expected_version": str(case.version),
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/arenden/{case.id}?deltagarrader=2#analysteam")
    session.expire_all()
    assert [(p.name, p.role, p.unit) for p in case.investigation.analysis_team] == [
        ("Anna Berg", "sjuksköterska", "Solgården")
    ]
    html = _page(client, case, url=response.headers["Location"])
    # The saved participant and two empty rows: the one posted empty and the one asked for.
    assert _row_names(html) == ["0", "1", "2"]
    assert re.search(r'id="analysis_team-0-name"[^>]*value="Anna Berg"', html)


def test_a_participant_ticked_for_removal_is_removed_on_saving(client, auth, world, session):
    case = case_of(session, world, "lex_maria", "under_investigation")
    save_investigation(session, case, world.mas, lex_maria_investigation())
    auth.login("mas@test.se")
    html = _page(client, case)
    assert 'name="analysis_team-1-remove"' in html
    data = as_formdata(
        {
            **lex_maria_investigation(),
            "expected_version": case.version,
        }
    )
    data.add("analysis_team-1-remove", "y")
    response = client.post(f"/arenden/{case.id}/utredning", data=data)
    assert response.status_code == 302
    session.expire_all()
    assert [p.name for p in case.investigation.analysis_team] == ["Anna Berg"]


def test_a_refused_event_analysis_keeps_its_typed_team_and_names_each_gap(
    client, auth, world, session
):
    case = case_of(session, world, "lex_maria", "under_investigation")
    auth.login("mas@test.se")
    team = [
        {"name": "Anna Berg", "role": "sjuksköterska", "unit": "Solgården"},
        {"name": "Karin Ek", "role": "", "unit": ""},
    ]
    data = lex_maria_investigation(
        analysis_team=team, commissioner_comment="", method_source="Händelseanalysens handbok"
    )
    response = client.post(
        f"/arenden/{case.id}/steg/complete_investigation",
        data=as_formdata({**data, "with_investigation": "1", "expected_version": case.version}),
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'id="analysis_team-1-name"[^>]*value="Karin Ek"', html)
    assert "Ange deltagarens roll." in html
    assert re.search(r'id="method_source"[^>]*value="Händelseanalysens handbok"', html)
    summary = html[html.index('class="error-summary"') :]
    assert "2 uppgifter i utredningen saknas" in summary


def test_a_refused_save_keeps_the_rows_as_typed(client, auth, world, session):
    case = case_of(session, world, "lex_maria", "under_investigation")
    auth.login("mas@test.se")
    response = client.post(
        f"/arenden/{case.id}/utredning",
        data={
            "analysis_team-0-name": "Anna Berg",
            "analysis_team-0-role": "x" * 201,
            "analysis_team-3-name": "Karin Ek",
            "expected_version": str(case.version),
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'value="Anna Berg"', html)
    assert re.search(r'value="Karin Ek"', html)
    session.expire_all()
    assert case.investigation.analysis_team == []


# --- the PDF --------------------------------------------------------------------------------------


def test_the_investigation_pdf_shows_each_item_s_author_source_and_kind(
    client, auth, world, session
):
    case = _completed_lex_sarah(session, world)
    auth.login("sas@test.se")
    text = pdf_text(download(client, case, "investigation").data)
    for expected in (
        "1. Missförhållandet eller risken och dess konsekvenser",
        "Källa: Samtal med nattpersonalen. Uppgiften är: Faktauppgift. "
        "Skriven av: Sas, Socialt ansvarig samordnare,",
        "9. Förslag till bedömning",
        "Källa: Utredarens samlade bedömning. Uppgiften är: Bedömning.",
        "Källa: Ej angiven. Uppgiften är: Ej angivet. Skriven av: Sas, Socialt ansvarig",
        "Har den enskildes företrädare informerats? Ja",
        "Har den enskilde fått lämna synpunkter? Ja",
    ):
        assert expected in text, expected
    # Item 8 was left empty: nobody wrote it.
    assert text.count("Skriven av: Sas, Socialt ansvarig samordnare") == 8
    assert (
        "8. Annat som framkommit Uppgift saknas Källa: Ej angiven. Uppgiften är: Ej angivet. "
        "Skriven av: Ej angiven." in text
    )


def test_the_event_analysis_pdf_lists_the_team_and_each_item_s_author(client, auth, world, session):
    case = case_of(session, world, "lex_maria", "under_investigation")
    world.mas.title = "Medicinskt ansvarig sjuksköterska"
    save_investigation(
        session,
        case,
        world.mas,
        lex_maria_investigation(
            analysis_team_source="Verksamhetschefens uppdrag", analysis_team_kind="fact"
        ),
    )
    fire(session, case, world.mas, "complete_investigation", {})
    session.flush()
    auth.login("mas@test.se")
    text = pdf_text(download(client, case, "investigation").data)
    for expected in (
        "Analysteam",
        "Anna Berg, sjuksköterska, analysledare, Solgården",
        "Karin Ek, undersköterska, Solgården",
        "Källa: Verksamhetschefens uppdrag. Uppgiften är: Faktauppgift. "
        "Skriven av: Mas, Medicinskt ansvarig sjuksköterska,",
        "Uppdragsgivarens kommentar",
    ):
        assert expected in text, expected
    assert text.count("Skriven av: Mas, Medicinskt ansvarig sjuksköterska") == 12


# --- the API --------------------------------------------------------------------------------------


@pytest.fixture
def api(client, session):
    return Api(client, session)


def test_the_api_reads_and_writes_the_team_and_the_items(api, session, world):
    case = case_of(session, world, "lex_maria", "under_investigation")
    team = [{"name": "Anna Berg", "role": "sjuksköterska", "unit": "Solgården"}]
    response = api.patch(
        world.mas,
        f"cases/{case.id}/investigation",
        {"analysis_team": team, "method": "Tidslinje.", "method_kind": "fact"},
    )
    assert response.status_code == 200, response.get_json()
    inv = response.get_json()["case"]["investigation"]
    assert inv["analysis_team"] == team
    method = next(i for i in inv["items"] if i["item"] == "method")
    assert method["kind"] == "fact"
    assert method["written_by"] == {"id": world.mas.id, "name": "Mas", "title": "Titel"}
    assert method["written_at"]
    assert [i["item"] for i in inv["items"]][:3] == ["assignment", "analysis_team", "method"]
    # What was read is sent back unchanged: nothing moves.
    again = api.put(world.mas, f"cases/{case.id}/investigation", inv)
    assert again.status_code == 200, again.get_json()
    assert again.get_json()["case"]["investigation"]["analysis_team"] == team


def test_the_api_refuses_completion_without_the_person_heard(api, session, world):
    case = case_in(session, world, "under_investigation")
    save_investigation(
        session,
        case,
        world.sas,
        investigation_data(person_heard=None, representative_informed=None),
    )
    response = api.fire(world.sas, case.id, "complete_investigation")
    assert response.status_code == 422
    fields = error_of(response)["fields"]
    assert set(fields) == {"person_heard", "representative_informed"}
    assert fields["person_heard"] == ["Ange om den enskilde har fått lämna synpunkter."]


def test_the_api_names_each_participant_s_gap(api, session, world):
    case = case_of(session, world, "lex_maria", "under_investigation")
    save_investigation(
        session,
        case,
        world.mas,
        lex_maria_investigation(analysis_team=[{"name": "", "role": "läkare", "unit": ""}]),
    )
    response = api.fire(world.mas, case.id, "complete_investigation")
    assert response.status_code == 422
    assert error_of(response)["fields"] == {"analysis_team": [{"name": ["Ange deltagarens namn."]}]}
