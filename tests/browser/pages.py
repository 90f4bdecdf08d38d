"""What every browser journey does on Lexflöde's pages: log in, open a case from Att göra, find a
step's form, read the case's status. Only roles, labels and visible text, as a person sees them."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Locator, Page, expect

from .a11y import assert_accessible

PASSWORD = "lexflode-demo"


def log_in(page: Page, email: str) -> None:
    page.goto("/login")
    assert_accessible(page, "login")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Att göra", level=1)).to_be_visible()
    assert_accessible(page, f"Att göra for {email}")


def enrol_second_factor(page: Page) -> None:
    """The second factor a new account with a case-reading role sets up at its first sign-in:
    the key read off the page into an app (pyotp here), a code, the recovery codes, onward."""
    import pyotp

    expect(
        page.get_by_role("heading", name="Ställ in tvåstegsverifiering", level=1)
    ).to_be_visible()
    assert_accessible(page, "second factor enrolment")
    totp = pyotp.TOTP(page.locator("#secret").inner_text().replace(" ", ""))
    page.get_by_role("textbox", name=re.compile("^Kod från appen")).fill(totp.now())
    page.get_by_role("button", name="Slå på tvåstegsverifiering").click()
    expect(page.get_by_role("heading", name="Dina återställningskoder", level=1)).to_be_visible()
    assert_accessible(page, "recovery codes")
    page.get_by_role("link", name="Jag har sparat koderna, fortsätt").click()


def open_from_inbox(page: Page, reference: str, group: str) -> None:
    """Finds the case in Att göra, showing its status, and opens it."""
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Att göra").click()
    waiting = page.get_by_role("region", name=re.compile(r"^Ärenden som väntar på dig \(\d+\)$"))
    card = waiting.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=reference, exact=True)
    )
    expect(fact(card, group)).to_be_visible()
    assert_accessible(page, "Att göra")
    card.get_by_role("link", name=reference, exact=True).click()
    expect(page.get_by_role("heading", name=f"Ärende {reference}", level=1)).to_be_visible()
    assert_accessible(page, f"case {reference}")


def first_in_inbox(page: Page, status: str) -> None:
    """Opens the first case in Att göra that has this status."""
    waiting = page.get_by_role("region", name=re.compile(r"^Ärenden som väntar på dig \(\d+\)$"))
    shown = page.get_by_role("definition").filter(
        has_text=re.compile(rf"^\s*{re.escape(status)}\s*$")
    )
    card = waiting.get_by_role("listitem").filter(has=shown)
    card.get_by_role("heading", level=3).get_by_role("link").first.click()
    expect(page.get_by_role("heading", name=re.compile("^Ärende "), level=1)).to_be_visible()
    assert_accessible(page, f"a case with status {status}")


def step(page: Page, name: str) -> Locator:
    """A step's form on the case page, found by its heading."""
    return page.get_by_role("region", name=name, exact=True)


def expect_status(page: Page, reference: str, label: str) -> None:
    header = page.get_by_role("region", name=f"Ärende {reference}", exact=True)
    expect(header.get_by_text(label, exact=True)).to_have_text(label)
    expect(header.get_by_text(label, exact=True)).to_be_visible()


def expect_done(page: Page, reference: str, label: str) -> None:
    expect(page.get_by_role("status").filter(has_text="Klart:")).to_contain_text(
        f"Ärendet har nu status {label}."
    )
    expect_status(page, reference, label)
    assert_accessible(page, f"case {reference} in {label}")


def fact(container: Locator, value: str) -> Locator:
    """A value in a list of facts (Status: Planerad), not an option of a form beside it."""
    return container.get_by_role("definition").filter(
        has_text=re.compile(rf"^\s*{re.escape(value)}\s*$")
    )


def chosen(select: Locator) -> Locator:
    return select.get_by_role("option", selected=True)


def my_report(page: Page, reference: str) -> Locator:
    return page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=reference, exact=True)
    )


def reference_in(message: Locator, prefix: str) -> str:
    """The reference number a confirmation gives, LS-2025-0042 say."""
    found = re.search(rf"{prefix}-\d{{4}}-\d{{4}}", message.inner_text())
    assert found is not None
    return found.group(0)


def a_moment_ago() -> str:
    """A time for a datetime-local field that is surely past in Sweden, where the server checks
    it (a time of the measures in the future is refused)."""
    moment = datetime.now(ZoneInfo("Europe/Stockholm")) - timedelta(minutes=10)
    return moment.strftime("%Y-%m-%dT%H:%M")


def answer_who_and_harm(page: Page, affected: str, harm: str) -> None:
    """The report form's two plain questions, which nothing answers beforehand: who was affected
    and whether anyone came to harm (their answers decide what the report becomes)."""
    page.get_by_role("group", name="Vem berördes?").get_by_label(affected).check()
    page.get_by_role("group", name="Kom någon till skada").get_by_label(harm).check()


def take_decision(page: Page, choice: str, motivation: str, grade: str | None = None) -> Locator:
    """The deciding role's one form on the case page: one answer, one motivation, one button."""
    form = step(page, "Beslut om anmälan till IVO")
    form.get_by_role("radio", name=choice, exact=True).check()
    if grade is not None:
        form.get_by_role(
            "combobox", name="Det rapporterade utgjorde enligt beslutsfattaren"
        ).select_option(label=grade)
    form.get_by_role("textbox", name=re.compile("^Motivering")).fill(motivation)
    form.get_by_role("button", name="Fatta beslut").click()
    return form
