"""The log reviewer (DOMAIN.md §9): after a SAS has read a case, finds that read in the access
log, draws a sample of the users who read case content this month, records an outcome for each
sampled user and concludes the review, which then can no longer be changed."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from .a11y import assert_accessible
from .conftest import screenshot
from .pages import log_in

SAS = "sas@exempelby.se"
REVIEWER = "logg@exempelby.se"
REMARK = "Läste ett ärende från en enhet hon inte följer upp; fråga om behovet."
CONCLUSION = "Alla läsningar utom en hade stöd i behov. Anmärkningen följs upp med SAS."


def sas_reads_a_case(page: Page) -> str:
    log_in(page, SAS)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Ärenden", exact=True
    ).click()
    expect(page.get_by_role("heading", name="Ärenden", level=1)).to_be_visible()
    assert_accessible(page, "Ärenden")
    page.get_by_role("main").get_by_role("link", name=re.compile(r"^LS-\d{4}-\d{4}$")).first.click()
    heading = page.get_by_role("heading", name=re.compile(r"^Ärende LS-"), level=1)
    expect(heading).to_be_visible()
    assert_accessible(page, "the case the SAS reads")
    return heading.inner_text().removeprefix("Ärende ")


def find_the_read(page: Page, reference: str) -> None:
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Åtkomstlogg").click()
    expect(page.get_by_role("heading", name="Åtkomstlogg", level=1)).to_be_visible()
    assert_accessible(page, "Åtkomstlogg")
    search = page.get_by_role("form", name="Sök i åtkomstloggen")
    search.get_by_label("Användare (namn eller e-post)").fill("Sara SAS")
    search.get_by_label("Ärendereferens").fill(reference)
    search.get_by_role("button", name="Sök").click()
    expect(
        page.get_by_role("status").filter(has_text=re.compile(r"^\d+ rad(er)? i loggen$"))
    ).to_be_visible()
    table = page.get_by_role("table", name=re.compile("^Åtkomstloggen, nyast först"))
    row = table.get_by_role("row").filter(has=page.get_by_role("cell", name=reference, exact=True))
    expect(row.first).to_contain_text("Sara SAS")
    screenshot(page, "log-01-search")


def draw_sample(page: Page) -> None:
    page.get_by_role("main").get_by_role("link", name="Logggranskningar").click()
    expect(page.get_by_role("heading", name="Logggranskningar", level=1)).to_be_visible()
    assert_accessible(page, "Logggranskningar")
    page.get_by_role("link", name="Ny granskning").click()
    expect(page.get_by_role("heading", name="Ny logggranskning", level=1)).to_be_visible()
    assert_accessible(page, "Ny logggranskning")
    today = datetime.now(ZoneInfo("Europe/Stockholm")).date()
    page.get_by_label("Periodens första dag").fill(today.replace(day=1).isoformat())
    page.get_by_label("Periodens sista dag").fill(today.isoformat())
    page.get_by_label("Urvalets storlek i procent").fill("100")
    screenshot(page, "log-02-new-review")
    page.get_by_role("button", name="Dra urvalet").click()
    expect(
        page.get_by_role("status").filter(has_text="Urvalet är draget. Granska varje användare")
    ).to_be_visible()
    expect(
        page.get_by_role("heading", name=re.compile("^Logggranskning "), level=1)
    ).to_be_visible()
    screenshot(page, "log-03-sample")


def record_outcomes(page: Page) -> None:
    """Every sampled user gets an outcome: a remark for the SAS, none for the others."""
    sampled = page.get_by_role("region").filter(
        has=page.get_by_role("button", name="Spara resultatet")
    )
    count = sampled.count()
    assert count >= 1
    # Each heading reads "Name e-mail".
    names = [
        re.sub(r"\s+\S+@\S+$", "", sampled.nth(i).get_by_role("heading", level=2).inner_text())
        for i in range(count)
    ]
    assert "Sara SAS" in names, names
    for person in names:
        section = page.get_by_role("region").filter(
            has=page.get_by_role("heading", level=2, name=re.compile(rf"^{re.escape(person)}\b"))
        )
        outcome = section.get_by_role("group", name=f"Resultat för {person}")
        if person == "Sara SAS":
            outcome.get_by_label("Anmärkning", exact=True).check()
            section.get_by_label("Kommentar").fill(REMARK)
        else:
            outcome.get_by_label("Utan anmärkning").check()
        section.get_by_role("button", name="Spara resultatet").click()
        expect(
            page.get_by_role("status").filter(has_text=f"Resultatet för {person} är sparat.")
        ).to_be_visible()
        assert_accessible(page, f"outcome for {person}")
    sara = page.get_by_role("region").filter(
        has=page.get_by_role("heading", level=2, name=re.compile(r"^Sara SAS\b"))
    )
    expect(sara.get_by_role("strong")).to_have_text("Anmärkning")
    expect(
        sara.get_by_role("group", name="Resultat för Sara SAS").get_by_label(
            "Anmärkning", exact=True
        )
    ).to_be_checked()
    expect(sara.get_by_role("paragraph").filter(has_text=REMARK)).to_be_visible()


def conclude(page: Page) -> None:
    closing = page.get_by_role("region", name="Avsluta granskningen")
    closing.get_by_label("Slutsats").fill(CONCLUSION)
    screenshot(page, "log-04-outcomes-recorded")
    closing.get_by_role("button", name="Avsluta granskningen").click()
    expect(page.get_by_role("status").filter(has_text="Granskningen är avslutad.")).to_be_visible()
    conclusion = page.get_by_role("region", name="Slutsats")
    expect(conclusion.get_by_text(CONCLUSION)).to_be_visible()
    expect(conclusion).to_contain_text("Granskningen kan inte längre ändras.")
    expect(page.get_by_role("button", name="Spara resultatet")).to_have_count(0)
    expect(page.get_by_role("region", name="Avsluta granskningen")).to_have_count(0)
    screenshot(page, "log-05-concluded")


def test_log_reviewer_samples_and_reviews_reads(new_page) -> None:  # type: ignore[no-untyped-def]
    reference = sas_reads_a_case(new_page())

    reviewer = new_page()
    log_in(reviewer, REVIEWER)
    find_the_read(reviewer, reference)
    draw_sample(reviewer)
    record_outcomes(reviewer)
    conclude(reviewer)
