"""The statistics charts (app/statistics/charts.py): every year the table compares, in colours
that pass WCAG's contrast minimums, with labels wrapped rather than cut, named for a screen
reader; and the same charts in the PDF."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.statistics.charts import (
    AXIS,
    BACKGROUND,
    CHAR_EM,
    FONT,
    INK,
    PALETTE,
    WIDTH,
    bar_chart,
    chart_parts,
    series_colours,
)
from app.statistics.export import to_pdf
from app.statistics.queries import Row, Statistics, Table
from tests.test_statistics_figures import build

SVG = "{http://www.w3.org/2000/svg}"
YEARS = ["2024", "2025", "2026"]
STYLE = Path(__file__).resolve().parents[1] / "app" / "static" / "style.css"


def parse(chart: str) -> ET.Element:
    return ET.fromstring(str(chart))  # noqa: S314  (our own output)


def texts(element: ET.Element) -> list[str]:
    return [t.text or "" for t in element.iter(f"{SVG}text")]


def rows_of(svg: ET.Element) -> list[ET.Element]:
    return list(svg.iter(f"{SVG}g"))


def bars(group: ET.Element) -> list[ET.Element]:
    return list(group.iter(f"{SVG}rect"))


# --- every year -----------------------------------------------------------------------------


def test_a_three_year_chart_draws_every_year_for_every_row(app):
    table = Table(
        "reports",
        "Rapporter per ärendetyp",
        YEARS,
        [Row("Lex Sarah", [3, 6, 12]), Row("Solgården", [24, "< 5", 0])],
    )
    with app.test_request_context():
        svg = parse(bar_chart(table))

    sarah, solgarden = rows_of(svg)
    assert texts(sarah) == ["Lex Sarah", "2024", "3", "2025", "6", "2026", "12"]
    # One bar per year, as long as its count, each year in its own colour.
    drawn = bars(sarah)
    widths = [float(b.get("width", 0)) for b in drawn]
    assert len(drawn) == 3
    assert widths[0] * 2 == pytest.approx(widths[1])
    assert widths[1] * 2 == pytest.approx(widths[2])
    assert [b.get("fill") for b in drawn] == series_colours(3)
    assert len(set(series_colours(3))) == 3
    # A masked count and a zero get their text and no bar; the other year keeps its colour.
    assert texts(solgarden) == ["Solgården", "2024", "24", "2025", "< 5", "2026", "0"]
    assert [b.get("fill") for b in bars(solgarden)] == series_colours(3)[:1]
    # The newest year is the darkest colour of the palette.
    assert series_colours(3)[-1] == PALETTE[-1]


def test_the_page_charts_the_three_years_of_its_tables(client, auth, world, session):
    build(session, world)
    auth.login(world.sas.email)
    html = client.get("/statistik?year=2026").get_data(as_text=True)
    charts = [parse(svg) for svg in re.findall(r"<svg\b.*?</svg>", html, flags=re.DOTALL)]
    by_title = {c.find(f"{SVG}title").text: c for c in charts}  # type: ignore[union-attr]

    reports = by_title["Rapporter per ärendetyp (alla ärendetyper), 2024–2026"]
    sarah = rows_of(reports)[0]
    assert texts(sarah) == ["Lex Sarah", "2024", "0", "2025", "1", "2026", "4"]
    assert [b.get("fill") for b in bars(sarah)] == series_colours(3)[1:]
    units = by_title["Lex Sarah per enhet, 2024–2026"]
    assert texts(rows_of(units)[-1]) == ["Solgården", "2024", "0", "2025", "< 5", "2026", "< 5"]
    areas = by_title["Avvikelser per verksamhetsområde, 2024–2026"]
    assert texts(rows_of(areas)[-1]) == ["Äldreomsorg", "2024", "0", "2025", "0", "2026", "5"]
    three_years = [c for c in charts if "2024–2026" in c.find(f"{SVG}title").text]  # type: ignore[union-attr,operator]
    assert len(three_years) >= 9
    for chart in three_years:
        for row in rows_of(chart):
            assert [t for t in texts(row) if re.fullmatch(r"\d{4}", t)] == YEARS
    assert "Diagrammet visar åren 2024–2026; samma siffror står i tabellen." in html


def test_a_tertial_s_charts_label_every_bar_with_its_period(client, auth, world, session):
    build(session, world)
    auth.login(world.sas.email)
    html = client.get("/statistik?year=2026&period=tertial&number=2").get_data(as_text=True)
    charts = [parse(svg) for svg in re.findall(r"<svg\b.*?</svg>", html, flags=re.DOTALL)]
    by_title = {c.find(f"{SVG}title").text: c for c in charts}  # type: ignore[union-attr]
    reports = by_title["Rapporter per ärendetyp (alla ärendetyper), T2 2024–T2 2026"]
    deviations = rows_of(reports)[2]
    assert texts(deviations) == ["Avvikelse", "T2 2024", "0", "T2 2025", "0", "T2 2026", "5"]
    # The bars start after the longer period labels, not on top of them.
    assert {float(b.get("x")) for b in bars(deviations)} == {round(7 * 14 * 0.62) + 6}


def test_a_chart_draws_every_year_the_data_holds(app):
    years = [str(y) for y in range(2019, 2027)]
    table = Table("reports", "Rapporter", years, [Row("Avvikelse", list(range(8)))])
    row = rows_of(parse(bar_chart(table)))[0]
    assert [t for t in texts(row) if re.fullmatch(r"\d{4}", t)] == years
    assert len(bars(row)) == 7  # the zero of 2019 has no bar


# --- contrast -------------------------------------------------------------------------------


def luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of a #rrggbb colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    light, dark = sorted([luminance(a), luminance(b)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def css_colour(name: str) -> str:
    found = re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{6}})", STYLE.read_text(encoding="utf-8"))
    assert found, name
    return found.group(1)


def test_the_contrast_formula_matches_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_the_palette_passes_wcag_contrast_against_the_background():
    # 1.4.11: bars and the axis at least 3:1 against the chart's background; the page's grey
    # wash too, in case the chart's own background is ever taken away.
    for background in (BACKGROUND, css_colour("wash"), css_colour("paper")):
        for colour in (*PALETTE, AXIS):
            assert contrast(colour, background) >= 3, (colour, background)
        # 1.4.3: the chart's text at least 4.5:1.
        assert contrast(INK, background) >= 4.5, background
    assert css_colour("ink") == INK
    # The caption under the chart (--ink-soft on the page's wash).
    assert contrast(css_colour("ink-soft"), css_colour("wash")) >= 4.5


def test_every_colour_drawn_passes_against_the_charts_own_background(app):
    table = Table("t", "Per enhet", YEARS, [Row("A", [1, 2, 3]), Row("B", [4, 5, 6])])
    with app.test_request_context():
        svg = parse(bar_chart(table))
    background, *shapes = list(svg.iter(f"{SVG}rect"))
    paper = background.get("fill", "")
    assert float(background.get("width", 0)) >= WIDTH
    assert len(shapes) == 6
    for shape in [*shapes, *svg.iter(f"{SVG}line")]:
        colour = shape.get("fill") if shape.tag == f"{SVG}rect" else shape.get("stroke")
        assert contrast(colour or "", paper) >= 3, shape.attrib
    for text in svg.iter(f"{SVG}text"):
        assert contrast(text.get("fill", ""), paper) >= 4.5, text.text


# --- narrow screens and assistive technology -------------------------------------------------


LONG = "Vård- och omsorgsförvaltningen, Äldreomsorg, Solgårdens särskilda boende avdelning Björken"


def test_a_long_label_is_wrapped_whole_within_the_drawing(app):
    table = Table("units", "Rapporter per enhet", YEARS, [Row(LONG, [1, 2, 3])])
    with app.test_request_context():
        svg = parse(bar_chart(table))
    lines = [t for t in svg.iter(f"{SVG}text") if t.get("font-weight") == "600"]
    assert len(lines) >= 2
    assert " ".join(t.text or "" for t in lines) == LONG  # wrapped, not cut
    for line in lines:
        assert len(line.text or "") * FONT * CHAR_EM <= WIDTH, line.text
    # Lines of one label stack downwards and the bars start below them.
    heights = [float(t.get("y", 0)) for t in lines]
    assert heights == sorted(heights)
    assert float(bars(svg)[1].get("y", 0)) > heights[-1]


def test_the_chart_scales_and_has_a_name_and_a_description(app):
    table = Table("filed", "Anmälda till IVO per ärendetyp", YEARS, [Row("Lex Sarah", [0, 1, 2])])
    with app.test_request_context():
        svg = parse(bar_chart(table))
    assert svg.get("role") == "img"
    assert svg.get("width") == "100%"
    assert svg.get("height") is None  # the height follows the width through the viewBox
    assert len((svg.get("viewBox") or "").split()) == 4
    title = svg.find(f"{SVG}title")
    desc = svg.find(f"{SVG}desc")
    assert title is not None
    assert desc is not None
    assert svg.get("aria-labelledby") == title.get("id") == "chart-filed-title"
    assert svg.get("aria-describedby") == desc.get("id")
    assert title.text == "Anmälda till IVO per ärendetyp, 2024–2026"
    assert "Samma siffror står i tabellen" in (desc.text or "")


def test_a_one_year_table_gets_a_one_year_chart(app):
    table = Table("recurring", "Återkommande mönster 2026", ["2026"], [Row("Enhet: A", [7])])
    with app.test_request_context():
        svg = parse(bar_chart(table))
    assert svg.find(f"{SVG}title").text == "Återkommande mönster 2026"  # type: ignore[union-attr]
    assert texts(rows_of(svg)[0]) == ["Enhet: A", "2026", "7"]
    assert [b.get("fill") for b in bars(svg)[1:]] == [PALETTE[-1]]


# --- the PDF --------------------------------------------------------------------------------


def fill_colours(pdf: bytes) -> set[tuple[float, float, float]]:
    """Every non-stroking RGB colour the PDF's pages set (the `rg` operator)."""
    found = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        content = page.get_contents()
        assert content is not None
        stream = content.get_data().decode("latin-1")
        for r, g, b in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) rg\b", stream):
            found.add((round(float(r), 3), round(float(g), 3), round(float(b), 3)))
    return found


