"""Tidsfrister: the SAS's and the MAS's overview of open and overdue deadlines by unit and kind,
each over the cases they oversee, counted against figures counted by hand."""

from __future__ import annotations

import re

import pytest

from app.cases.clock import overview
from tests.clock.support import Clock, assessment, local, new_deviation, new_lex_maria
from tests.factories import MEASURES, new_case
from workflows.engine import fire
from workflows.sweep import sweep
from workflows.visibility import overseen

NOW = local(2026, 12, 8, 12, 0)


@pytest.fixture
def cases(session, world, monkeypatch):  # type: ignore[no-untyped-def]
    """Received Monday 09:00; seen Tuesday 12:00, when the 24 hours of immediate measures have
    passed and the two working days of investigation_start have not.

    a  lex Sarah, Solgården: immediate_measures (overdue), investigation_start
    b  lex Sarah, Solgården, measures recorded: investigation_start
    c  lex Sarah, Linden: immediate_measures (overdue), investigation_start
    d  lex Maria, Solgården: immediate_measures (overdue), investigation_start — the MAS's
    e  deviation, Solgården, assessed under SoL: local_investigation (30 days) — the SAS's
    """
    clock = Clock(monkeypatch, local(2026, 12, 7, 9, 0))
    made = {
        "a": new_case(session, world),
        "b": new_case(session, world),
        "c": new_case(session, world, unit=world.linden),
        "d": new_lex_maria(session, world),
        "e": new_deviation(session, world),
    }
    clock.set(local(2026, 12, 7, 10, 0))
    fire(session, made["b"], world.manager, "record_immediate_measures", MEASURES)
    fire(session, made["e"], world.manager, "assess", assessment(session))
    sweep(session, NOW)
    session.flush()
    clock.set(NOW)
    return made


def rows(rows):  # type: ignore[no-untyped-def]
    return {r.label: (r.open, r.overdue) for r in rows}


def test_the_counts_match_the_hand_counted_figures(session, world, cases):
    sas = overview(session, overseen(world.sas), NOW)
    assert rows(sas.by_unit) == {world.solgarden.path: (4, 1), world.linden.path: (2, 1)}
    assert rows(sas.by_kind) == {
        "Omedelbara åtgärder": (2, 2),
        "Utredningen påbörjas": (3, 0),
        "Lokal utredning": (1, 0),
    }
    assert (sas.total, sas.total_overdue) == (6, 2)

    # The MAS sees the lex Maria case only; the SAS none of its deadlines.
    mas = overview(session, overseen(world.mas), NOW)
    assert rows(mas.by_unit) == {world.solgarden.path: (2, 1)}
    assert rows(mas.by_kind) == {"Omedelbara åtgärder": (1, 1), "Utredningen påbörjas": (1, 0)}


def test_the_page_links_each_count_to_its_cases(client, auth, world, session, cases):
    auth.login("sas@test.se")
    html = client.get("/tidsfrister").get_data(as_text=True)
    assert "6 öppna tidsfrister" in html
    assert "2 försenade" in html
    assert "Lokal utredning" in html
    assert "Information till patienten" not in html
    unit = world.solgarden.id
    assert re.search(rf'href="/arenden\?enhet={unit}&amp;tidsfrist=all">4<', html)
    assert re.search(
        rf'href="/arenden\?forsenad=1&amp;enhet={unit}&amp;tidsfrist=all"><strong>1</strong>', html
    )
    assert re.search(r'href="/arenden\?tidsfrist=immediate_measures">2<', html)

    def listed(query):  # type: ignore[no-untyped-def]
        page = client.get("/arenden?" + query).get_data(as_text=True)
        return {ref for key, case in cases.items() if (ref := case.reference) in page}

    ref = {key: case.reference for key, case in cases.items()}
    assert listed("forsenad=1&tidsfrist=all") == {ref["a"], ref["c"]}
    assert listed(f"enhet={unit}&tidsfrist=all") == {ref["a"], ref["b"], ref["e"]}
    assert listed("tidsfrist=local_investigation") == {ref["e"]}
    assert listed("tidsfrist=immediate_measures&forsenad=1") == {ref["a"], ref["c"]}
    page = client.get("/arenden?forsenad=1&tidsfrist=all").get_data(as_text=True)
    assert "Bara ärenden med en försenad tidsfrist." in page
    auth.logout()

    auth.login("mas@test.se")
    html = client.get("/tidsfrister").get_data(as_text=True)
    assert "2 öppna tidsfrister" in html
    assert "Lokal utredning" not in html


@pytest.mark.parametrize(
    "email", ["manager@test.se", "chair@test.se", "reporter@test.se", "admin@test.se"]
)
def test_only_the_sas_and_the_mas_have_the_overview(client, auth, world, email):
    auth.login(email)
    assert client.get("/tidsfrister").status_code == 403
    assert 'href="/tidsfrister"' not in client.get("/").get_data(as_text=True)


def test_the_menu_links_the_overview_for_the_sas(client, auth, world):
    auth.login("sas@test.se")
    assert 'href="/tidsfrister"' in client.get("/").get_data(as_text=True)
