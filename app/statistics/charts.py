"""Plain SVG bar charts drawn on the server: no script, every year of the table side by side, and
always shown beside the table holding the same figures.

The chart is drawn for a phone first. An inline SVG scales its text with its width, so the
drawing is narrow (``WIDTH`` units) and the page lets it grow only a little (style.css, "statistics
charts"): 14-unit text stays at about 12 CSS pixels on a 320-px screen and 17 on a desktop.
Each row's label sits on its own line(s) above its bars, wrapped, never cut, so long unit and
category names need no room beside the bars. Each bar carries its year and its value as text:
the years are told apart without their colours."""

from __future__ import annotations

import textwrap
import xml.etree.ElementTree as ET
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup

from .queries import Row, Table

WIDTH = 320
PAD = 6  # white margin around the drawing
FONT = 14
# A generous average width of a character of a sans-serif font, in ems: wrapping a little early
# is better than a label running out of the drawing.
CHAR_EM = 0.62
LINE = 18
BAR = 16
BAR_GAP = 4
GROUP_GAP = 14
# The tallest part of a chart in the PDF, in drawing units: 18 cm at the PDF's 8.5-cm width,
# so a part, its heading and its caption fit on an A4 page (pdf.html).
PRINTED_HEIGHT = 700
YEAR_WIDTH = 44  # "2026" and a gap before the bar
VALUE_ROOM = 52  # the value after the longest bar ("< 5", "1234")

# WCAG 1.4.11 asks 3:1 for a bar against what is behind it and 1.4.3 4.5:1 for text;
# tests/test_statistics_charts.py computes both. The chart paints its own background, so the
# figures hold on the page's grey wash and on the PDF's white paper alike.
BACKGROUND = "#ffffff"
INK = "#1f2933"  # --ink in style.css
AXIS = "#52606d"  # --ink-soft
# Oldest year first; the chosen year, last, in the brand's dark blue. Three hues of different
# lightness (grey, brown, dark blue) also part under the common colour-vision deficiencies.
PALETTE = ("#6b7785", "#a8590a", "#1d3a5f")


def series_colours(count: int) -> list[str]:
    """One colour per column, the newest always the darkest; more columns than colours reuse
    the palette (the year written on every bar still tells them apart)."""
    return [PALETTE[(i - count) % len(PALETTE)] for i in range(count)]


def wrap(label: str) -> list[str]:
    per_line = int(WIDTH / (FONT * CHAR_EM))
    return textwrap.wrap(label, per_line, break_on_hyphens=True) or [""]


def bar_chart(table: Table, first: int = 0, count: int | None = None) -> Markup:
    """Horizontal bars: for every row its label, then one bar per year (per column), oldest
    first. A masked count ("< 5") gets no bar, only its text. ``first`` and ``count`` draw a part
    of the rows, on the scale of the whole table."""
    key = f"chart-{table.key}" + (f"-{first}" if first else "")
    years = table.columns
    colours = series_colours(len(years))
    numbers = [v for row in table.rows for v in row.values if _is_number(v)]
    top = max(numbers, default=0) or 1
    # A tertial's "T2 2026" or a month's "2026-06" needs more room than a year before its bar.
    year_width = max(YEAR_WIDTH, round(max(map(len, years), default=0) * FONT * CHAR_EM) + 6)
    bar_area = WIDTH - year_width - VALUE_ROOM
    rows = table.rows[first : None if count is None else first + count]

    body: list[ET.Element] = []
    y = GROUP_GAP / 2
    for row in rows:
        group = ET.Element("g", {"class": "chart__row"})
        for line in wrap(row.label):
            y += LINE
            _text(group, 0, y - 4, line, weight="600")
        # The zero line beside this row's bars only, so it never runs through a label.
        ET.SubElement(
            group,
            "line",
            {
                "x1": str(year_width),
                "x2": str(year_width),
                "y1": _n(y),
                "y2": _n(y + (BAR_GAP + BAR) * len(years) + BAR_GAP),
                "stroke": AXIS,
                "stroke-width": "1",
            },
        )
        for year, value, colour in zip(years, row.values, colours, strict=True):
            y += BAR_GAP
            baseline = y + BAR - 3
            _text(group, 0, baseline, year)
            length = bar_area * value / top if _is_number(value) else 0.0
            if length > 0:
                length = max(length, 2)  # the smallest count still shows a bar
                ET.SubElement(
                    group,
                    "rect",
                    {
                        "x": str(year_width),
                        "y": _n(y),
                        "width": _n(length),
                        "height": str(BAR),
                        "fill": colour,
                    },
                )
            shown = "–" if value is None else str(value)
            _text(group, year_width + length + 5, baseline, shown)
            y += BAR
        y += GROUP_GAP
        body.append(group)
    height = round(y - GROUP_GAP / 2)

    title = chart_title(table)
    desc = _(
        "Liggande staplar, en per år och rad, med årtal och antal skrivna vid varje stapel. "
        "Samma siffror står i tabellen ovanför."
    )
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "class": "chart",
            "role": "img",
            "width": "100%",
            "viewBox": f"{-PAD} 0 {WIDTH + 2 * PAD} {height}",
            "aria-labelledby": f"{key}-title",
            "aria-describedby": f"{key}-desc",
            "font-size": str(FONT),
        },
    )
    ET.SubElement(svg, "title", {"id": f"{key}-title"}).text = title
    ET.SubElement(svg, "desc", {"id": f"{key}-desc"}).text = desc
    ET.SubElement(
        svg,
        "rect",
        {"x": str(-PAD), "width": str(WIDTH + 2 * PAD), "height": str(height), "fill": BACKGROUND},
    )
    svg.extend(body)
    # ElementTree escapes every text and attribute it writes; nothing here is raw markup.
    return Markup(ET.tostring(svg, encoding="unicode"))  # noqa: S704


def chart_parts(table: Table, tallest: float = PRINTED_HEIGHT) -> list[Markup]:
    """The chart in parts a printed page can hold: a drawing is never split across pages, and
    one taller than the page would be cut off (every unit of a large municipality)."""
    parts: list[Markup] = []
    first, height = 0, GROUP_GAP / 2
    for i, row in enumerate(table.rows):
        if i > first and height + row_height(row) > tallest:
            parts.append(bar_chart(table, first, i - first))
            first, height = i, GROUP_GAP / 2
        height += row_height(row)
    parts.append(bar_chart(table, first))
    return parts


def row_height(row: Row) -> float:
    """The height a row takes in the drawing: its label's lines, its bars, the gap after it."""
    return LINE * len(wrap(row.label)) + (BAR_GAP + BAR) * len(row.values) + GROUP_GAP


def chart_title(table: Table) -> str:
    """The table's title and the years drawn, unless the title already names its one year."""
    first, last = table.columns[0], table.columns[-1]
    if first == last:
        return (
            table.title
            if last in table.title
            else _("%(title)s, %(year)s", title=table.title, year=last)
        )
    return _("%(title)s, %(first)s–%(last)s", title=table.title, first=first, last=last)


def chart_caption(table: Table) -> str:
    first, last = table.columns[0], table.columns[-1]
    if first == last:
        return _("Diagrammet visar %(year)s; samma siffror står i tabellen.", year=last)
    return _(
        "Diagrammet visar åren %(first)s–%(last)s; samma siffror står i tabellen.",
        first=first,
        last=last,
    )


def _text(parent: ET.Element, x: float, y: float, text: str, weight: str = "") -> None:
    attrs = {"x": _n(x), "y": _n(y), "fill": INK}
    if weight:
        attrs["font-weight"] = weight
    ET.SubElement(parent, "text", attrs).text = text


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")
