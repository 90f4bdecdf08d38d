"""The SAS types in the investigation and presses "Slutför utredning" among the next steps
without saving first: the text is saved, shown again, and what is missing is marked at its
field (issue 14)."""

from __future__ import annotations

import re

from flask import Flask
from playwright.sync_api import expect

from workflows.engine import fire

from .a11y import assert_accessible
from .live import MANAGER, MEASURES, SAS, case_by_reference, operations, person, report
from .pages import expect_status, log_in, step

TYPED = "Den boende föll ur sängen på natten och blödde från huvudet; larmet var avstängt."


def _case_under_investigation(app: Flask) -> tuple[int, str]:
    with operations(app) as session:
        case = report(session, "Boende föll ur sängen och blödde.")
        fire(session, case, person(session, MANAGER), "record_immediate_measures", MEASURES)
        fire(session, case, person(session, SAS), "start_investigation", {})
        return case.id, case.reference


def test_completing_without_saving_loses_nothing(new_page, live_app):  # type: ignore[no-untyped-def]
    case_id, reference = _case_under_investigation(live_app)
    page = new_page()
    log_in(page, SAS)
    page.goto(f"/arenden/{case_id}")
    expect_status(page, reference, "Under utredning")
    assert_accessible(page, f"case {reference} under investigation")

    inv = page.get_by_role("region", name="Utredning", exact=True)
    inv.get_by_label("1. Vad missförhållandet eller risken bestod i").fill(TYPED)
    item_1 = inv.get_by_role("group", name="Källa och uppgiftens art: 1. Missförhållandet")
    item_1.get_by_label("Källa: varifrån uppgiften kommer").fill("Samtal med nattpersonalen")
    item_1.get_by_label("Faktauppgift").check()
    # Not "Spara utredningen": straight to the step at the bottom of the page.
    step(page, "Slutför utredning").get_by_role("button", name="Slutför utredning").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("uppgifter i utredningen saknas")
    assert_accessible(page, "completion refused, text kept")
    expect_status(page, reference, "Under utredning")
    inv = page.get_by_role("region", name="Utredning", exact=True)
    expect(inv.get_by_label("1. Vad missförhållandet eller risken bestod i")).to_have_value(TYPED)
    expect(inv.get_by_label("2. När och hur det uppmärksammades")).to_have_accessible_description(
        re.compile("Uppgiften krävs innan utredningen kan slutföras")
    )
    item_1 = inv.get_by_role("group", name="Källa och uppgiftens art: 1. Missförhållandet")
    expect(item_1.get_by_label("Källa: varifrån uppgiften kommer")).to_have_value(
        "Samtal med nattpersonalen"
    )
    expect(item_1.get_by_label("Faktauppgift")).to_be_checked()
    expect(
        inv.get_by_role("group", name="Har den enskildes företrädare informerats?")
    ).to_contain_text("Ange om den enskildes företrädare")
    with operations(live_app) as session:
        case = case_by_reference(session, reference)
        assert case.investigation is not None
        assert case.investigation.what_happened == TYPED


def test_the_investigation_is_saved_as_a_draft_while_typed(new_page, live_app):  # type: ignore[no-untyped-def]
    case_id, reference = _case_under_investigation(live_app)
    page = new_page()
    log_in(page, SAS)
    page.goto(f"/arenden/{case_id}")
    expect_status(page, reference, "Under utredning")
    assert_accessible(page, f"case {reference} before the draft")

    inv = page.get_by_role("region", name="Utredning", exact=True)
    inv.get_by_label("2. När och hur det uppmärksammades").fill("Nattpersonalen vid tillsyn.")
    expect(inv.get_by_role("status")).to_have_text(re.compile(r"^Utkast sparat \d\d:\d\d$"))
    assert_accessible(page, "draft saved")
    with operations(live_app) as session:
        case = case_by_reference(session, reference)
        assert case.investigation is not None
        assert case.investigation.how_noticed == "Nattpersonalen vid tillsyn."

    # The draft moved the case version on; the page knows, so saving by hand is not refused.
    inv.get_by_label("3. När det inträffade").fill("Natten mot söndag.")
    inv.get_by_role("button", name="Spara utredningen").click()
    expect(page.get_by_role("status").filter(has_text="Utredningen är sparad.")).to_be_visible()
    assert_accessible(page, "saved after a draft")
    inv = page.get_by_role("region", name="Utredning", exact=True)
    expect(inv.get_by_label("3. När det inträffade")).to_have_value("Natten mot söndag.")
