"""A deviation in a real browser: reported without harm, assessed by the unit's manager on the risk
matrix, escalated because its category always escalates, and converted by the SAS into a lex Sarah
case that carries the deviation's history. And the assessment refused without a severity."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import Page, expect

from .a11y import assert_accessible
from .conftest import screenshot
from .pages import (
    answer_who_and_harm,
    chosen,
    expect_done,
    expect_status,
    fact,
    first_in_inbox,
    log_in,
    my_report,
    open_from_inbox,
    reference_in,
    step,
)

REPORTER = "medarbetare@exempelby.se"
MANAGER = "enhetschef@exempelby.se"
SAS = "sas@exempelby.se"
SOLGARDEN = "Vård- och omsorgsförvaltningen › Äldreomsorg › Solgårdens särskilda boende"
PHONE = (390, 844)
THEFT = "Stöld/ekonomiska övergrepp"
CONVERTED = "Omvandlad till lex Sarah eller lex Maria"

TODAY = date.today()
REPORT_TEXT = (
    "Fru Svensson saknar 800 kronor ur plånboken i sin garderob. Hon är inte skadad men orolig."
)
CONVERSION = (
    "Pengar som försvinner hos en boende är ett missförhållande som ska utredas enligt lex Sarah."
)


def report_deviation(page: Page) -> str:
    page.get_by_role("link", name="Rapportera händelse").click()
    expect(page.get_by_role("heading", name="Rapportera händelse", level=1)).to_be_visible()
    assert_accessible(page, "report form")
    answer_who_and_harm(
        page, "En person som får omsorg eller stöd", "Nej, ingen skada och ingen allvarlig risk"
    )
    page.get_by_role("combobox", name="Var hände det? (enhet)").select_option(label=SOLGARDEN)
    page.get_by_label("När hände det? (datum)").fill(TODAY.isoformat())
    page.get_by_label("Plats").fill("Avdelning 1, rum 5")
    page.get_by_label("Vad hände?").fill(REPORT_TEXT)
    page.get_by_role("group", name="Person 1").get_by_label("Namn", exact=True).fill(
        "Greta Svensson"
    )
    page.get_by_role("button", name="Skicka rapporten").click()

    thanks = page.get_by_role("status").filter(has_text="Tack! Din rapport är skickad")
    expect(thanks).to_contain_text(re.compile(rf"referensnummer AV-{TODAY.year}-\d{{4}}\."))
    reference = reference_in(thanks, "AV")
    card = my_report(page, reference)
    expect(
        card.get_by_text("Avvikelse – något som inte blev som det skulle", exact=True)
    ).to_be_visible()
    expect(card.get_by_text("Avvikelse rapporterad", exact=True)).to_have_text(
        "Avvikelse rapporterad"
    )
    screenshot(page, "av-01-reporter-confirmation-phone")
    return reference


def assess(page: Page, reference: str) -> None:
    open_from_inbox(page, reference, "Avvikelse rapporterad")
    expect_status(page, reference, "Avvikelse rapporterad")
    expect(page.get_by_text(REPORT_TEXT)).to_be_visible()
    assessment = page.get_by_role("region", name="Bedömning av avvikelsen", exact=True)
    expect(assessment.get_by_text("Avvikelsen är inte bedömd än.", exact=False)).to_be_visible()

    form = step(page, "Bedöm avvikelsen")
    expect(form.get_by_text(f"Kategorin {THEFT} går alltid till SAS eller MAS.")).to_be_visible()
    form.get_by_role("group", name="Verksamhetens lagrum").get_by_label(
        "Socialtjänstlagen (SoL)"
    ).check()
    form.get_by_role("combobox", name="Kategori").select_option(label=THEFT)
    # Below both thresholds: only the category sends it on.
    form.get_by_role("group", name="Allvarlighetsgrad").get_by_label("2 Måttlig").check()
    form.get_by_role("group", name="Sannolikhet för upprepning").get_by_label("2 Liten").check()
    screenshot(page, "av-02-manager-assessment")
    form.get_by_role("button", name="Bedöm avvikelsen").click()
    expect_done(page, reference, "Bedöms av SAS/MAS")

    assessment = page.get_by_role("region", name="Bedömning av avvikelsen", exact=True)
    expect(assessment.get_by_text("Eskalerad till SAS", exact=True)).to_be_visible()
    expect(assessment.get_by_text(f"Kategorin {THEFT} eskaleras alltid.")).to_be_visible()
    expect(assessment.get_by_text("Polisanmälan krävs.")).to_be_visible()
    expect(fact(assessment, THEFT)).to_be_visible()
    expect(fact(assessment, "Socialtjänstlagen (SoL)")).to_be_visible()
    expect(fact(assessment, "2 Måttlig")).to_be_visible()
    expect(fact(assessment, "4 av 16")).to_be_visible()
    matrix = assessment.get_by_role("table", name=re.compile("^Riskmatris för avvikelsen"))
    expect(matrix.get_by_role("cell", name=re.compile("Vald"))).to_have_text(
        re.compile(r"^\s*4\s+Vald")
    )
    screenshot(page, "av-03-manager-escalated")


def convert(page: Page, reference: str) -> str:
    open_from_inbox(page, reference, "Bedöms av SAS/MAS")
    expect_status(page, reference, "Bedöms av SAS/MAS")
    # Theft always becomes lex Sarah: neither lex Maria nor local investigation is offered.
    offered = page.get_by_role("navigation", name="Det här kan du göra i ärendet").get_by_role(
        "link"
    )
    expect(offered).to_have_text(["Gör om till lex Sarah-ärende"])
    expect(step(page, "Gör om till lex Maria-ärende")).to_have_count(0)
    expect(step(page, "Återför till enhetschefen för lokal utredning")).to_have_count(0)
    form = step(page, "Gör om till lex Sarah-ärende")
    form.get_by_label("Motivering").fill(CONVERSION)
    screenshot(page, "av-04-sas-convert")
    form.get_by_role("button", name="Gör om till lex Sarah-ärende").click()
    expect_done(page, reference, CONVERTED)
    expect(step(page, "Gör om till lex Sarah-ärende")).to_have_count(0)

    linked = page.get_by_role("region", name="Kopplade ärenden", exact=True)
    successor = linked.get_by_role("link", name=re.compile(rf"^LS-{TODAY.year}-\d{{4}}$"))
    expect(linked.get_by_role("listitem")).to_contain_text(re.compile(r"Omvandlat till\s+LS-"))
    expect(linked.get_by_role("listitem")).to_contain_text("(Lex Sarah, Rapport inkommen)")
    history = page.get_by_role("region", name="Händelser i ärendet", exact=True)
    expect(history.get_by_text(CONVERSION)).to_be_visible()
    screenshot(page, "av-05-sas-converted")
    new_reference = successor.inner_text()
    successor.click()

    expect(page.get_by_role("heading", name=f"Ärende {new_reference}", level=1)).to_be_visible()
    expect_status(page, new_reference, "Rapport inkommen")
    header = page.get_by_role("region", name=f"Ärende {new_reference}", exact=True)
    expect(header.get_by_text("Lex Sarah", exact=True)).to_be_visible()
    expect(
        page.get_by_role("region", name="Rapporten", exact=True).get_by_text(REPORT_TEXT)
    ).to_be_visible()
    linked = page.get_by_role("region", name="Kopplade ärenden", exact=True)
    expect(linked.get_by_role("listitem")).to_contain_text(
        re.compile(rf"Skapat från\s+{reference}")
    )
    expect(linked.get_by_role("link", name=reference, exact=True)).to_be_visible()
    history = page.get_by_role("region", name="Händelser i ärendet", exact=True)
    expect(history.get_by_text("Skapat från avvikelse", exact=True)).to_be_visible()
    origin = history.get_by_role("region", name=f"Historik från {reference}", exact=True)
    expect(
        origin.get_by_text(re.compile(r"Avvikelse rapporterad → Bedöms av SAS/MAS"))
    ).to_be_visible()
    expect(origin.get_by_text(re.compile(rf"Bedöms av SAS/MAS → {CONVERTED}"))).to_be_visible()
    expect(origin.get_by_text(CONVERSION)).to_be_visible()
    screenshot(page, "av-06-sas-new-lex-sarah-case")
    return new_reference


def test_deviation_escalated_and_converted_into_lex_sarah(new_page) -> None:  # type: ignore[no-untyped-def]
    reporter = new_page(viewport=PHONE)
    log_in(reporter, REPORTER)
    reference = report_deviation(reporter)

    manager = new_page()
    log_in(manager, MANAGER)
    assess(manager, reference)

    sas = new_page()
    log_in(sas, SAS)
    new_reference = convert(sas, reference)

    # The unit's manager now has the lex Sarah case's first step in Att göra.
    open_from_inbox(manager, new_reference, "Rapport inkommen")
    expect(step(manager, "Dokumentera omedelbara åtgärder")).to_be_visible()
    expect_status(manager, new_reference, "Rapport inkommen")

    reporter.get_by_role("link", name="Mina rapporter").click()
    expect(my_report(reporter, reference).get_by_text(CONVERTED, exact=True)).to_have_text(
        CONVERTED
    )
    expect(
        my_report(reporter, new_reference).get_by_text("Rapport inkommen", exact=True)
    ).to_be_visible()
    expect(reporter.get_by_role("main")).not_to_contain_text(CONVERSION)
    screenshot(reporter, "av-07-reporter-both-cases-phone")


def test_assessment_without_severity_is_refused_at_the_field(new_page) -> None:  # type: ignore[no-untyped-def]
    manager = new_page()
    log_in(manager, MANAGER)
    first_in_inbox(manager, "Avvikelse rapporterad")  # the demo data has one
    heading = manager.get_by_role("heading", name=re.compile(r"^Ärende AV-"), level=1)
    reference = heading.inner_text().removeprefix("Ärende ")

    form = step(manager, "Bedöm avvikelsen")
    form.get_by_role("group", name="Verksamhetens lagrum").get_by_label(
        "Socialtjänstlagen (SoL)"
    ).check()
    form.get_by_role("combobox", name="Kategori").select_option(label="Fall")
    form.get_by_role("group", name="Sannolikhet för upprepning").get_by_label("3 Stor").check()
    form.get_by_role("button", name="Bedöm avvikelsen").click()

    expect(manager).to_have_title(re.compile(rf"^Fel: {reference}"))
    expect(manager.get_by_role("alert")).to_contain_text("Gör ett val.")
    form = step(manager, "Bedöm avvikelsen")
    severity = form.get_by_role("group", name="Allvarlighetsgrad")
    expect(severity).to_have_accessible_description(re.compile("Gör ett val."))
    expect(severity.get_by_text("Gör ett val.")).to_be_visible()
    for option in ("1 Mindre", "2 Måttlig", "3 Betydande", "4 Katastrofal"):
        expect(severity.get_by_label(option)).not_to_be_checked()
    expect(chosen(form.get_by_role("combobox", name="Kategori"))).to_have_text("Fall")
    expect(
        form.get_by_role("group", name="Verksamhetens lagrum").get_by_label(
            "Socialtjänstlagen (SoL)"
        )
    ).to_be_checked()
    expect(
        form.get_by_role("group", name="Sannolikhet för upprepning").get_by_label("3 Stor")
    ).to_be_checked()
    expect_status(manager, reference, "Avvikelse rapporterad")
    assessment = manager.get_by_role("region", name="Bedömning av avvikelsen", exact=True)
    expect(assessment.get_by_text("Avvikelsen är inte bedömd än.", exact=False)).to_be_visible()
    screenshot(manager, "av-20-manager-refused-no-severity")
