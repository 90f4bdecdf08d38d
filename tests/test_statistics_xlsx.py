"""The statistics as a spreadsheet: one sheet per table, the same figures as the page, numbers as
numbers, shares as percentages, the "< 5" mask as text (DOMAIN.md §8 rev. 2)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from app.statistics.queries import Row, Statistics, Table, compute
from app.statistics.xlsx import HEADER_ROW, MAX_SHEET_NAME, is_share, sheet_names, to_xlsx
from tests.test_statistics_figures import build


@pytest.fixture
def data(session, world):
    return build(session, world)


def _titled(book, title: str):
    return next(s for s in book.worksheets if s["A1"].value == title)


def _sheet_rows(sheet) -> tuple[list, list[list]]:
    rows = list(sheet.iter_rows(min_row=HEADER_ROW, values_only=True))
    return list(rows[0]), [list(r) for r in rows[1:]]


def test_every_table_is_a_sheet_with_its_headers_and_figures(client, auth, session, world, data):
    auth.login(world.mas.email)
    response = client.get("/statistik.xlsx?year=2026")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "statistik-2026.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))

    stats = compute(session, 2026, now=datetime(2026, 11, 22, tzinfo=UTC))
    assert len(book.sheetnames) == len(stats.tables)
    for table, sheet in zip(stats.tables, book.worksheets, strict=True):
        assert sheet["A1"].value == table.title
        header, rows = _sheet_rows(sheet)
        assert header == [None, *table.columns]
        assert [r[0] for r in rows] == [r.label for r in table.rows]
        for row, written in zip(table.rows, rows, strict=True):
            for i, (value, cell) in enumerate(zip(row.values, written[1:], strict=True)):
                # A share column (the cross table's "Andel") is written as a fraction too.
                if is_share(table, i) and value is not None:
                    assert cell == pytest.approx(value / 100)
                else:
                    assert cell == value, (table.key, row.label)


def test_numbers_are_numbers_shares_are_percentages_masks_are_text(client, auth, world, data):
    auth.login(world.sas.email)
    book = load_workbook(io.BytesIO(client.get("/statistik.xlsx?year=2026").data))

    reports = _titled(book, "Rapporter per ärendetyp (alla ärendetyper)")
    _header, rows = _sheet_rows(reports)
    lex_sarah = next(r for r in rows if r[0] == "Lex Sarah")
    assert lex_sarah[1:] == [0, 1, 4]
    assert all(isinstance(v, int) for v in lex_sarah[1:])

    units = _titled(book, "Lex Sarah per enhet")
    _header, rows = _sheet_rows(units)
    assert next(r for r in rows if r[0] == "Solgården")[1:] == [0, "< 5", "< 5"]
    masked = next(c for c in units["C"] if c.value == "< 5")
    assert masked.data_type == "s"

    title = "Lex Sarah per allvarlighetsgrad, andel (procent)"
    share = _titled(book, title)
    # Its first 31 characters are the count table's too: the name is told apart.
    assert share.title == "Lex Sarah per allvarlighets (2)"
    _header, rows = _sheet_rows(share)
    none_noted = next(r for r in rows if r[0] == "Ingen allvarlighetsgrad angiven")
    assert none_noted[1] is None  # no lex Sarah reports in 2024: nothing to measure
    assert none_noted[2] == 0
    assert none_noted[3] == pytest.approx(0.25)
    cell = next(c for c in share["D"] if c.value == pytest.approx(0.25))
    assert cell.number_format == "0.0%"
    # No case's reference reaches the spreadsheet.
    text = " ".join(
        str(c.value) for s in book.worksheets for r in s.iter_rows() for c in r if c.value
    )
    assert data.a.reference not in text


def test_sheet_names_are_short_unique_and_allowed():
    titles = [
        "Tidsfrister med sista dag 2026: lagens och kommunens",
        "Tidsfrister med sista dag 2026: lagens och kommunens",
        "Per kategori [avvikelse] / orsak?",
        "",
    ]
    names = sheet_names(titles)
    assert all(len(n) <= MAX_SHEET_NAME for n in names)
    assert len({n.casefold() for n in names}) == len(names)
    assert names[1].endswith(" (2)")
    assert not any(ch in "".join(names) for ch in "[]:*?/\\")


def test_long_and_duplicate_titles_still_open(app):
    title = "En mycket lång tabellrubrik som inte får plats i ett bladnamn"
    stats = Statistics(
        2026,
        [2026],
        [Table("a", title, ["2026"], [Row("x", [1])]), Table("b", title, ["2026"], [])],
    )
    with app.test_request_context():
        book = load_workbook(io.BytesIO(to_xlsx(stats)))
    assert len(book.sheetnames) == 2
    assert [s["A1"].value for s in book.worksheets] == [title, title]


def test_others_may_not_download_it(client, auth, world):
    # A manager downloads their own units' figures (test_statistics_scope).
    for who in ("reporter", "admin"):
        auth.login(getattr(world, who).email)
        assert client.get("/statistik.xlsx").status_code == 403
        auth.logout()
