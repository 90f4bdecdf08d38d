"""In Chromium: the administrator maps a directory group to the MAS role; a nurse in that group
signs in through the municipality's OpenID provider (a real one, oidc-provider-mock) and lands
in Att göra as MAS; a colleague in no mapped group is shown why she cannot sign in."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.a11y import Coverage, assert_accessible
from tests.browser.pages import log_in

from . import providers
from .conftest import Live, roles_of

pytestmark = pytest.mark.browser

ADMIN = "admin@exempelby.se"
MAS_GROUP = "sg-lexflode-mas"


def map_group(page: Page) -> None:
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Administration"
    ).click()
    expect(page.get_by_role("heading", name="Administration", level=1)).to_be_visible()
    assert_accessible(page, "Administration")
    page.get_by_role("main").get_by_role("link", name="Grupper och roller", exact=True).click()
    expect(page.get_by_role("heading", name="Grupper och roller", level=1)).to_be_visible()
    assert_accessible(page, "Grupper och roller")
    page.get_by_role("textbox", name=re.compile(r"^Grupp i katalogen")).fill(MAS_GROUP)
    page.get_by_role("group", name=re.compile("^Roll")).get_by_label(re.compile(r"\(MAS\)")).check()
    page.get_by_role("button", name="Lägg till gruppen").click()
    expect(
        page.get_by_role("status").filter(has_text=f"Gruppen {MAS_GROUP} ger nu rollen")
    ).to_be_visible()
    row = page.get_by_role("row").filter(has_text=MAS_GROUP)
    expect(row).to_contain_text("Medicinskt ansvarig sjuksköterska (MAS)")
    assert_accessible(page, "Grupper och roller with the new mapping")


def sign_in_at_the_provider(page: Page, subject: str) -> None:
    page.goto("/login")
    assert_accessible(page, "login with single sign-on")
    page.get_by_role("link", name="Logga in med organisationskonto").click()
    # The provider's own page: the municipality's, not Lexflöde's, so not ours to check.
    page.get_by_placeholder("sub").fill(subject)
    Coverage.of(page).checked()
    page.get_by_role("button", name="Authorize").click()


def test_a_mapped_group_signs_in_as_mas_and_an_unmapped_one_is_refused(
    sso_page,  # type: ignore[no-untyped-def]
    live: Live,
) -> None:
    admin = sso_page()
    log_in(admin, ADMIN)
    map_group(admin)

    providers.set_user(
        live.issuer,
        "journey-maria",
        {"email": "maria.nurse@exempelby.se", "name": "Maria Sköterska", "groups": [MAS_GROUP]},
    )
    nurse = sso_page()
    sign_in_at_the_provider(nurse, "journey-maria")
    expect(nurse.get_by_role("heading", name="Att göra", level=1)).to_be_visible()
    expect(nurse.get_by_role("banner")).to_contain_text("Maria Sköterska")
    assert_accessible(nurse, "Att göra after single sign-on")
    assert roles_of(live.app, "journey-maria") == ({"mas"}, set())

    providers.set_user(
        live.issuer,
        "journey-olle",
        {"email": "olle@exempelby.se", "name": "Olle Ekonom", "groups": ["sg-ekonomi"]},
    )
    outsider = sso_page()
    sign_in_at_the_provider(outsider, "journey-olle")
    expect(outsider.get_by_role("heading", name="Inloggningen nekades", level=1)).to_be_visible()
    expect(outsider.get_by_role("main")).to_contain_text("ger ingen behörighet i Lexflöde")
    assert_accessible(outsider, "single sign-on refused")
