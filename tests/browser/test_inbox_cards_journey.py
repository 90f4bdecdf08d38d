"""Att göra on a 320-px phone (issue 14): one count, the same in the menu and the heading and
as many as the cards; each card says what happened, what is needed next and by when, with an
overdue deadline said in words. Axe-clean, and nothing scrolls sideways."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import update

from app.models import Deadline

from .conftest import screenshot
from .live import MANAGER, operations, report
from .pages import log_in

FIRST_LINE = "Brukaren föll ur sängen i natt och blödde från pannan."
SECOND_LINE = "Undersköterskan Nils Nilsson larmade sjuksköterskan."


def two_reports(app: Flask) -> tuple[str, str]:
    """A new report for the manager of Solgården, and one whose measures are overdue."""
    with operations(app) as session:
        fresh = report(session, f"{FIRST_LINE}\n{SECOND_LINE}")
        late = report(session, "En boende fick fel läkemedel vid kvällsmedicineringen.")
        session.execute(
            update(Deadline)
            .where(Deadline.case_id == late.id, Deadline.key == "immediate_measures")
            .values(due_at=datetime.now(UTC) - timedelta(days=2))
        )
        return fresh.reference, late.reference


def count_in(text: str) -> str:
    found = re.search(r"\((\d+\+?)", text)
    assert found, text
    return found.group(1)


def test_inbox_cards_on_a_320_px_screen(new_page, live_app) -> None:  # type: ignore[no-untyped-def]
    fresh, late = two_reports(live_app)
    page: Page = new_page(viewport=(320, 640))
    log_in(page, MANAGER)

    waiting = page.get_by_role("region", name=re.compile(r"^Ärenden som väntar på dig \(\d+\)$"))
    heading = waiting.get_by_role("heading", level=2).inner_text()
    menu = (
        page.get_by_role("navigation", name="Huvudmeny")
        .get_by_role("link", name=re.compile("^Att göra"))
        .inner_text()
    )
    cards = waiting.get_by_role("heading", level=3)
    assert count_in(menu) == count_in(heading) == str(cards.count())
    expect(waiting).to_contain_text("Antalet är ärenden där du ska göra något")

    card = waiting.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=fresh, exact=True)
    )
    expect(card).to_contain_text(f"Vad hände{FIRST_LINE}")
    expect(card).not_to_contain_text(SECOND_LINE)
    expect(
        card.get_by_role("link", name=f"Dokumentera omedelbara åtgärder – {fresh}")
    ).to_be_visible()
    expect(card).to_contain_text("Klart senast")
    expect(card).to_contain_text(re.compile(r"kvar\s+\(Omedelbara åtgärder\)"))

    overdue = waiting.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=late, exact=True)
    )
    expect(overdue).to_contain_text("Försenad:")
    expect(overdue).to_contain_text(re.compile(r"försenad \d+ (dagar|dygn)"))

    wide = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert wide[0] <= wide[1], f"Att göra scrolls sideways at 320 px: {wide}"
    screenshot(page, "inbox-320-cards")
