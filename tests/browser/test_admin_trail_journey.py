"""Separation of duties, seen in the browser (DOMAIN.md §2 rev. 2): the administrator cannot give
herself a role; she gives the SAS role to a new colleague, with a reason; the log reviewer finds
that grant — who, when, before, after, why — in the administrative log at /logg."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .a11y import assert_accessible
from .conftest import screenshot
from .pages import log_in
from .test_admin_journey import ADMIN, admin_menu

REVIEWER = "logg@exempelby.se"
NAME = "Saga Samordnare"
EMAIL = "saga.samordnare@exempelby.se"
REASON = "Vikarie för SAS under hösten, beslut KS 2026/141"


def cannot_grant_herself(page: Page) -> None:
    admin_menu(page, "Användare")
    page.get_by_role("link", name="Alva Admin").click()
    expect(
        page.get_by_role("heading", name=re.compile("^Ändra användare"), level=1)
    ).to_be_visible()
    assert_accessible(page, "Ändra användare (herself)")
    roles = page.get_by_role("group", name="Roller")
    roles.get_by_label(re.compile(r"\(SAS\)$")).check()
    page.get_by_role("button", name="Spara").click()
    expect(
        page.get_by_role("heading", name="Du kan inte ändra din egen behörighet.")
    ).to_be_visible()
    expect(page.get_by_text("Du kan inte ändra dina egna roller.").first).to_be_visible()
    screenshot(page, "trail-01-own-role-refused")


def grants_sas_to_a_colleague(page: Page) -> None:
    admin_menu(page, "Användare")
    page.get_by_role("link", name="Ny användare").click()
    expect(page.get_by_role("heading", name="Ny användare", level=1)).to_be_visible()
    assert_accessible(page, "Ny användare")
    page.get_by_role("textbox", name=re.compile(r"^Namn\b")).fill(NAME)
    page.get_by_label("E-postadress").fill(EMAIL)
    page.get_by_role("group", name="Roller").get_by_label(re.compile(r"\(SAS\)$")).check()
    page.get_by_role("textbox", name=re.compile(r"^Anledning\b")).fill(REASON)
    page.get_by_role("button", name="Lägg till användaren").click()
    expect(page.get_by_role("status").filter(has_text=f"{NAME} är tillagd.")).to_be_visible()
    assert_accessible(page, "Användare with the new SAS")


def reviewer_finds_the_grant(page: Page) -> None:
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Åtkomstlogg").click()
    expect(page.get_by_role("heading", name="Åtkomstlogg", level=1)).to_be_visible()
    assert_accessible(page, "Åtkomstlogg")
    page.get_by_role("main").get_by_role("link", name="Administrativ logg").click()
    expect(page.get_by_role("heading", name="Administrativ logg", level=1)).to_be_visible()
    assert_accessible(page, "Administrativ logg")
    search = page.get_by_role("form", name="Sök i den administrativa loggen")
    search.get_by_label("Vems behörighet").select_option(label=f"{NAME} ({EMAIL})")
    search.get_by_role("button", name="Sök").click()
    expect(page.get_by_role("status").filter(has_text="1 ändring")).to_be_visible()
    table = page.get_by_role("table", name=re.compile("^Den administrativa loggen, nyast först"))
    row = table.get_by_role("row").filter(has_text=EMAIL)
    expect(row).to_contain_text("Alva Admin")
    expect(row).to_contain_text("Roller")
    expect(row).to_contain_text("Socialt ansvarig samordnare (SAS)")
    expect(row).to_contain_text(REASON)
    screenshot(page, "trail-02-admin-log")


def test_no_one_grants_themselves_and_every_grant_is_logged(new_page) -> None:  # type: ignore[no-untyped-def]
    admin = new_page()
    log_in(admin, ADMIN)
    cannot_grant_herself(admin)
    grants_sas_to_a_colleague(admin)

    reviewer = new_page()
    log_in(reviewer, REVIEWER)
    reviewer_finds_the_grant(reviewer)
