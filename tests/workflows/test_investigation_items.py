"""Each item of an investigation carries its author's name and title, its date, its source and
whether it states a fact or an assessment (DOMAIN.md §3.1–3.2 rev. 2, SOSFS 2011:5 5 kap.)."""

from __future__ import annotations

import pytest

from tests.factories import (
    case_in,
    case_of,
    investigation_data,
    lex_maria_investigation,
    make_user,
)
from workflows.errors import InvalidData
from workflows.records import save_investigation


def test_an_item_records_its_author_s_name_title_and_date(session, world):
    case = case_in(session, world, "under_investigation")
    world.sas.title = "Socialt ansvarig samordnare"
    inv = save_investigation(
        session,
        case,
        world.sas,
        {
            "what_happened": "Den boende blev liggande.",
            "what_happened_source": "Samtal med nattpersonalen",
            "what_happened_kind": "fact",
            "proposed_grade": "misconduct",
            "grade_motivation": "Bedömningen bygger på utredningen.",
            "proposal_kind": "assessment",
        },
    )
    item = inv.item("what_happened")
    assert item is not None
    assert (item.written_by_id, item.written_by_name, item.written_by_title) == (
        world.sas.id,
        "Sas",
        "Socialt ansvarig samordnare",
    )
    assert item.written_at is not None
    assert (item.source, item.kind) == ("Samtal med nattpersonalen", "fact")
    proposal = inv.item("proposal")
    assert proposal is not None
    assert (proposal.kind, proposal.source) == ("assessment", "")
    # Items nobody wrote have no author.
    assert inv.item("how_noticed") is None


def test_the_author_is_the_acting_user_not_the_case_s_investigator(session, world):
    case = case_in(session, world, "under_investigation")
    save_investigation(session, case, world.sas, investigation_data())
    colleague = make_user(session, "medutredare@test.se", ["sas"], name="Mia Medutredare")
    colleague.title = "Socionom"
    inv = save_investigation(
        session,
        case,
        colleague,
        investigation_data(how_noticed="Upptäcktes vid tillsyn kl. 22.", how_noticed_kind="fact"),
    )
    assert case.investigator_id == world.sas.id
    noticed, happened = inv.item("how_noticed"), inv.item("what_happened")
    assert noticed is not None
    assert happened is not None
    assert (noticed.written_by_name, noticed.written_by_title) == ("Mia Medutredare", "Socionom")
    # An item the colleague left as it was keeps its author.
    assert happened.written_by_id == world.sas.id


def test_a_later_change_of_name_does_not_rewrite_the_item_s_author(session, world):
    case = case_in(session, world, "under_investigation")
    inv = save_investigation(session, case, world.sas, {"what_happened": "Text."})
    world.sas.name = "Sas Nytt-Namn"
    world.sas.title = "Ny titel"
    session.flush()
    session.expire_all()
    item = case.investigation.item("what_happened")
    assert item is not None
    assert (item.written_by_name, item.written_by_title) == ("Sas", "Titel")
    assert inv.item_authors["what_happened"]["title"] == "Titel"


def test_a_new_source_makes_its_writer_the_item_s_author(session, world):
    case = case_in(session, world, "under_investigation")
    save_investigation(session, case, world.sas, investigation_data())
    colleague = make_user(session, "sas2@test.se", ["sas"], name="Kollega")
    inv = save_investigation(
        session, case, colleague, investigation_data(causes_source="Avvikelserapporter 2026")
    )
    causes = inv.item("causes")
    assert causes is not None
    assert (causes.source, causes.written_by_name) == ("Avvikelserapporter 2026", "Kollega")
    assert case.events[-1].data == {"items": [], "notes": ["causes"]}
    # A save that changes nothing names no new author.
    events = len(case.events)
    save_investigation(
        session, case, world.sas, investigation_data(causes_source="Avvikelserapporter 2026")
    )
    session.expire_all()
    assert len(case.events) == events
    assert case.investigation.item("causes").written_by_name == "Kollega"


def test_the_item_of_several_fields_is_one_statement(session, world):
    case = case_in(session, world, "under_investigation")
    save_investigation(session, case, world.sas, investigation_data())
    colleague = make_user(session, "sas2@test.se", ["sas"], name="Kollega")
    inv = save_investigation(session, case, colleague, investigation_data(likelihood="4"))
    risk = inv.item("risk")
    assert risk is not None
    assert risk.written_by_name == "Kollega"
    assert inv.item("causes").written_by_name == "Sas"


def test_the_kind_is_a_fact_or_an_assessment(session, world):
    case = case_in(session, world, "under_investigation")
    with pytest.raises(InvalidData) as caught:
        save_investigation(session, case, world.sas, investigation_data(risk_kind="gissning"))
    assert "risk_kind" in caught.value.field_errors
    assert case.investigation.items == []


def test_an_item_the_case_type_does_not_have_is_refused(session, world):
    case = case_in(session, world, "under_investigation")
    with pytest.raises(InvalidData) as caught:
        save_investigation(
            session, case, world.sas, investigation_data(assignment_source="Uppdraget")
        )
    assert caught.value.field_errors == {
        "assignment_source": ["Uppgiften finns inte i den här ärendetypens utredning."]
    }


def test_the_event_analysis_items_have_their_own_notes(session, world):
    case = case_of(session, world, "lex_maria", "under_investigation")
    inv = save_investigation(
        session,
        case,
        world.mas,
        lex_maria_investigation(
            analysis_team_source="Verksamhetschefens uppdrag",
            contributing_factors_kind="assessment",
        ),
    )
    team = inv.item("analysis_team")
    assert team is not None
    assert (team.source, team.written_by_name) == ("Verksamhetschefens uppdrag", "Mas")
    assert inv.item("contributing_factors").kind == "assessment"
    # Lex Sarah's numbered items are not the event analysis's.
    assert inv.item("how_noticed") is None
