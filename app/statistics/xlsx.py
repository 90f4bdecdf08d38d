"""The statistics as a spreadsheet (DOMAIN.md §8 rev. 2): one sheet per table, so a quality
coordinator copies a table into the annual report as it is.

Written over whatever tables `compute` returns: a sheet holds the table's title, its note, a
header row and the rows. Counts and days stay numbers (Excel can sum them), shares are numbers
with a percentage format, and a masked count ("< 5") is text, never a number that could be
summed back into the figure the mask hides.
"""

from __future__ import annotations

import io
import re
from typing import Any

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from .queries import Statistics, Table

MAX_SHEET_NAME = 31
# Excel refuses these in a sheet name.
FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
PERCENT_FORMAT = "0.0%"
DECIMAL_FORMAT = "0.0"
# The first row of figures: title, note, blank, header.
HEADER_ROW = 4


def sheet_names(titles: list[str]) -> list[str]:
    """Names Excel accepts (at most 31 characters, none of []:*?/\\, unique regardless of
    case), each as close to its table's title as fits."""
    names: list[str] = []
    taken: set[str] = set()
    for title in titles:
        base = FORBIDDEN.sub(" ", title).strip(" '") or _("Tabell")
        base = re.sub(r"\s+", " ", base)
        name = base[:MAX_SHEET_NAME].rstrip()
        n = 2
        while name.casefold() in taken:
            suffix = f" ({n})"
            name = base[: MAX_SHEET_NAME - len(suffix)].rstrip() + suffix
            n += 1
        taken.add(name.casefold())
        names.append(name)
    return names


def is_share(table: Table, column: int) -> bool:
    """Shares are stored as percent (11.1 for 11.1 %): a whole "percent" table, or a column
    headed as a share in a table that mixes counts and shares."""
    if table.kind == "percent":
        return True
    header = table.columns[column].strip().casefold()
    return header.startswith("andel") or header.endswith("%")


def _write_value(sheet: Worksheet, row: int, col: int, value: Any, share: bool) -> None:
    if value is None:
        return
    target = sheet.cell(row=row, column=col)
    if isinstance(value, bool) or not isinstance(value, int | float):
        target.value = str(value)
        return
    if share:
        target.value = value / 100
        target.number_format = PERCENT_FORMAT
        return
    target.value = value
    if isinstance(value, float) and not value.is_integer():
        target.number_format = DECIMAL_FORMAT


def write_table(sheet: Worksheet, table: Table) -> None:
    sheet["A1"] = table.title
    sheet["A1"].font = Font(bold=True, size=13)
    if table.note:
        sheet["A2"] = table.note
        sheet["A2"].font = Font(italic=True)
    bold = Font(bold=True)
    for col, header in enumerate(["", *table.columns], start=1):
        sheet.cell(row=HEADER_ROW, column=col, value=header).font = bold
    for r, row in enumerate(table.rows, start=HEADER_ROW + 1):
        sheet.cell(row=r, column=1, value=row.label)
        for c, value in enumerate(row.values):
            _write_value(sheet, r, c + 2, value, is_share(table, c))
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=2)
    widest = max(
        [len(r.label) for r in table.rows] + [len(table.columns[0]) if table.columns else 0]
    )
    sheet.column_dimensions["A"].width = min(max(widest + 2, 12), 70)


def to_xlsx(stats: Statistics) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table, name in zip(stats.tables, sheet_names([t.title for t in stats.tables]), strict=True):
        write_table(workbook.create_sheet(name), table)
    if not stats.tables:
        workbook.create_sheet(_("Statistik"))
    workbook.properties.title = _("Lexflöde – statistik %(year)s", year=stats.year)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
