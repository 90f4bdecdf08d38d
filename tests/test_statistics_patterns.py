"""Recurring patterns as a signal (DOMAIN.md §8 rev. 2): a unit, or a unit and deviation
category, clearly above its own earlier rate — the rule a setting — with a link to the cases
behind it for those who may see them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.models import set_setting
from app.statistics.queries import compute
from tests.factories import case_of
from tests.test_statistics_figures import at, build

NOW = datetime(2026, 11, 22, tzinfo=UTC)


@pytest.fixture
def data(session, world):
    return build(session, world)


def signals(session, key: str = "recurring_deviation") -> list:
    stats = compute(session, 2026, now=NOW)
    return [(r.label, r.values) for r in stats.table(key).rows]


def earlier_deviations(session, world, count: int) -> None:
    for i in range(count):
        dev = case_of(session, world, "deviation", "submitted")
        dev.received_at = at(2025, 3, 1 + i)
    session.flush()


def test_a_unit_above_its_own_earlier_rate_is_a_signal(session, data):
    # Solgården: five deviations, all Fall, in 2026; none in 2025, the one earlier year the
    # system has data for.
    assert signals(session) == [
        ("Solgården", [5, 0.0, None]),
        ("Solgården – Fall", [5, 0.0, None]),
    ]
    # Linden's one deviation and Solgården's four lex Sarah cases are below five.
    assert signals(session, "recurring_lex_sarah") == []


def test_the_rule_is_a_setting(session, world, data):
    set_setting(session, "statistics.pattern_min_cases", 6)
    assert signals(session) == []
    set_setting(session, "statistics.pattern_min_cases", 5)
    # Three deviations in 2025 (unassessed, so no category): Solgården's 5 are not twice its
    # earlier mean of 3 ...
    earlier_deviations(session, world, 3)
    assert signals(session) == [("Solgården – Fall", [5, 0.0, None])]
    # ... but they are one and a half times it.
    set_setting(session, "statistics.pattern_factor", 1.5)
    assert signals(session)[0] == ("Solgården", [5, 3.0, 1.7])


def test_the_first_period_with_data_has_no_rate_to_be_above(session, world):
    for i in range(5):
        case_of(session, world, "deviation", "submitted").received_at = at(2026, 3, 1 + i)
    session.flush()
    assert signals(session) == []


def test_the_pattern_links_the_cases_behind_it(client, auth, session, world, data):
    auth.login(world.manager.email)
    html = client.get("/statistik?year=2026").get_data(as_text=True)
    link = (
        f"/arenden?typ=deviation&amp;enhet={world.solgarden.id}"
        "&amp;fran=2026-01-01&amp;till=2026-12-31"
    )
    assert f'href="{link}"' in html
    listed = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    deviations = [c for c in world_cases(session) if c.case_type == "deviation"]
    at_solgarden = [
        c for c in deviations if c.unit_id == world.solgarden.id and c.state != "converted"
    ]
    for case in at_solgarden:
        assert case.reference in listed
    assert data.a.reference not in listed  # a lex Sarah case
    linden = next(c for c in deviations if c.unit_id == world.linden.id)
    assert linden.reference not in listed


def test_the_list_still_shows_only_what_the_user_may_open(client, auth, session, world, data):
    auth.login(world.other_manager.email)
    link = f"/arenden?typ=deviation&enhet={world.solgarden.id}&fran=2026-01-01&till=2026-12-31"
    listed = client.get(link).get_data(as_text=True)
    for case in world_cases(session):
        if case.unit_id == world.solgarden.id:
            assert case.reference not in listed


def test_no_link_for_those_whose_list_holds_no_such_cases(client, auth, world, data):
    # The chair's list holds lex Sarah cases awaiting a decision, never deviations.
    auth.login(world.chair.email)
    html = client.get("/statistik?year=2026").get_data(as_text=True)
    assert "Solgården – Fall" in html
    assert 'href="/arenden?typ=deviation' not in html


def test_the_category_link_filters_by_category(client, auth, session, world, data):
    auth.login(world.sas.email)
    html = client.get("/statistik?year=2026").get_data(as_text=True)
    assert "&amp;kategori=" in html
    fall = next(c for c in world_cases(session) if c.assessment is not None).assessment.category_id
    link = (
        f"/arenden?typ=deviation&enhet={world.solgarden.id}&fran=2026-01-01&till=2026-12-31"
        f"&kategori={fall + 1000}"
    )
    assert "Bara ärenden rapporterade 2026-01-01–2026-12-31" in client.get(link).get_data(
        as_text=True
    )
    assert "AV-" not in client.get(link).get_data(as_text=True)


def world_cases(session):
    from sqlalchemy import select

    from app.models import Case

    return list(session.scalars(select(Case)))


def test_the_admin_edits_the_rule_where_the_other_settings_are(client, auth, session, world):
    from app.models import get_setting
    from tests.test_admin_settings import DEFAULTS

    auth.login(world.admin.email)
    page = client.get("/admin/installningar").get_data(as_text=True)
    assert 'name="pattern_min_cases"' in page
    assert 'name="pattern_factor" required type="text" value="2"' in page
    form = {**DEFAULTS, "pattern_min_cases": "3", "pattern_factor": "1,5"}
    assert client.post("/admin/installningar", data=form).status_code == 302
    session.expire_all()
    assert get_setting(session, "statistics.pattern_min_cases") == 3
    assert get_setting(session, "statistics.pattern_factor") == 1.5
    response = client.post("/admin/installningar", data={**form, "pattern_factor": "mycket"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Ange ett tal, t.ex. 2 eller 1,5." in html
    assert 'value="mycket"' in html
