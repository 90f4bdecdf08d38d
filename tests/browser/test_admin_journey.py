"""The administrator: adds a new unit and the manager who leads it, changes a deadline rule —
and the new manager, through the link in her invitation, chooses a password, logs in and finds
her unit where staff report events."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from .a11y import assert_accessible
from .conftest import screenshot
from .live import last_mail_to
from .pages import enrol_second_factor, log_in

ADMIN = "admin@exempelby.se"
UNIT = "Korttidsboendet Björken"
UNIT_PATH = f"Vård- och omsorgsförvaltningen › Äldreomsorg › {UNIT}"
NAME = "Nora Nyström"
EMAIL = "nora.nystrom@exempelby.se"
PASSWORD = "björkar i blom vid bryggan"
RULE = re.compile(r"^Bedömning av avvikelsen\s*, Avvikelse$")


def admin_menu(page: Page, section: str) -> None:
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Administration"
    ).click()
    expect(page.get_by_role("heading", name="Administration", level=1)).to_be_visible()
    assert_accessible(page, "Administration")
    page.get_by_role("main").get_by_role("link", name=section, exact=True).click()
    expect(page.get_by_role("heading", name=section, level=1)).to_be_visible()
    assert_accessible(page, section)


def add_unit(page: Page) -> None:
    admin_menu(page, "Enheter")
    page.get_by_role("link", name="Lägg till under Äldreomsorg").click()
    expect(page.get_by_role("heading", name="Ny enhet", level=1)).to_be_visible()
    assert_accessible(page, "Ny enhet")
    page.get_by_role("textbox", name=re.compile(r"^Namn\b")).fill(UNIT)
    expect(page.get_by_role("group", name="Typ").get_by_label("Enhet", exact=True)).to_be_checked()
    expect(
        page.get_by_role("combobox", name="Ligger under").get_by_role("option", selected=True)
    ).to_have_text(re.compile("Äldreomsorg"))
    areas = page.get_by_role("group", name="Lagstiftning")
    areas.get_by_label(re.compile(r"\(SoL\)")).check()
    areas.get_by_label(re.compile(r"\(HSL\)")).check()
    screenshot(page, "adm-01-new-unit")
    page.get_by_role("button", name="Lägg till enheten").click()
    expect(page.get_by_role("status").filter(has_text=f"{UNIT} är tillagd.")).to_be_visible()
    expect(page.get_by_role("main").get_by_text(UNIT, exact=True)).to_be_visible()
    assert_accessible(page, "Enheter with the new unit")


def add_manager(page: Page) -> None:
    admin_menu(page, "Användare")
    page.get_by_role("link", name="Ny användare").click()
    expect(page.get_by_role("heading", name="Ny användare", level=1)).to_be_visible()
    assert_accessible(page, "Ny användare")
    page.get_by_role("textbox", name=re.compile(r"^Namn\b")).fill(NAME)
    page.get_by_label("E-postadress").fill(EMAIL)
    page.get_by_label("Titel").fill("Enhetschef")
    roles = page.get_by_role("group", name="Roller")
    roles.get_by_label("Enhetschef", exact=True).check()
    roles.get_by_label("Medarbetare", exact=True).check()
    page.get_by_role("group", name="Leder enheterna").get_by_label(
        re.compile(re.escape(UNIT))
    ).check()
    screenshot(page, "adm-02-new-user")
    page.get_by_role("button", name="Lägg till användaren").click()
    expect(
        page.get_by_role("status").filter(has_text=f"{NAME} är tillagd. Ett mejl med en länk")
    ).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("cell", name=EMAIL, exact=True))
    expect(row).to_contain_text(NAME)
    expect(row).to_contain_text("Enhetschef")
    assert_accessible(page, "Användare with the new user")


def change_deadline_rule(page: Page) -> None:
    admin_menu(page, "Tidsfristregler")
    current = page.get_by_role("table", name=re.compile(r"^Tidsfristregler, version \d+$"))
    version = int(re.sub(r"\D", "", current.get_by_role("caption").inner_text()))
    page.get_by_role("link", name=RULE).click()
    expect(
        page.get_by_role("heading", name=re.compile("^Ändra tidsfrist:"), level=1)
    ).to_be_visible()
    assert_accessible(page, "Ändra tidsfrist")
    length = page.get_by_label("Tidsfristens längd")
    days = int(length.input_value()) + 2
    length.fill(str(days))
    page.get_by_label("Anledning till ändringen").fill("Nämndens beslut om längre bedömningstid.")
    screenshot(page, "adm-03-deadline-rule")
    page.get_by_role("button", name="Spara som ny version").click()
    expect(
        page.get_by_role("status").filter(
            has_text=f"Tidsfristreglerna är sparade som version {version + 1}."
        )
    ).to_be_visible()
    table = page.get_by_role("table", name=f"Tidsfristregler, version {version + 1}")
    row = table.get_by_role("row").filter(has=page.get_by_role("link", name=RULE))
    expect(row).to_contain_text(re.compile(rf"\b{days} "))
    screenshot(page, "adm-04-deadline-rules-new-version")


def new_manager_starts(page: Page, link: str) -> None:
    page.goto(urlsplit(link).path)
    expect(page.get_by_role("heading", name="Välj ett nytt lösenord", level=1)).to_be_visible()
    assert_accessible(page, "choose a password")
    page.get_by_label("Nytt lösenord").fill(PASSWORD)
    page.get_by_label("Upprepa lösenordet").fill(PASSWORD)
    page.get_by_role("button", name="Spara lösenordet").click()
    expect(page.get_by_role("heading", name="Logga in", level=1)).to_be_visible()
    assert_accessible(page, "login after choosing a password")
    page.get_by_label("E-postadress").fill(EMAIL)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    # A manager reads case content: a second factor before anything else (DOMAIN.md §2).
    enrol_second_factor(page)
    expect(page.get_by_role("heading", name="Att göra", level=1)).to_be_visible()
    expect(page.get_by_text(f"Inloggad som {NAME}")).to_be_visible()
    assert_accessible(page, "the new manager's Att göra")
    page.get_by_role("link", name="Rapportera händelse").click()
    units = page.get_by_role("combobox", name="Var hände det? (enhet)")
    expect(units.get_by_role("option", name=UNIT_PATH)).to_have_count(1)
    screenshot(page, "adm-05-new-manager-report-form")


def test_admin_adds_a_unit_and_its_manager_and_changes_a_deadline(new_page, live_app) -> None:  # type: ignore[no-untyped-def]
    admin = new_page()
    log_in(admin, ADMIN)
    add_unit(admin)
    add_manager(admin)
    change_deadline_rule(admin)

    found = re.search(r"https?://\S+/nytt-losenord/\S+", last_mail_to(live_app, EMAIL))
    assert found is not None
    new_manager_starts(new_page(), found.group(0))
