"""Mitt konto's API tokens in Chromium: a token made (a name asked for first), shown once in a
field that fits a 320-px screen, listed by name, and revoked — every page checked with axe."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .a11y import assert_accessible
from .pages import log_in
from .test_accessibility import no_sideways_scrolling

SAS = "sas@exempelby.se"
NAME = "Nattlig export till diariet"


def open_account(page: Page) -> None:
    page.get_by_role("link", name="Mitt konto och språk").click()
    expect(page.get_by_role("heading", name="Mitt konto", level=1)).to_be_visible()
    assert_accessible(page, "Mitt konto")


def test_a_token_made_shown_once_and_revoked(new_page) -> None:  # type: ignore[no-untyped-def]
    page = new_page(viewport=(320, 640))
    log_in(page, SAS)
    open_account(page)
    no_sideways_scrolling(page, "Mitt konto")

    # Without a name: the error summary, tied to the field.
    page.get_by_role("button", name="Skapa token").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Namn på token: Fältet måste fyllas i.")
    assert_accessible(page, "Mitt konto, token without a name")
    summary.get_by_role("link").click()
    expect(page.get_by_role("textbox", name=re.compile("^Namn på token"))).to_be_focused()

    page.get_by_role("textbox", name=re.compile("^Namn på token")).fill(NAME)
    page.get_by_role("button", name="Skapa token").click()
    shown = page.get_by_role("textbox", name="Din nya token")
    expect(shown).to_have_value(re.compile(r"^lxf_\S{40,}$"))
    assert_accessible(page, "Mitt konto, new token")
    no_sideways_scrolling(page, "Mitt konto, new token")
    tokens = page.get_by_role("list", name="Dina API-tokens")
    expect(tokens.get_by_role("heading", name=NAME)).to_be_visible()

    # Shown once: the next visit lists it by name only.
    open_account(page)
    expect(page.get_by_role("textbox", name="Din nya token")).to_have_count(0)
    token = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=NAME))
    expect(token).to_contain_text("Aldrig")
    token.get_by_role("button", name=f"Återkalla {NAME}").click()
    expect(page.get_by_role("status").filter(has_text="är återkallad")).to_be_visible()
    assert_accessible(page, "Mitt konto, token revoked")
    expect(page.get_by_role("heading", name=NAME)).to_have_count(0)
