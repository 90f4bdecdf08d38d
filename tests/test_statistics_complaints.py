"""Complaints and views in the statistics (DOMAIN.md §3.4, §8 rev. 2): their own tables per unit
and area, Nässjö's kind × area table, themes, answered in time, escalations; spam never counted;
a complaint about several units once per unit and once in every total; managers their units."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.models import ComplaintTheme, Deadline, unit_ids_managed_by
from app.statistics.queries import compute
from app.statistics.xlsx import to_xlsx
from tests.complaints.helpers import STEP_DATA, complaint_in, new_complaint
from tests.test_statistics_figures import at, values
from workflows.complaint_records import mark_spam, update_findings
from workflows.engine import fire

NOW = datetime(2026, 12, 20, tzinfo=UTC)


def _received(case, when: datetime) -> None:
    case.received_at = when


@pytest.fixture
def data(session, world):
    """In 2026: at Solgården (Äldreomsorg) a complaint, a question and praise; at Linden
    (Funktionsstöd) a suggestion; one complaint about both units; one spam complaint about
    Solgården. In 2025 one complaint at Linden."""
    made = {
        "sol_complaint": new_complaint(session, world, kind="complaint"),
        "sol_question": new_complaint(session, world, kind="question"),
        "sol_praise": new_complaint(session, world, kind="praise"),
        "lin_suggestion": new_complaint(
            session, world, kind="suggestion", units=[world.linden], actor=world.other_manager
        ),
        "both": new_complaint(
            session, world, kind="complaint", units=[world.solgarden, world.linden]
        ),
        "spam": new_complaint(session, world, kind="complaint"),
        "old": new_complaint(
            session, world, kind="complaint", units=[world.linden], actor=world.other_manager
        ),
    }
    for key, case in made.items():
        _received(case, at(2025, 6, 1) if key == "old" else at(2026, 3, 1))
    mark_spam(session, made["spam"], world.manager)
    session.flush()
    return made


def row(stats, key: str, label: str) -> list:
    return values(stats, key, label)


def test_reports_per_type_has_complaints_as_their_own_type(session, world, data):
    stats = compute(session, 2026, now=NOW)
    # Six complaints in 2026 less the spam one; the one about two units once.
    assert row(stats, "reports", "Synpunkt eller klagomål") == [0, 1, 5]
    assert row(stats, "reports", "Avvikelse") == [0, 0, 0]


def test_kinds_by_area_is_the_nassjo_table_with_a_total_counting_each_once(session, world, data):
    table = compute(session, 2026, now=NOW).table("complaint_kinds_areas")
    assert table.columns == ["Antal synpunkter", "Beröm", "Fråga", "Förslag", "Klagomål"]
    rows = {r.label: r.values for r in table.rows}
    assert rows["Äldreomsorg"] == [4, 1, 1, 0, 2]
    assert rows["Funktionsstöd"] == [2, 0, 0, 1, 1]
    # The complaint about both units counts in both areas, once in the total; spam never.
    assert rows["Totalt"] == [5, 1, 1, 1, 2]
    assert [r.label for r in table.rows][-1] == "Totalt"


def test_a_complaint_about_two_units_counts_for_both_units_and_once_in_the_total(
    session, world, data
):
    stats = compute(session, 2026, now=NOW)
    # Solgården: complaint, question, praise, both = 4 (masked as < 5); Linden: suggestion, both.
    assert row(stats, "units_complaint", "Solgården") == [0, 0, "< 5"]
    assert row(stats, "units_complaint", "Linden") == [0, "< 5", "< 5"]
    assert row(stats, "areas_complaint", "Äldreomsorg") == [0, 0, 4]
    assert row(stats, "areas_complaint", "Funktionsstöd") == [0, 1, 2]
    assert row(stats, "administrations_complaint", "Förvaltningen") == [0, 1, 5]
    assert "flera enheter" in stats.table("units_complaint").note


def test_spam_is_never_counted(session, world, data):
    before = compute(session, 2026, now=NOW)
    extra = new_complaint(session, world, kind="praise")
    _received(extra, at(2026, 3, 2))
    mark_spam(session, extra, world.manager)
    session.flush()
    after = compute(session, 2026, now=NOW)
    for table in before.tables:
        assert after.table(table.key).rows == table.rows, table.key


def test_themes_count_each_complaint_once_per_theme(session, world, data):
    tider = session.scalar(select(ComplaintTheme).where(ComplaintTheme.name == "Tider"))
    bem = session.scalar(select(ComplaintTheme).where(ComplaintTheme.name == "Bemötande"))
    for case, themes in (
        (data["sol_complaint"], [tider, bem]),
        (data["both"], [tider]),
        (data["spam"], [tider]),
    ):
        if case is not data["spam"]:
            fire(session, case, world.manager, "acknowledge", {})
        case.complaint.themes = themes
    session.flush()
    table = compute(session, 2026, now=NOW).table("complaint_themes")
    rows = {r.label: r.values for r in table.rows}
    assert rows["Tider"] == [0, 0, 2]
    assert rows["Bemötande"] == [0, 0, 1]
    assert rows["Information"] == [0, 0, 0]


def test_themes_recorded_through_the_findings_step(session, world):
    case = complaint_in(session, world, "acknowledged")
    _received(case, at(2026, 4, 1))
    theme = session.scalar(select(ComplaintTheme).where(ComplaintTheme.name == "Kvalitet"))
    update_findings(session, case, world.manager, {"findings": "Brister.", "theme_ids": [theme.id]})
    session.flush()
    assert row(compute(session, 2026, now=NOW), "complaint_themes", "Kvalitet") == [0, 0, 1]


def _answer_due(session, case, due: datetime) -> None:
    deadline = session.scalar(
        select(Deadline).where(Deadline.case_id == case.id, Deadline.key == "complaint_answer")
    )
    deadline.due_at = due
    session.flush()


def test_answered_within_the_routine_s_time_as_a_rate(session, world):
    in_time = complaint_in(session, world, "under_investigation")
    late = complaint_in(session, world, "under_investigation")
    spam = new_complaint(session, world)
    _answer_due(session, in_time, datetime(2026, 12, 30, tzinfo=UTC))
    _answer_due(session, late, datetime(2026, 11, 1, tzinfo=UTC))
    _answer_due(session, spam, datetime(2026, 12, 30, tzinfo=UTC))
    for case in (in_time, late):
        fire(session, case, world.manager, "answer", STEP_DATA["answer"])
    # Marking spam closes the deadline; it must not read as answered in time.
    mark_spam(session, spam, world.manager)
    session.flush()
    stats = compute(session, 2026, now=NOW)
    assert row(stats, "deadline_rates_complaint", "Svar på synpunkt eller klagomål")[-1] == 50.0
    counts = row(stats, "deadlines_complaint", "Svar på synpunkt eller klagomål")
    assert counts[:2] == [1, 1]


def test_escalations_per_year(session, world):
    sarah = complaint_in(session, world, "acknowledged")
    fire(session, sarah, world.sas, "escalate_to_lex_sarah", STEP_DATA["escalate_to_lex_sarah"])
    deviation = complaint_in(session, world, "acknowledged")
    fire(
        session,
        deviation,
        world.sas,
        "escalate_to_deviation",
        STEP_DATA["escalate_to_deviation"],
    )
    session.flush()
    stats = compute(session, 2026, now=NOW)
    assert row(stats, "complaint_escalations", "Lex Sarah") == [0, 0, 1]
    assert row(stats, "complaint_escalations", "Avvikelse") == [0, 0, 1]
    assert row(stats, "complaint_escalations", "Lex Maria") == [0, 0, 0]
    # An escalated complaint is still a complaint, and the new case counts as its own type.
    assert row(stats, "reports", "Synpunkt eller klagomål") == [0, 0, 2]
    assert row(stats, "reports", "Lex Sarah") == [0, 0, 1]
    assert row(stats, "origin_lex_sarah", "Från synpunkter och klagomål") == [0, 0, 1]


def test_a_manager_never_sees_complaints_about_another_unit_only(session, world, data):
    units = unit_ids_managed_by(session, world.other_manager)  # Linden
    stats = compute(session, 2026, now=NOW, units=units)
    # Linden's suggestion and the complaint about both units; none of Solgården's alone.
    assert row(stats, "reports", "Synpunkt eller klagomål") == [0, 1, 2]
    assert [r.label for r in stats.table("units_complaint").rows] == ["Linden"]
    assert [r.label for r in stats.table("areas_complaint").rows] == ["Funktionsstöd"]
    kinds = {r.label: r.values for r in stats.table("complaint_kinds_areas").rows}
    assert set(kinds) == {"Funktionsstöd", "Totalt"}
    assert kinds["Totalt"] == [2, 0, 0, 1, 1]


def test_the_spreadsheet_has_the_complaint_sheets(app, session, world, data):
    stats = compute(session, 2026, now=NOW)
    book = load_workbook(io.BytesIO(to_xlsx(stats)))
    titles = {book[name]["A1"].value for name in book.sheetnames}
    for key in (
        "complaint_kinds_areas",
        "complaint_themes",
        "complaint_escalations",
        "units_complaint",
        "deadline_rates_complaint",
    ):
        assert stats.table(key).title in titles
    sheet = next(
        book[n]
        for n in book.sheetnames
        if book[n]["A1"].value == stats.table("complaint_kinds_areas").title
    )
    header = [c.value for c in sheet[4]]
    assert header == [None, "Antal synpunkter", "Beröm", "Fråga", "Förslag", "Klagomål"]


def test_the_csv_and_the_page_show_the_kinds_table(client, auth, session, world, data):
    from app.statistics.export import to_csv

    stats = compute(session, 2026, now=NOW)
    csv_text = to_csv(stats).decode("utf-8-sig")
    assert stats.table("complaint_kinds_areas").title in csv_text
    assert "Totalt;5;1;1;1;2" in csv_text
    auth.login(world.sas.email)
    html = client.get("/statistik?year=2026").get_data(as_text=True)
    assert "Synpunkter och klagomål per slag och verksamhetsområde" in html
    assert ">Verksamhetsområde</th>" in html


def test_the_yearly_comparison_has_complaints_as_their_own_row(session, world):
    """Vänersborg publishes its complaints per year beside lex Sarah: 120, 174, 140, 135."""
    from app.models import ImportedCount

    for year, n in ((2020, 120), (2021, 174), (2022, 140), (2023, 135)):
        session.add(ImportedCount(year=year, case_type="complaint", count=n, imported_by="test"))
    case = new_complaint(session, world, kind="question")
    _received(case, at(2024, 5, 1))
    session.flush()
    stats = compute(session, 2024, now=NOW)
    assert stats.years[-5:] == [2020, 2021, 2022, 2023, 2024]
    assert row(stats, "reports", "Synpunkt eller klagomål")[-5:] == [120, 174, 140, 135, 1]
