"""The admin's SCIM page in Chromium: reached from Administration, a token made and shown once
in a field that fits a 320-px screen, gone on the next visit; every page checked with axe."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .a11y import assert_accessible
from .pages import log_in
from .test_accessibility import no_sideways_scrolling

ADMIN = "admin@exempelby.se"
TITLE = "Användare från katalogen (SCIM)"


def open_scim_page(page: Page) -> None:
    page.get_by_role("link", name="Administration", exact=True).first.click()
    expect(page.get_by_role("heading", name="Administration", level=1)).to_be_visible()
    assert_accessible(page, "Administration")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    assert_accessible(page, "SCIM")


def test_the_scim_token_is_made_and_shown_once(new_page) -> None:  # type: ignore[no-untyped-def]
    page = new_page(viewport=(320, 640))
    log_in(page, ADMIN)
    open_scim_page(page)
    no_sideways_scrolling(page, "SCIM")
    expect(page.get_by_text(re.compile(r"/scim/v2$"))).to_be_visible()

    page.get_by_role("button", name="Skapa ny token").click()
    shown = page.get_by_role("textbox", name="Den nya token")
    expect(shown).to_have_value(re.compile(r"^scim_\S{40,}$"))
    assert_accessible(page, "SCIM, new token")
    no_sideways_scrolling(page, "SCIM, new token")

    open_scim_page(page)
    expect(page.get_by_role("textbox", name="Den nya token")).to_have_count(0)
    expect(page.get_by_text("Ingen token ännu")).to_have_count(0)
