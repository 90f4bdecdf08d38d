"""The annual figures for a hand-built dataset, counted by hand (DOMAIN.md §8).

The dataset, with dates set on the rows (Swedish time unless said):
  A  lex Sarah reported 2025-12-31 23:30, investigation completed 2026-01-01, filed 2026-01-02
  B  lex Sarah reported 2026-03-01, investigation completed 2026-03-11 (10 days)
  C  lex Sarah reported 2026-04-01, investigation completed 2026-05-01 (30 days)
  D  lex Sarah reported 2026-02-01, completed 2026-02-05 (4 days), filed 2026-02-11 (10 days),
     IVO's answer "closed_duty_fulfilled" in 2026
  E  deviation reported 2026-05-01 (Fall, severity 3), converted to lex Sarah; the new case
     reported 2026-05-03, nothing assessed yet
  F-I  deviations at Solgården reported 2026-06-0x, Fall, severity 1
  J  deviation at Linden reported 2026-06-10, Fall, severity 1
Four of B's deadlines are moved into 2024: one met on time, one met late, one open and
overdue, one waived.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.models import Case, Deadline
from app.statistics.periods import Period
from app.statistics.queries import compute, first_year, median_p90
from app.statistics.tables import Frame
from tests.factories import case_in, case_of, category_id, walk_to
from workflows.workdays import STOCKHOLM

YEAR = 2026


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def _dates(case: Case, received: datetime, completed: datetime | None = None) -> None:
    case.received_at = received
    if completed is not None:
        case.investigation.completed_at = completed


def build(session, world) -> SimpleNamespace:
    a = case_in(session, world, "filed")
    _dates(a, at(2025, 12, 31, 23, 30), at(2026, 1, 1, 10))
    a.filings[0].filed_on = date(2026, 1, 2)

    b = case_in(session, world, "awaiting_decision")
    _dates(b, at(2026, 3, 1), at(2026, 3, 11))
    c = case_in(session, world, "awaiting_decision")
    _dates(c, at(2026, 4, 1), at(2026, 5, 1))
    d = case_in(session, world, "follow_up")
    _dates(d, at(2026, 2, 1), at(2026, 2, 5))
    d.filings[0].filed_on = date(2026, 2, 11)
    d.ivo_responses[0].received_on = date(2026, 3, 1)

    e = case_of(session, world, "deviation", "converted")
    e.received_at = at(2026, 5, 1)
    e.successor_case.received_at = at(2026, 5, 3)

    deviations = [case_of(session, world, "deviation", "local_investigation") for _ in range(4)]
    for i, dev in enumerate(deviations):
        dev.received_at = at(2026, 6, 1 + i)
    j = case_of(
        session,
        world,
        "deviation",
        "local_investigation",
        unit=world.linden,
        manager=world.other_manager,
    )
    j.received_at = at(2026, 6, 10)

    moved = session.scalars(
        select(Deadline).where(Deadline.case_id == b.id).order_by(Deadline.id).limit(4)
    ).all()
    assert len(moved) == 4
    due = at(2024, 6, 10)
    for row, (status, met_at) in zip(
        moved,
        [
            ("met", due - timedelta(hours=1)),
            ("met", due + timedelta(days=2)),
            ("overdue", None),
            ("waived", None),
        ],
        strict=True,
    ):
        row.key = "investigation_complete"
        row.start_at = due - timedelta(days=30)
        row.due_at = due
        row.status = status
        row.met_at = met_at
        row.status_reason = "Ärendet avslutades." if status == "waived" else ""
        row.next_action_at = due if status == "overdue" else None
    session.flush()
    return SimpleNamespace(a=a, b=b, c=c, d=d, e=e)


@pytest.fixture
def stats(session, world):
    build(session, world)
    return compute(session, YEAR, now=datetime(2026, 11, 22, tzinfo=UTC))


def frame_of(session, year: int, units=None) -> Frame:
    period = Period("year", year)
    return Frame(period, period.spans(first_year(session)), units, datetime.now(UTC))


def values(stats, key: str, label: str) -> list:
    table = stats.table(key)
    return next(r.values for r in table.rows if r.label == label)


def test_years_are_the_chosen_and_the_two_before(stats):
    assert stats.years == [2024, 2025, 2026]
    assert stats.table("reports").columns == ["2024", "2025", "2026"]


def test_reports_per_type_count_a_changed_case_once_under_its_new_type(stats):
    # A is a 2025 report (23:30 on New Year's Eve in Sweden, 22:30 UTC); E's deviation lives on
    # as the lex Sarah case it became.
    assert values(stats, "reports", "Lex Sarah") == [0, 1, 4]
    assert values(stats, "reports", "Avvikelse") == [0, 0, 5]
    assert values(stats, "reports", "Lex Maria") == [0, 0, 0]


def test_lex_sarah_reported_directly_beside_converted_from_deviations(stats):
    assert values(stats, "origin_lex_sarah", "Rapporterade direkt") == [0, 1, 3]
    assert values(stats, "origin_lex_sarah", "Omgjorda från avvikelse") == [0, 0, 1]
    assert values(stats, "origin_lex_sarah", "Totalt") == [0, 1, 4]
    assert values(stats, "origin_lex_maria", "Totalt") == [0, 0, 0]


def test_a_conversion_is_counted_once(stats):
    assert values(stats, "type_changes", "Avvikelse som gjorts om till lex Sarah") == [0, 0, 1]
    assert values(stats, "type_changes", "Lex Sarah omklassificerad till avvikelse") == [0, 0, 0]


def test_filings_count_in_the_year_they_were_made(stats):
    # A was reported in 2025 but filed on 2 January 2026.
    assert values(stats, "filed", "Lex Sarah") == [0, 0, 2]
    assert values(stats, "filed", "Lex Maria") == [0, 0, 0]


def test_ivo_outcomes_per_type(stats):
    label = "Ärendet avslutat – utredningsplikten fullgjord"
    assert values(stats, "ivo_outcomes_lex_sarah", label) == [0, 0, 1]
    assert values(stats, "ivo_outcomes_lex_maria", label) == [0, 0, 0]


def test_every_unit_table_counts_one_case_type(stats):
    # The converted deviation E stays a reported deviation; its lex Sarah case is a lex Sarah.
    assert values(stats, "units_deviation", "Solgården") == [0, 0, 5]
    assert values(stats, "units_deviation", "Linden") == [0, 0, "< 5"]
    assert values(stats, "units_lex_sarah", "Solgården") == [0, "< 5", "< 5"]
    assert stats.table("units_lex_maria").rows == []


def test_units_roll_up_per_area_and_administration(session, world, stats):
    from app.statistics.units import unit_counts

    assert values(stats, "areas_deviation", "Äldreomsorg") == [0, 0, 5]
    assert values(stats, "areas_deviation", "Funktionsstöd") == [0, 0, 1]
    assert values(stats, "administrations_deviation", "Förvaltningen") == [0, 0, 6]
    assert values(stats, "administrations_lex_sarah", "Förvaltningen") == [0, 1, 4]
    frame = frame_of(session, 2026)
    per_unit = unit_counts(session, frame, "deviation")
    assert sum(per_unit.values()) == 6


def test_category_by_area_with_counts_and_shares(session, world, stats):
    table = stats.table("category_areas")
    assert table.columns == ["Funktionsstöd", "Äldreomsorg", "Totalt", "Andel (procent)"]
    assert values(stats, "category_areas", "Fall") == [1, 5, 6, 100.0]
    # A second category: the shares split the period's deviations.
    dev = case_of(session, world, "deviation", "submitted", unit=world.linden)
    dev.received_at = at(2026, 7, 1)
    walk_to(session, world, dev, "local_investigation", manager=world.other_manager)
    dev.assessment.category_id = category_id(session, "Läkemedel")
    session.flush()
    stats = compute(session, YEAR, now=datetime(2026, 11, 22, tzinfo=UTC))
    assert values(stats, "category_areas", "Fall") == [1, 5, 6, 85.7]
    assert values(stats, "category_areas", "Läkemedel") == [1, 0, 1, 14.3]
    assert values(stats, "category_areas", "Totalt") == [2, 5, 7, 100.0]


def test_small_counts_per_unit_are_masked(stats):
    assert values(stats, "units_deviation", "Linden") == [0, 0, "< 5"]
    assert stats.table("units_deviation").masked


def test_event_types_and_cause_areas_come_from_the_investigations(stats):
    label = "Brister i omsorg, stöd eller service"
    assert values(stats, "event_types_lex_sarah", label) == [0, 1, 3]
    assert values(stats, "cause_areas_lex_sarah", "Processer, rutiner och riktlinjer") == [0, 1, 3]


def test_deviation_categories_include_the_converted_deviation(stats):
    assert values(stats, "categories", "Fall") == [0, 0, 6]


def test_severity_per_grade_as_a_share_including_none_noted(session, world):
    build(session, world)
    unassessed = case_of(session, world, "deviation", "submitted", unit=world.linden)
    unassessed.received_at = at(2026, 7, 1)
    session.flush()
    stats = compute(session, YEAR, now=datetime(2026, 11, 22, tzinfo=UTC))
    assert values(stats, "severity_deviation", "Mindre (1)") == [0, 0, 5]
    assert values(stats, "severity_deviation", "Betydande (3)") == [0, 0, 1]
    assert values(stats, "severity_deviation", "Ingen allvarlighetsgrad angiven") == [0, 0, 1]
    share = "severity_share_deviation"
    assert values(stats, share, "Mindre (1)") == [None, None, 71.4]
    assert values(stats, share, "Betydande (3)") == [None, None, 14.3]
    assert values(stats, share, "Ingen allvarlighetsgrad angiven") == [None, None, 14.3]
    # Lex Sarah's grades are the investigations'; E's new case has none yet.
    assert values(stats, "severity_share_lex_sarah", "Betydande (3)") == [None, 100.0, 75.0]
    none = "Ingen allvarlighetsgrad angiven"
    assert values(stats, "severity_share_lex_sarah", none) == [None, 0.0, 25.0]


def test_deadline_compliance_as_rates_and_counts(session, world):
    build(session, world)
    stats = compute(session, 2024, now=datetime(2026, 11, 22, tzinfo=UTC))
    # Columns: on time, met late, overdue and open, open and not yet due, waived, share in time.
    rows = {r.label: r.values for r in stats.table("deadlines_lex_sarah").rows}
    assert rows == {"Utredningen slutförs": [1, 1, 1, 0, 1, 33.3]}
    rates = stats.table("deadline_rates_lex_sarah")
    assert rates.kind == "percent"
    assert values(stats, "deadline_rates_lex_sarah", "Utredningen slutförs")[-1] == 33.3
    assert stats.table("deadlines_deviation").rows == []


def test_median_and_p90_days(stats):
    # Investigations completed in 2026: A 1, D 4, B 10, C 30 days; filings: A 2, D 10 days.
    assert values(stats, "durations", "Rapport till avslutad utredning, lex Sarah – median") == [
        None,
        None,
        7.0,
    ]
    p90 = "Rapport till avslutad utredning, lex Sarah – 90:e percentilen"
    assert values(stats, "durations", p90) == [None, None, 30]
    assert values(stats, "durations", "Rapport till anmälan till IVO, lex Sarah – median") == [
        None,
        None,
        6.0,
    ]
    assert values(
        stats, "durations", "Rapport till anmälan till IVO, lex Sarah – 90:e percentilen"
    ) == [None, None, 10]


def test_nearest_rank_percentile():
    assert median_p90([]) == (None, None)
    assert median_p90([5]) == (5, 5)
    assert median_p90(list(range(1, 11))) == (5.5, 9)
    assert median_p90(list(range(1, 12))) == (6, 10)
