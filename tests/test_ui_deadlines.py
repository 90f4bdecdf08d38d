"""The clock on the pages: a case's deadlines with their rule and basis, the overdue flag, and
Att göra sorted by due time (DOMAIN.md §4, §6)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from app.models import Deadline
from tests.clock.support import Clock, local
from tests.factories import MEASURES, new_case
from workflows.engine import fire
from workflows.sweep import sweep

MONDAY = local(2026, 12, 7, 9, 0)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, MONDAY)


def page(client, auth, email, path):  # type: ignore[no-untyped-def]
    auth.login(email)
    response = client.get(path)
    assert response.status_code == 200
    auth.logout()
    return response.get_data(as_text=True)


def deadline_item(html, deadline):  # type: ignore[no-untyped-def]
    """The text of one deadline on the case page, tags stripped."""
    start = html.index(f'id="tidsfrist-{deadline.id}"')
    end = html.index("</li>", start)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start:end]))


def flat(html):  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", html)


def by_key(session, case):  # type: ignore[no-untyped-def]
    session.expire_all()
    return {d.key: d for d in session.query(Deadline).filter_by(case_id=case.id)}


def test_the_case_page_shows_each_deadline_with_its_rule_basis_and_time_left(
    client, auth, world, session, clock
):
    case = new_case(session, world)
    sweep(session, local(2026, 12, 8, 12, 0))
    session.flush()
    clock.set(local(2026, 12, 8, 12, 0))
    html = page(client, auth, "sas@test.se", f"/arenden/{case.id}")
    deadlines = by_key(session, case)

    assert 'id="tidsfrister-rubrik">Tidsfrister<' in html
    measures = deadline_item(html, deadlines["immediate_measures"])
    assert "Omedelbara åtgärder" in measures
    # Overdue in words, not only in colour.
    assert "Eskalerad (nivå 1) – försenad 3 timmar" in measures
    assert "tisdag 8 december 2026 kl. 09:00" in measures
    assert f"Tidsfristregler version {deadlines['immediate_measures'].rule.policy.version}" in (
        measures
    )
    assert "Ansvarig Enhetschef" in measures
    assert "Grund (lokal rutin):" in measures
    # The law's own words (DOMAIN.md §4 rev. 2): "utan dröjsmål", "omedelbart", not "genast".
    assert "”utan dröjsmål” (SoL 2025:400 27 kap.; tidigare SoL 2001:453 14 kap. 6 §)" in measures

    start = deadline_item(html, deadlines["investigation_start"])
    assert "Öppen – 1 arbetsdag kvar" in start
    assert "onsdag 9 december 2026 kl. 09:00" in start

    # The header flags the overdue case.
    assert "Ärendet är försenat:" in html
    assert "1 tidsfrist har passerats (Omedelbara åtgärder)." in flat(html)


def test_an_open_deadline_past_due_reads_overdue_before_the_sweep_marks_it(
    client, auth, world, session, clock
):
    case = new_case(session, world)
    session.flush()
    clock.set(local(2026, 12, 9, 9, 30))  # no sweep has run
    html = page(client, auth, "manager@test.se", f"/arenden/{case.id}")
    deadlines = by_key(session, case)
    assert "Försenad – försenad 1 dag" not in html  # 24 h 30 min: told in hours
    assert "Försenad – försenad 24 timmar" in deadline_item(html, deadlines["immediate_measures"])
    assert "Försenad – försenad 30 minuter" in deadline_item(html, deadlines["investigation_start"])
    assert "2 tidsfrister har passerats" in flat(html)


def test_met_and_waived_deadlines_and_who_is_named(client, auth, world, session, clock):
    case = new_case(session, world)
    clock.set(local(2026, 12, 8, 10, 0))
    fire(session, case, world.manager, "record_immediate_measures", MEASURES)
    fire(session, case, world.sas, "start_investigation", {"investigator_id": world.sas.id})
    session.flush()
    deadlines = by_key(session, case)
    html = page(client, auth, "sas@test.se", f"/arenden/{case.id}")
    measures = deadline_item(html, deadlines["immediate_measures"])
    assert "Uppfylld" in measures
    assert "(efter tidsfristen)" in measures
    complete = deadline_item(html, deadlines["investigation_complete"])
    assert "Öppen – 42 dagar kvar" in complete
    assert f"Ansvarig SAS ({world.sas.name})" in complete
    assert "Ärendet är försenat" not in html

    # The reporter follows the status, and sees the roles but not who handles the case.
    html = page(client, auth, "reporter@test.se", f"/arenden/{case.id}")
    complete = deadline_item(html, deadlines["investigation_complete"])
    assert "Ansvarig SAS" in complete
    assert world.sas.name not in complete

    clock.set(local(2026, 12, 9, 10, 0))
    fire(
        session, case, world.sas, "reclassify", {"target_type": "deviation", "comment": "Fel lag."}
    )
    session.flush()
    html = page(client, auth, "sas@test.se", f"/arenden/{case.id}")
    waived = deadline_item(html, by_key(session, case)["investigation_complete"])
    assert "Undantagen" in waived
    assert "Ärendet klassades om; det nya ärendet har egna tidsfrister." in waived


# --- Att göra -------------------------------------------------------------------------------


def cards(html):  # type: ignore[no-untyped-def]
    """The references in the case list of Att göra, in order."""
    section = html[html.index('id="arenden-rubrik"') : html.index('id="notiser"')]
    return re.findall(r'<h3 class="card__title"><a href="/arenden/\d+">([^<]+)</a>', section)


def test_the_inbox_is_sorted_by_due_time_with_cases_without_deadlines_last(
    client, auth, world, session, clock
):
    old = new_case(session, world)  # received first, but no deadline open
    session.execute(
        update(Deadline)
        .where(Deadline.case_id == old.id)
        .values(status="waived", status_reason="Före klockan.", next_action_at=None)
    )
    clock.set(local(2026, 12, 7, 10, 0))
    started = new_case(session, world)  # investigation_complete: six weeks
    clock.set(local(2026, 12, 7, 11, 0))
    later = new_case(session, world)  # investigation_start: Wednesday 11:00
    clock.set(local(2026, 12, 7, 12, 0))
    fire(session, started, world.sas, "start_investigation", {})
    clock.set(local(2026, 12, 8, 8, 0))
    sooner = new_case(session, world, unit=world.linden)  # investigation_start: Thursday 08:00
    session.flush()

    html = page(client, auth, "sas@test.se", "/")
    assert cards(html) == [later.reference, sooner.reference, started.reference, old.reference]
    assert "Klart senast" in html
    assert "onsdag 9 december 2026 kl. 11:00" in html
    assert "1 arbetsdag kvar" in html  # Wednesday 11:00, seen on Tuesday 08:00

    clock.set(local(2026, 12, 9, 12, 0))
    html = page(client, auth, "sas@test.se", "/")
    first = html[html.index(later.reference) : html.index(sooner.reference)]
    assert "Försenad:" in first
    assert "försenad 1 timme" in first


def test_the_manager_sees_their_own_deadline_not_the_sas_s(client, auth, world, session, clock):
    case = new_case(session, world)
    session.flush()
    html = page(client, auth, "manager@test.se", "/")
    card = html[html.index(case.reference) : html.index("</li>", html.index(case.reference))]
    assert "tisdag 8 december 2026 kl. 09:00" in card  # immediate measures, not the SAS's start
    assert "(Omedelbara åtgärder)" in card
