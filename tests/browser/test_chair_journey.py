"""The chair, who signs twice a month: finds the SAS's proposals in Att göra, reads the
investigation on the page and as the PDF, approves one — and sends another back to the SAS with
what is missing, which the SAS then finds in Att göra."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .conftest import screenshot
from .live import proposal_for_chair
from .pages import expect_done, expect_status, log_in, open_from_inbox, step

CHAIR = "ordforande@exempelby.se"
SAS = "sas@exempelby.se"
PROPOSAL = "Förslag till beslut"
APPROVED = "Beslut om anmälan – skickas till IVO"
MOTIVATION = "Den boende lämnades utan hjälp länge: ett allvarligt missförhållande som ska anmälas."
MISSING = "Utredningen saknar personalens egen beskrivning av kvällen. Komplettera med intervjuer."


def read_investigation(page: Page, reference: str) -> None:
    proposal = page.get_by_role("region", name="Utredarens förslag")
    expect(proposal.get_by_text("Allvarligt missförhållande", exact=True)).to_be_visible()
    expect(proposal.get_by_text("Sara SAS")).to_be_visible()
    investigation = page.get_by_role("region", name="Utredning", exact=True)
    expect(
        investigation.get_by_text("Den boende blev liggande utan hjälp; risk för allvarlig skada.")
    ).to_be_visible()
    # The investigation as the numbered document the committee keeps, served as a real PDF.
    documents = page.get_by_role("region", name="Dokument", exact=True)
    link = documents.get_by_role("link", name=re.compile(r"^Utredning.*\(PDF\)$"))
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    assert href is not None
    pdf = page.request.get(href)
    assert pdf.ok
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")


def test_chair_approves_one_proposal_and_returns_another(new_page, live_app) -> None:  # type: ignore[no-untyped-def]
    approve_ref = proposal_for_chair(
        live_app, "En boende blev liggande på golvet i två timmar innan någon kom."
    )
    return_ref = proposal_for_chair(
        live_app, "En boende fick vänta på hjälp till toaletten i över en timme."
    )

    chair = new_page()
    log_in(chair, CHAIR)
    open_from_inbox(chair, approve_ref, PROPOSAL)
    read_investigation(chair, approve_ref)
    screenshot(chair, "chair-01-proposal")
    approve = step(chair, "Besluta om anmälan till IVO")
    approve.get_by_label("Motivering").fill(MOTIVATION)
    approve.get_by_role("button", name="Besluta om anmälan till IVO").click()
    expect_done(chair, approve_ref, APPROVED)
    decision = chair.get_by_role("region", name="Beslut om anmälan", exact=True)
    expect(decision.get_by_text("Anmäls till IVO", exact=True)).to_be_visible()
    expect(decision.get_by_text(MOTIVATION)).to_be_visible()
    screenshot(chair, "chair-02-approved")

    open_from_inbox(chair, return_ref, PROPOSAL)
    read_investigation(chair, return_ref)
    back = step(chair, "Återsänd till utredaren")
    back.get_by_label("Vad behöver utredaren komplettera?").fill(MISSING)
    screenshot(chair, "chair-03-return")
    back.get_by_role("button", name="Återsänd till utredaren").click()
    expect_done(chair, return_ref, "Under utredning")
    history = chair.get_by_role("region", name="Händelser i ärendet", exact=True)
    expect(history.get_by_text(MISSING)).to_be_visible()
    screenshot(chair, "chair-04-returned")

    # The SAS finds it waiting, with the chair's words on the case.
    sas = new_page()
    log_in(sas, SAS)
    open_from_inbox(sas, return_ref, "Under utredning")
    expect(
        sas.get_by_role("region", name="Händelser i ärendet", exact=True).get_by_text(MISSING)
    ).to_be_visible()
    expect_status(sas, return_ref, "Under utredning")
    screenshot(sas, "chair-05-sas-sees-return")
