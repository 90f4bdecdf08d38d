"""The statistics page on a 320-px screen (WCAG 1.4.10, 1.4.11): every chart shows the years the
tables compare (this year and every earlier one the data holds, at least two), fits the screen
without sideways scrolling, and its text stays legible."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from .a11y import assert_accessible
from .conftest import screenshot
from .pages import log_in

SAS = "sas@exempelby.se"
YEAR = date.today().year

# Per chart: its title, the years written beside its bars, the years its table's columns show,
# its right edge, and the height of its smallest piece of text as drawn on the screen.
CHARTS = """() => [...document.querySelectorAll('main svg.chart')].map(svg => {
    const texts = [...svg.querySelectorAll('text')];
    const isYear = t => /^\\d{4}$/.test(t);
    const columns = svg.closest('section').querySelectorAll('table th[scope=col]');
    return {
        title: svg.querySelector('title').textContent,
        years: [...new Set(texts.map(t => t.textContent).filter(isYear))],
        table: [...columns].map(th => th.textContent.trim()).filter(isYear),
        right: svg.getBoundingClientRect().right,
        smallest: Math.min(...texts.map(t => t.getBoundingClientRect().height)),
    };
})"""


def compared_years(years: list[str]) -> bool:
    """This year and the years before it, one after the other, at least three of them."""
    return len(years) >= 3 and years == [str(y) for y in range(YEAR - len(years) + 1, YEAR + 1)]


def test_the_charts_show_every_year_legibly_on_a_320_px_screen(new_page) -> None:  # type: ignore[no-untyped-def]
    page = new_page(viewport=(320, 640))
    log_in(page, SAS)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Statistik").click()
    expect(page.get_by_role("heading", name=f"Statistik {YEAR}", level=1)).to_be_visible()
    assert_accessible(page, "Statistik at 320 px")

    assert page.evaluate("document.scrollingElement.scrollWidth") <= 320
    chart = page.get_by_role("img", name=re.compile(rf"^Rapporter per ärendetyp.*–{YEAR}$"))
    expect(chart).to_be_visible()
    expect(chart).to_have_accessible_description(re.compile("Samma siffror står i tabellen"))

    charts = page.evaluate(CHARTS)
    # Reports, type changes, filings, IVO's decisions, units and their roll-ups, event types,
    # cause areas, categories, severity: each compares the years.
    assert len([c for c in charts if compared_years(c["table"])]) >= 9, charts
    for drawn in charts:
        assert drawn["years"] == drawn["table"], drawn
        assert drawn["right"] <= 320, drawn
        assert drawn["smallest"] >= 10, drawn
    screenshot(page, "statistics-320")
