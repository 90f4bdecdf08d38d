"""A SAS with a local account (not a demo user, so the second factor is required) in Chromium:
made to set up the second factor right after the password, the key read off the page and typed
into an app (pyotp here), a wrong code refused, the recovery codes shown once, then Att göra;
signing in again asks for the code, and a fresh one lets them in; the administrator resets it and
the next sign-in sets up a new one. Every page checked with axe, the enrolment at 320 px too."""

from __future__ import annotations

import re
import time

import pyotp
from playwright.sync_api import Page, expect

from app.auth.passwords import hash_password
from app.models import User

from .a11y import assert_accessible
from .live import operations
from .pages import log_in
from .test_accessibility import no_sideways_scrolling

EMAIL = "tvasteg.sas@kommun.example"
PASSWORD = "ett långt lösenord för tvåsteg"


def give_password(page: Page) -> None:
    page.goto("/login")
    assert_accessible(page, "login")
    page.get_by_label("E-postadress").fill(EMAIL)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()


def test_enrolment_and_sign_in_with_a_code(new_page, live_app) -> None:  # type: ignore[no-untyped-def]
    with operations(live_app) as session:
        user = User(
            email=EMAIL, name="Siv Tvåsteg", title="SAS", password_hash=hash_password(PASSWORD)
        )
        user.set_roles(["sas", "reporter"])
        session.add(user)

    page = new_page(viewport=(320, 640))
    give_password(page)
    expect(
        page.get_by_role("heading", name="Ställ in tvåstegsverifiering", level=1)
    ).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("^QR-kod"))).to_be_visible()
    assert_accessible(page, "second factor enrolment")
    no_sideways_scrolling(page, "second factor enrolment")
    # Nothing else opens before it is done.
    page.goto("/")
    expect(page.get_by_role("heading", name="Logga in", level=1)).to_be_visible()
    assert_accessible(page, "login while enrolment waits")
    page.go_back()
    expect(
        page.get_by_role("heading", name="Ställ in tvåstegsverifiering", level=1)
    ).to_be_visible()
    assert_accessible(page, "second factor enrolment, again")

    key = page.locator("#secret").inner_text()
    totp = pyotp.TOTP(key.replace(" ", ""))
    field = page.get_by_role("textbox", name=re.compile("^Kod från appen"))
    field.fill("12345")
    page.get_by_role("button", name="Slå på tvåstegsverifiering").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Koden stämmer inte.")
    assert_accessible(page, "second factor enrolment, wrong code")
    summary.get_by_role("link").click()
    expect(field).to_be_focused()

    field.fill(totp.now())
    page.get_by_role("button", name="Slå på tvåstegsverifiering").click()
    expect(page.get_by_role("heading", name="Dina återställningskoder", level=1)).to_be_visible()
    codes = page.get_by_role("list", name="Återställningskoder").get_by_role("listitem")
    expect(codes).to_have_count(10)
    assert_accessible(page, "recovery codes")
    no_sideways_scrolling(page, "recovery codes")
    page.get_by_role("link", name="Jag har sparat koderna, fortsätt").click()
    expect(page.get_by_role("heading", name="Att göra", level=1)).to_be_visible()
    assert_accessible(page, "Att göra after enrolment")

    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("heading", name="Logga in", level=1)).to_be_visible()
    assert_accessible(page, "login after logging out")
    give_password(page)
    expect(page.get_by_role("heading", name="Ange koden", level=1)).to_be_visible()
    assert_accessible(page, "second factor code")
    code = page.get_by_role("textbox", name=re.compile("^Kod"))
    wrong = f"{(int(totp.now()) + 500_000) % 1_000_000:06d}"
    code.fill(wrong)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("alert")).to_contain_text("Koden stämmer inte.")
    assert_accessible(page, "second factor code, wrong")
    # The next time-step's code: the current one may be the step the enrolment used up.
    code.fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Att göra", level=1)).to_be_visible()
    assert_accessible(page, "Att göra after the code")

    # The phone is lost: the administrator resets the second factor on the user's page, and the
    # next sign-in sets up a new one.
    admin = new_page()
    log_in(admin, "admin@exempelby.se")
    admin.goto("/admin/anvandare")
    assert_accessible(admin, "Användare")
    admin.get_by_role("link", name="Siv Tvåsteg").click()
    section = admin.get_by_role("region", name="Tvåstegsverifiering")
    expect(section).to_contain_text("Kontot loggar in med lösenord och en kod från en app.")
    assert_accessible(admin, "a user's page with a second factor")
    section.get_by_role("button", name="Nollställ tvåstegsverifieringen").click()
    expect(admin.get_by_role("status").filter(has_text="är nollställd")).to_be_visible()
    expect(section).to_contain_text("Kontot har ingen tvåstegsverifiering inställd.")
    assert_accessible(admin, "a user's page after the reset")

    # The reset ended the SAS's session too.
    page.reload()
    expect(page.get_by_role("heading", name="Logga in", level=1)).to_be_visible()
    assert_accessible(page, "login after the reset")
    give_password(page)
    expect(
        page.get_by_role("heading", name="Ställ in tvåstegsverifiering", level=1)
    ).to_be_visible()
    assert_accessible(page, "second factor enrolment after the reset")
    assert page.locator("#secret").inner_text() != key
