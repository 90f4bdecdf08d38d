"""Any period (DOMAIN.md §8 rev. 2): a calendar year by default, a tertial, a quarter or a month,
each compared with the same period of every earlier year the data holds."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.statistics.periods import Period
from app.statistics.queries import compute
from tests.factories import case_of
from tests.test_statistics_figures import at, build, values

NOW = datetime(2026, 11, 22, tzinfo=UTC)


@pytest.fixture
def data(session, world):
    return build(session, world)


@pytest.mark.parametrize(
    ("period", "columns", "lex_sarah", "deviations"),
    [
        # May–August: E's lex Sarah case (3 May) and the five June deviations.
        (Period("tertial", 2026, 2), ["T2 2024", "T2 2025", "T2 2026"], [0, 0, 1], [0, 0, 5]),
        # April–June: C (1 April) and E's lex Sarah case.
        (Period("quarter", 2026, 2), ["K2 2024", "K2 2025", "K2 2026"], [0, 0, 2], [0, 0, 5]),
        (Period("month", 2026, 6), ["2024-06", "2025-06", "2026-06"], [0, 0, 0], [0, 0, 5]),
        # A was reported at 23:30 on New Year's Eve, Swedish time.
        (Period("month", 2025, 12), ["2023-12", "2024-12", "2025-12"], [0, 0, 1], [0, 0, 0]),
        (Period("quarter", 2026, 1), ["K1 2024", "K1 2025", "K1 2026"], [0, 0, 2], [0, 0, 0]),
    ],
)
def test_each_period_kind_counts_its_own_months(
    session, data, period, columns, lex_sarah, deviations
):
    stats = compute(session, period, now=NOW)
    assert stats.table("reports").columns == columns
    assert values(stats, "reports", "Lex Sarah") == lex_sarah
    assert values(stats, "reports", "Avvikelse") == deviations


def test_the_page_takes_the_period_from_the_query(client, auth, world, data):
    auth.login(world.sas.email)
    html = client.get("/statistik?year=2026&period=quarter&number=2").get_data(as_text=True)
    assert "Statistik K2 2026" in html
    assert '<th scope="col" class="num">K2 2026</th>' in html
    assert 'href="/statistik.csv?year=2026&amp;period=quarter&amp;number=2"' in html


def test_a_period_that_is_not_one_is_refused_in_swedish(client, auth, world, data):
    auth.login(world.sas.email)
    response = client.get("/statistik?year=2026&period=quarter&number=7")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Välj ett nummer från 1 till 4 för perioden." in html
    assert "Perioden kunde inte visas." in html
    # What was asked for is still chosen in the form.
    assert '<option selected value="quarter">' in html


def test_every_year_the_data_holds_is_compared(session, world, data):
    old = case_of(session, world, "deviation", "submitted")
    old.received_at = at(2021, 3, 1)
    session.flush()
    stats = compute(session, 2026, now=NOW)
    assert stats.years == [2021, 2022, 2023, 2024, 2025, 2026]
    assert values(stats, "reports", "Avvikelse") == [1, 0, 0, 0, 0, 5]
    assert values(stats, "units_deviation", "Solgården")[0] == "< 5"


def test_with_no_data_the_law_s_three_years_are_shown(session, world):
    assert compute(session, 2026, now=NOW).years == [2024, 2025, 2026]


def test_imported_counts_join_the_yearly_counts(session, world, data, monkeypatch):
    """The import (another piece) answers per year and unit; its counts are added to the per
    type and per unit tables of a year's statistics."""
    import app.statistics.queries as queries
    import app.statistics.units as units

    calls = []

    def imported(session, *, case_type, years, unit_ids):
        calls.append((case_type, tuple(years), unit_ids))
        if case_type != "lex_sarah":
            return {}
        return {(2024, world.solgarden.id): 40, (2024, world.linden.id): 4}

    monkeypatch.setattr(queries, "imported_totals", imported)
    monkeypatch.setattr(units, "imported_totals", imported)
    stats = compute(session, 2026, now=NOW)
    assert values(stats, "reports", "Lex Sarah") == [44, 1, 4]
    assert values(stats, "units_lex_sarah", "Solgården") == [40, "< 5", "< 5"]
    assert values(stats, "units_lex_sarah", "Linden") == ["< 5", 0, 0]
    assert values(stats, "administrations_lex_sarah", "Förvaltningen") == [44, 1, 4]
    assert ("lex_sarah", (2024, 2025, 2026), None) in calls
    # A tertial is not a year: imported yearly counts cannot be split into it.
    stats = compute(session, Period("tertial", 2026, 1), now=NOW)
    assert values(stats, "reports", "Lex Sarah")[0] == 0
