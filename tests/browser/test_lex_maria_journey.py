"""A lex Maria case from report to filing with IVO in a real browser: a nurse reports on her phone
through the plain questions, the unit's manager records immediate measures, and the MAS writes the
event analysis, informs the patient, decides (the deciding role by default) and files."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from .a11y import assert_accessible
from .conftest import screenshot
from .pages import (
    a_moment_ago,
    answer_who_and_harm,
    expect_done,
    expect_status,
    log_in,
    my_report,
    open_from_inbox,
    reference_in,
    step,
    take_decision,
)

NURSE = "sjukskoterska@exempelby.se"
HEALTH_MANAGER = "hemsjukvard@exempelby.se"
MAS = "mas@exempelby.se"
HEMSJUKVARDEN = "Vård- och omsorgsförvaltningen › Hälso- och sjukvård › Hemsjukvården"
PHONE = (390, 844)
LEX_MARIA = "Vårdskada eller risk för vårdskada (lex Maria)"

TODAY = date.today()
REPORT_TEXT = (
    "Patienten fick dubbel dos Waran vid kvällsbesöket och började blöda kraftigt ur näsan."
)
MEASURES = "Läkare kontaktades, patienten fördes till akuten och fick motverkande behandling."
PURPOSE = "Förstå hur patienten kunde få dubbel dos och hindra att det händer igen."
TEAM = (
    ("Maria MAS", "medicinskt ansvarig sjuksköterska, analysledare", ""),
    ("Henrik Hemsjukvårdschef", "enhetschef", "Hemsjukvården"),
)
METHOD = "Händelseanalys med intervjuer, genomgång av journal och signeringslistor."
EVENT = (
    "Dagpersonalen gav kvällsdosen i förväg men signerade inte. Kvällspersonalen gav dosen igen. "
    "Patienten fick en allvarlig blödning och vårdades två dygn på sjukhus."
)
CAUSES = "Signeringen sker i efterhand och överlämningen mellan passen är muntlig."
FACTORS = "Ny personal under semesterperioden."
ANALYSIS_MEASURES = "Signering direkt vid given dos; skriftlig överlämning mellan passen."
GRADE_MOTIVATION = (
    "Patienten fick en bestående skada som krävde sjukhusvård: en allvarlig vårdskada."
)
ACCOUNT = "Dottern berättar att pappa själv sa att han redan fått sin tablett."
DECISION_MOTIVATION = "Allvarlig vårdskada enligt händelseanalysen; anmäls till IVO."
IVO_NUMBER = "3.5.1-54321/2025"


def report_care_injury(page: Page) -> str:
    page.get_by_role("link", name="Rapportera händelse").click()
    expect(page.get_by_role("heading", name="Rapportera händelse", level=1)).to_be_visible()
    assert_accessible(page, "report form")
    # Plain answers only: the reporter never picks "lex Maria" herself.
    answer_who_and_harm(page, "En patient i hälso- och sjukvården", "Ja, någon kom till skada")
    page.get_by_role("button", name="Visa förslag utifrån mina svar").click()
    proposal = page.get_by_role("status").filter(has_text="Förslag utifrån dina svar:")
    expect(proposal).to_contain_text(f"Förslag utifrån dina svar: {LEX_MARIA}.")
    expect(
        page.get_by_role("group", name="Vem berördes?").get_by_label(
            "En patient i hälso- och sjukvården"
        )
    ).to_be_checked()
    expect(page.get_by_role("combobox", name="Vad gäller rapporten?")).to_have_value("auto")

    page.get_by_role("combobox", name="Var hände det? (enhet)").select_option(label=HEMSJUKVARDEN)
    page.get_by_label("När hände det? (datum)").fill(TODAY.isoformat())
    page.get_by_label("Plats").fill("Patientens hem")
    page.get_by_label("Vad hände?").fill(REPORT_TEXT)
    page.get_by_label("Vad har du redan gjort?").fill(
        "Ringde jourläkaren och stannade hos patienten."
    )
    page.get_by_role("group", name="Person 1").get_by_label("Beskrivning").fill(
        "Patient i hemsjukvården"
    )
    screenshot(page, "lm-01-nurse-form-phone")
    page.get_by_role("button", name="Skicka rapporten").click()

    thanks = page.get_by_role("status").filter(has_text="Tack! Din rapport är skickad")
    expect(thanks).to_contain_text(re.compile(rf"referensnummer LM-{TODAY.year}-\d{{4}}\."))
    reference = reference_in(thanks, "LM")
    expect(page.get_by_role("heading", name="Mina rapporter", level=1)).to_be_visible()
    card = my_report(page, reference)
    expect(card.get_by_text(LEX_MARIA, exact=True)).to_be_visible()
    expect(card.get_by_text("Händelse rapporterad", exact=True)).to_have_text(
        "Händelse rapporterad"
    )
    expect(card.get_by_text(HEMSJUKVARDEN)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "lm-02-nurse-confirmation-phone")
    return reference


def record_measures(page: Page, reference: str) -> None:
    open_from_inbox(page, reference, "Händelse rapporterad")
    expect(page.get_by_text(REPORT_TEXT)).to_be_visible()
    expect_status(page, reference, "Händelse rapporterad")
    form = step(page, "Dokumentera omedelbara åtgärder")
    form.get_by_label("Vilka åtgärder vidtogs?").fill(MEASURES)
    form.get_by_label("När vidtogs åtgärderna?").fill(a_moment_ago())
    form.get_by_role("button", name="Dokumentera omedelbara åtgärder").click()
    expect_done(page, reference, "Väntar på MAS bedömning")
    measures = page.get_by_role("region", name="Omedelbara åtgärder", exact=True)
    expect(measures.get_by_text(MEASURES)).to_be_visible()
    screenshot(page, "lm-03-manager-measures")


def analyse(page: Page, reference: str) -> None:
    open_from_inbox(page, reference, "Väntar på MAS bedömning")
    measures = page.get_by_role("region", name="Omedelbara åtgärder", exact=True)
    expect(measures.get_by_text(MEASURES)).to_be_visible()
    start = step(page, "Starta utredning")
    start.get_by_role("button", name="Starta utredning").click()
    expect_done(page, reference, "Under utredning (händelseanalys)")

    analysis = page.get_by_role("region", name="Utredning (händelseanalys)", exact=True)
    analysis.get_by_label("Uppdrag: syfte med analysen").fill(PURPOSE)
    analysis.get_by_label("Uppdragsgivare", exact=True).fill(
        "Henrik Hemsjukvårdschef, verksamhetschef HSL"
    )
    analysis.get_by_label("Datum för uppdraget").fill(TODAY.isoformat())
    analysis.get_by_label("Analysen ska vara klar").fill((TODAY + timedelta(days=30)).isoformat())
    # The team, a participant per row; "Lägg till deltagare" saves and offers one more row.
    for number, participant in enumerate(TEAM, start=1):
        if number > 1:
            analysis.get_by_role("button", name="Lägg till deltagare").click()
            expect(page.get_by_role("status").filter(has_text="En tom rad")).to_be_visible()
            assert_accessible(page, f"analysis team: row {number} offered")
        row = analysis.get_by_role("group", name=f"Deltagare {number}", exact=True)
        for label, value in zip(("Namn", "Roll", "Enhet"), participant, strict=True):
            row.get_by_label(label, exact=True).fill(value)
    analysis.get_by_label("Metod", exact=True).fill(METHOD)
    analysis.get_by_label("Händelsebeskrivning (begriplig utan medicinsk utbildning)").fill(EVENT)
    analysis.get_by_label("Kommunikation och information").check()
    analysis.get_by_label("Processer, rutiner och riktlinjer").check()
    analysis.get_by_label("Rutin saknas eller följs inte").check()
    analysis.get_by_label("Identifierade orsaker").fill(CAUSES)
    analysis.get_by_label("Bidragande faktorer").fill(FACTORS)
    analysis.get_by_label("Andra risker som upptäckts").fill(
        "Samma signeringsrutin används i hemtjänsten."
    )
    analysis.get_by_role("combobox", name="Allvarlighetsgrad").select_option(label="4 Katastrofal")
    analysis.get_by_role("combobox", name="Sannolikhet för upprepning").select_option(
        label="2 Liten"
    )
    analysis.get_by_label("Åtgärder som vidtagits och planeras").fill(ANALYSIS_MEASURES)
    analysis.get_by_label("Utvärdering av analysen").fill("Analysen följs upp om sex månader.")
    analysis.get_by_label("Uppdragsgivarens kommentar").fill("Analysen godkänns.")
    analysis.get_by_role("combobox", name="Händelsen utgjorde (förslag)").select_option(
        label="Allvarlig vårdskada"
    )
    analysis.get_by_label("Motivering").fill(GRADE_MOTIVATION)
    analysis.get_by_role("button", name="Spara utredningen").click()
    expect(page.get_by_role("status").filter(has_text="Utredningen är sparad.")).to_be_visible()
    expect_status(page, reference, "Under utredning (händelseanalys)")
    analysis = page.get_by_role("region", name="Utredning (händelseanalys)", exact=True)
    for number, (name, role, _unit) in enumerate(TEAM, start=1):
        row = analysis.get_by_role("group", name=f"Deltagare {number}", exact=True)
        expect(row.get_by_label("Namn", exact=True)).to_have_value(name)
        expect(row.get_by_label("Roll", exact=True)).to_have_value(role)
    expect(
        analysis.get_by_label("Händelsebeskrivning (begriplig utan medicinsk utbildning)")
    ).to_have_value(EVENT)
    expect(analysis.get_by_role("combobox", name="Händelsen utgjorde (förslag)")).to_have_value(
        "serious_care_injury"
    )
    expect(
        analysis.get_by_text("allvarlighetsgrad 4 (Katastrofal) × sannolikhet 2 (Liten) = 8 av 16")
    ).to_be_visible()
    screenshot(page, "lm-04-mas-event-analysis")

    informed = page.get_by_role("region", name="Information till patienten (PSL 3 kap. 8 §)")
    expect(
        informed.get_by_text("Ingen information till patienten är registrerad än.")
    ).to_be_visible()
    informed.get_by_label("Datum för informationen").fill(TODAY.isoformat())
    expect(informed.get_by_label("Informationen lämnades av")).to_have_value("Maria MAS")
    informed.get_by_role("group", name="Informationen lämnades till").get_by_label(
        "Närstående"
    ).check()
    informed.get_by_label("Namn på närstående").fill("Dottern")
    topics = informed.get_by_role("group", name="Patienten eller närstående har fått veta")
    for topic in (
        "Att en vårdskada har inträffat",
        "Vilka åtgärder vårdgivaren planerar",
        "Hur man lämnar klagomål till vårdgivaren",
        "Möjligheten att vända sig till patientnämnden",
        "Möjligheten att klaga hos IVO",
        # All six (PSL 3 kap. 8 §, DOMAIN.md §3.2 rev. 2).
        "Möjligheten till ersättning (patientförsäkringen, läkemedelsförsäkringen)",
    ):
        topics.get_by_label(topic).check()
    informed.get_by_label("Informationen är antecknad i patientjournalen").check()
    informed.get_by_label("Patientens eller närståendes egen beskrivning av händelsen").fill(
        ACCOUNT
    )
    informed.get_by_role("button", name="Registrera informationen").click()
    saved = page.get_by_role("status").filter(
        has_text="Informationen till patienten är registrerad."
    )
    expect(saved).to_be_visible()
    informed = page.get_by_role("region", name="Information till patienten (PSL 3 kap. 8 §)")
    expect(
        informed.get_by_text("Ingen information till patienten är registrerad än.")
    ).to_have_count(0)
    record = informed.get_by_role("listitem").filter(has_text=ACCOUNT)
    expect(record.get_by_text("Närstående (Dottern)")).to_be_visible()
    expect(record.get_by_text("Maria MAS", exact=True)).to_be_visible()
    expect(record.get_by_text(re.compile("^Att en vårdskada har inträffat"))).to_be_visible()
    expect_status(page, reference, "Under utredning (händelseanalys)")
    screenshot(page, "lm-05-mas-patient-informed")

    step(page, "Slutför utredning").get_by_role("button", name="Slutför utredning").click()
    expect_done(page, reference, "Förslag till beslut")


def decide_and_file(page: Page, reference: str) -> None:
    # The MAS decides lex Maria cases by default: the case waits in her own Att göra.
    open_from_inbox(page, reference, "Förslag till beslut")
    proposal = page.get_by_role("region", name="Utredarens förslag")
    expect(proposal.get_by_text("Allvarlig vårdskada", exact=True)).to_be_visible()
    expect(proposal.get_by_text(GRADE_MOTIVATION)).to_be_visible()
    expect(proposal.get_by_text("4 × 2 = 8 av 16")).to_be_visible()
    screenshot(page, "lm-06-mas-proposal")
    take_decision(page, "Besluta om anmälan till IVO", DECISION_MOTIVATION)
    expect_done(page, reference, "Beslut om anmälan – skickas till IVO")
    decision = page.get_by_role("region", name="Beslut om anmälan", exact=True)
    expect(decision.get_by_text("Anmäls till IVO", exact=True)).to_be_visible()
    expect(decision.get_by_text(re.compile("^Maria MAS"))).to_be_visible()
    expect(decision.get_by_text(DECISION_MOTIVATION)).to_be_visible()

    open_from_inbox(page, reference, "Beslut om anmälan – skickas till IVO")
    filing = step(page, "Registrera anmälan till IVO")
    filing.get_by_label("Datum för anmälan").fill(TODAY.isoformat())
    filing.get_by_role("combobox", name="Hur skickades anmälan?").select_option(
        label="IVO:s e-tjänst"
    )
    filing.get_by_label("IVO:s diarienummer").fill(IVO_NUMBER)
    filing.get_by_role("button", name="Registrera anmälan till IVO").click()
    expect_done(page, reference, "Anmäld till IVO")
    ivo = page.get_by_role("region", name="Anmälan till IVO", exact=True)
    expect(ivo.get_by_text(IVO_NUMBER, exact=True)).to_be_visible()
    expect(ivo.get_by_text(re.compile(r"IVO:s e-tjänst$"))).to_be_visible()
    screenshot(page, "lm-07-mas-filed")


def test_lex_maria_case_from_report_to_filing(new_page) -> None:  # type: ignore[no-untyped-def]
    nurse = new_page(viewport=PHONE)
    log_in(nurse, NURSE)
    reference = report_care_injury(nurse)

    manager = new_page()
    log_in(manager, HEALTH_MANAGER)
    record_measures(manager, reference)

    mas = new_page()
    log_in(mas, MAS)
    analyse(mas, reference)
    decide_and_file(mas, reference)

    nurse.get_by_role("link", name="Mina rapporter").click()
    card = my_report(nurse, reference)
    expect(card.get_by_text("Anmäld till IVO", exact=True)).to_have_text("Anmäld till IVO")
    main = nurse.get_by_role("main")
    for secret in (
        EVENT,
        CAUSES,
        GRADE_MOTIVATION,
        ACCOUNT,
        DECISION_MOTIVATION,
        IVO_NUMBER,
        "Allvarlig vårdskada",
    ):
        expect(main).not_to_contain_text(secret)
    screenshot(nurse, "lm-08-nurse-status-phone")
