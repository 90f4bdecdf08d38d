"""The case page on a phone (390 px wide): the page does not scroll sideways, the header says
where the case stands, what comes next and by when, and the case's path is readable — its states
listed in words rather than a picture shrunk to illegibility. On a wide screen the picture is
shown, filling the column."""

from __future__ import annotations

import re

from flask import Flask
from playwright.sync_api import Page, expect

from workflows.engine import fire

from .a11y import assert_accessible
from .conftest import screenshot
from .live import MANAGER, MEASURES, SAS, operations, person, proposal_for_chair, report
from .pages import log_in

PHONE = (390, 844)
CHAIR = "ordforande@exempelby.se"


def _under_investigation(app: Flask) -> tuple[int, str]:
    with operations(app) as session:
        case = report(session, "En boende föll i duschen och slog i huvudet.")
        fire(session, case, person(session, MANAGER), "record_immediate_measures", MEASURES)
        fire(session, case, person(session, SAS), "start_investigation", {})
        return case.id, case.reference


def _no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE[0], f"the page is {width} px wide on a {PHONE[0]} px screen"


def _states_readable(page: Page, names: tuple[str, ...], current: str) -> None:
    path = page.get_by_role("list", name="Ärendets steg")
    expect(path).to_be_visible()
    for name in names:
        state = path.get_by_text(name, exact=True).first
        expect(state).to_be_visible()
        size = state.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 14, f"{name!r} is set in {size} px"
        box = state.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE[0]
    marked = path.locator('[aria-current="step"]')
    expect(marked).to_have_count(1)
    expect(marked).to_contain_text(current)
    expect(marked).to_contain_text("(nuvarande)")
    # The picture, too small to read at this width, is not shown.
    expect(page.get_by_role("region", name="Processkarta")).to_be_hidden()


def test_case_page_on_a_phone(new_page, live_app) -> None:  # type: ignore[no-untyped-def]
    case_id, reference = _under_investigation(live_app)
    page = new_page(PHONE)
    log_in(page, "sas@exempelby.se")
    page.goto(f"/arenden/{case_id}")
    expect(page.get_by_role("heading", name=f"Ärende {reference}", level=1)).to_be_visible()
    assert_accessible(page, f"case {reference} on a phone")
    _no_sideways_scroll(page)

    header = page.get_by_role("region", name=f"Ärende {reference}", exact=True)
    expect(header.get_by_text("Under utredning", exact=True)).to_be_visible()
    facts = header.get_by_role("definition")
    expect(facts.filter(has_text=re.compile(r"^\s*Slutför utredning\s*$"))).to_be_visible()
    expect(facts.filter(has_text=re.compile(r"^\s*SAS"))).to_be_visible()
    by_when = header.locator("time")
    expect(by_when).to_be_visible()
    expect(by_when).to_have_text(re.compile(r"\d{4}"))
    expect(header).to_contain_text(re.compile(r"\((\d+ arbetsdag(ar)? kvar|\d+ .* kvar)\)"))

    # The case's parts are linked at the top and reachable without scrolling sideways.
    parts = page.get_by_role("navigation", name="Ärendets delar")
    for name in ("Rapport", "Utredning", "Historik"):
        expect(parts.get_by_role("link", name=name, exact=True)).to_be_visible()
    parts.get_by_role("link", name="Historik", exact=True).click()
    _states_readable(
        page,
        ("Rapport inkommen", "Under utredning", "Förslag till beslut", "Avslutad"),
        "Under utredning",
    )
    _no_sideways_scroll(page)
    screenshot(page, "phone-01-case-under-investigation")

    # Wider, the picture is back and fits its column.
    page.set_viewport_size({"width": 1280, "height": 900})
    picture = page.get_by_role("region", name="Processkarta")
    expect(picture).to_be_visible()
    expect(page.get_by_role("list", name="Ärendets steg")).to_be_hidden()
    svg = picture.locator("svg")
    box, column = svg.bounding_box(), picture.bounding_box()
    assert box is not None
    assert column is not None
    assert box["width"] <= column["width"] + 1
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 1280
    assert_accessible(page, f"case {reference} wide")


def test_decision_on_a_phone(new_page, live_app) -> None:  # type: ignore[no-untyped-def]
    reference = proposal_for_chair(live_app, "En boende fick fel läkemedel två kvällar i rad.")
    page = new_page(PHONE)
    log_in(page, CHAIR)
    page.get_by_role("link", name=reference, exact=True).first.click()
    expect(page.get_by_role("heading", name=f"Ärende {reference}", level=1)).to_be_visible()
    assert_accessible(page, f"case {reference} for the chair on a phone")
    _no_sideways_scroll(page)
    header = page.get_by_role("region", name=f"Ärende {reference}", exact=True)
    expect(header.get_by_text("Förslag till beslut", exact=True)).to_be_visible()
    expect(header).to_contain_text("Besluta om anmälan till IVO")
    form = page.get_by_role("region", name="Beslut om anmälan till IVO", exact=True)
    expect(form.get_by_role("button", name="Fatta beslut")).to_be_visible()
    screenshot(page, "phone-02-chair-decision")
