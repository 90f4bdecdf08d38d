"""The chair, who signs twice a month: finds the SAS's proposals in Att göra, reads the
investigation on the page and as the PDF, approves one with the one decision form — and on
another first starts to decline without a motivation (refused, with what was chosen kept), then
sends it back to the SAS with what is missing, which the SAS then finds in Att göra."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .conftest import screenshot
from .live import proposal_for_chair
from .pages import chosen, expect_done, expect_status, log_in, open_from_inbox, step, take_decision

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
    # One question, one motivation, one button: the three outcomes are the answers.
    form = step(chair, "Beslut om anmälan till IVO")
    for answer in (
        "Besluta om anmälan till IVO",
        "Besluta att inte anmäla",
        "Återsänd till utredaren",
    ):
        expect(form.get_by_role("radio", name=answer, exact=True)).to_be_visible()
    expect(form.get_by_role("textbox")).to_have_count(1)
    expect(form.get_by_role("button")).to_have_count(1)
    # Marked before submitting: what every answer needs, and what only declining needs.
    expect(form.get_by_role("textbox", name=re.compile("^Motivering"))).to_have_attribute(
        "required", ""
    )
    expect(
        form.get_by_role("combobox", name="Det rapporterade utgjorde enligt beslutsfattaren")
    ).to_have_accessible_description("Behövs bara om du väljer: Besluta att inte anmäla.")
    take_decision(chair, "Besluta om anmälan till IVO", MOTIVATION)
    expect_done(chair, approve_ref, APPROVED)
    decision = chair.get_by_role("region", name="Beslut om anmälan", exact=True)
    expect(decision.get_by_text("Anmäls till IVO", exact=True)).to_be_visible()
    expect(decision.get_by_text(MOTIVATION)).to_be_visible()
    screenshot(chair, "chair-02-approved")

    open_from_inbox(chair, return_ref, PROPOSAL)
    read_investigation(chair, return_ref)
    # Declining without a motivation is refused; what was chosen is still there.
    form = take_decision(chair, "Besluta att inte anmäla", "", grade="Missförhållande")
    expect(chair.get_by_role("alert")).to_contain_text("Motivering: Fältet måste fyllas i.")
    expect(form.get_by_role("radio", name="Besluta att inte anmäla")).to_be_checked()
    grade = form.get_by_role("combobox", name="Det rapporterade utgjorde enligt beslutsfattaren")
    expect(chosen(grade)).to_have_text("Missförhållande")
    motivation = form.get_by_role("textbox", name=re.compile("^Motivering"))
    expect(motivation).to_have_attribute("aria-invalid", "true")
    expect_status(chair, return_ref, PROPOSAL)
    screenshot(chair, "chair-03-refused-decline")
    # The chair changes their mind: the same form sends it back to the SAS.
    take_decision(chair, "Återsänd till utredaren", MISSING)
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
