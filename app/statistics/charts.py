"""Plain SVG bar charts drawn on the server: no script, readable by a screen reader through the
title and label, and always shown beside the table holding the same figures."""

from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup, escape

from .queries import Table

LABEL_WIDTH = 260
BAR_AREA = 300
ROW_HEIGHT = 26
BAR_HEIGHT = 16
INK = "#1f2937"
BAR = "#2f5d8a"


def bar_chart(table: Table, column: int = -1) -> Markup:
    """Horizontal bars, one per row, for one column (by default the chosen year). A masked
    count ("< 5") gets no bar, only its text."""
    year = table.columns[column]
    values = [row.values[column] for row in table.rows]
    numbers = [v for v in values if isinstance(v, int | float)]
    top = max(numbers, default=0) or 1
    height = ROW_HEIGHT * len(table.rows) + 10
    width = LABEL_WIDTH + BAR_AREA + 60
    title = _("%(title)s, %(year)s", title=table.title, year=year)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (row, value) in enumerate(zip(table.rows, values, strict=True)):
        y = 5 + i * ROW_HEIGHT
        text_y = y + BAR_HEIGHT - 3
        label = row.label if len(row.label) <= 40 else row.label[:39] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{text_y}" text-anchor="end" font-size="12" '
            f'fill="{INK}">{escape(label)}</text>'
        )
        bar = 0.0
        if isinstance(value, int | float):
            bar = BAR_AREA * value / top
        if bar > 0:
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{bar:.1f}" height="{BAR_HEIGHT}" '
                f'fill="{BAR}"/>'
            )
        parts.append(
            f'<text x="{LABEL_WIDTH + bar + 6:.1f}" y="{text_y}" font-size="12" '
            f'fill="{INK}">{escape(str(value))}</text>'
        )
    parts.append("</svg>")
    # Every piece of text above went through escape(); the rest is fixed markup.
    return Markup("".join(parts))  # noqa: S704