def rgb(colour: str) -> tuple[float, float, float]:
    r, g, b = (round(int(colour[i : i + 2], 16) / 255, 3) for i in (1, 3, 5))
    return r, g, b


def test_the_pdf_draws_the_same_three_year_charts(client, auth, world, session):
    build(session, world)
    auth.login(world.chair.email)
    response = client.get("/statistik.pdf?year=2026")
    assert response.status_code == 200
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "Diagrammet visar åren 2024–2026; samma siffror står i tabellen." in text
    # Lex Sarah's bars in the report chart: 1 in 2025 and 4 in 2026, each year in its colour.
    assert "Lex Sarah\n2024 0\n2025 1\n2026 4" in text
    colours = fill_colours(response.data)
    assert rgb(PALETTE[1]) in colours
    assert rgb(PALETTE[2]) in colours


def many_units() -> Table:
    """A large municipality: twenty units with long names, one of them with 40 reports."""
    rows = [Row(f"Enhet {i:02d} {LONG}", [5, 10, 40 if i == 19 else 10]) for i in range(20)]
    return Table("units", "Rapporter per enhet", YEARS, rows, masked=True)


def test_a_long_chart_is_printed_in_parts_that_fit_a_page(app):
    table = many_units()
    with app.test_request_context():
        parts = [parse(part) for part in chart_parts(table)]
    assert len(parts) > 1
    labels = [texts(row)[0] for part in parts for row in rows_of(part)]
    assert labels == [f"Enhet {i:02d} Vård- och" for i in range(20)]
    for part in parts:
        _x, _y, width, height = (float(n) for n in (part.get("viewBox") or "").split())
        assert height / width * 8.5 <= 18, "cm at the PDF's 8.5 cm width, on a 25.9-cm page"
    # One scale for the whole table: the count of 10 is as long in the first part as the last.
    first, last = bars(rows_of(parts[0])[0])[1], bars(rows_of(parts[-1])[0])[1]
    assert first.get("width") == last.get("width")
    assert len({part.find(f"{SVG}title").get("id") for part in parts}) == len(parts)  # type: ignore[union-attr]


def test_a_pdf_with_many_units_renders_every_one(app):
    stats = Statistics(2026, [2024, 2025, 2026], [many_units()])
    with app.test_request_context():
        pdf = to_pdf(stats)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 3
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert text.count("Enhet 19") == 2  # in the table and in the chart
