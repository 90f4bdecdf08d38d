"""A lex Sarah case from report to closure in a real browser, each step taken by the person whose
step it is, in their own browser, through what they see: roles, labels and visible text."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from .a11y import assert_accessible
from .conftest import screenshot
from .pages import (
    a_moment_ago,
    answer_who_and_harm,
    chosen,
    expect_done,
    expect_status,
    fact,
    first_in_inbox,
    log_in,
    my_report,
    open_from_inbox,
    step,
    take_decision,
)

REPORTER = "medarbetare@exempelby.se"
MANAGER = "enhetschef@exempelby.se"
SAS = "sas@exempelby.se"
CHAIR = "ordforande@exempelby.se"
SOLGARDEN = "Vård- och omsorgsförvaltningen › Äldreomsorg › Solgårdens särskilda boende"
PHONE = (390, 844)

TODAY = date.today()
REPORT_TEXT = "Herr Tolvan föll i korridoren när ingen personal fanns på avdelningen under kvällen."
WHAT_HAPPENED = "Tolvan låg på golvet i 40 minuter utan att kunna larma; risk för allvarlig skada."
GRADE_MOTIVATION = "Den enskilde lämnades utan tillsyn och fick vänta länge på hjälp."
ITEM_1_SOURCE = "Samtal med kvällspersonalen"
ACTION_TEXT = "Bemanningen kvällstid ses över så att avdelningen aldrig står utan personal."
EFFECT_TEXT = "Schemat är ändrat och avdelningen har haft personal varje kväll sedan dess."
DECISION_MOTIVATION = "Allvarligt missförhållande enligt utredningen; ska anmälas till IVO."
IVO_NUMBER = "3.5.1-12345/2025"
FEEDBACK = "Tack för din rapport. Händelsen är utredd, anmäld till IVO och bemanningen på kvällen är ändrad."


def report_event(page: Page) -> str:
    page.get_by_role("link", name="Rapportera händelse").click()
    expect(page.get_by_role("heading", name="Rapportera händelse", level=1)).to_be_visible()
    # The plain answers that make the report a lex Sarah case.
    answer_who_and_harm(page, "En person som får omsorg eller stöd", "Ja, någon kom till skada")
    page.get_by_role("combobox", name="Var hände det? (enhet)").select_option(label=SOLGARDEN)
    page.get_by_label("När hände det? (datum)").fill(TODAY.isoformat())
    page.get_by_label("Plats").fill("Korridoren på avdelning 2")
    page.get_by_label("Vad hände?").fill(REPORT_TEXT)
    page.get_by_label("Vad har du redan gjort?").fill("Larmade sjuksköterskan och sa till chefen.")
    person = page.get_by_role("group", name="Person 1")
    person.get_by_label("Namn", exact=True).fill("Tolvan Tolvansson")
    person.get_by_label("Personnummer").fill("19121212-1212")
    screenshot(page, "01-reporter-form-phone")
    page.get_by_role("button", name="Skicka rapporten").click()

    thanks = page.get_by_role("status").filter(has_text="Tack! Din rapport är skickad")
    expect(thanks).to_contain_text(re.compile(rf"referensnummer LS-{TODAY.year}-\d{{4}}\."))
    found = re.search(r"LS-\d{4}-\d{4}", thanks.inner_text())
    assert found is not None
    reference = found.group(0)
    expect(page.get_by_role("heading", name="Mina rapporter", level=1)).to_be_visible()
    card = my_report(page, reference)
    expect(card.get_by_text("Rapport inkommen", exact=True)).to_have_text("Rapport inkommen")
    expect(card.get_by_text(SOLGARDEN)).to_be_visible()
    # Nothing on the phone is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "02-reporter-confirmation-phone")
    return reference


def record_measures(page: Page, reference: str) -> None:
    open_from_inbox(page, reference, "Rapport inkommen")
    expect(page.get_by_text(REPORT_TEXT)).to_be_visible()
    form = step(page, "Dokumentera omedelbara åtgärder")
    form.get_by_label("Vilka åtgärder vidtogs?").fill(
        "Extra personal sattes in på kvällen och Tolvan undersöktes av sjuksköterska."
    )
    form.get_by_label("När vidtogs åtgärderna?").fill(a_moment_ago())
    screenshot(page, "03-manager-measures")
    form.get_by_role("button", name="Dokumentera omedelbara åtgärder").click()
    expect_done(page, reference, "Väntar på utredning")


def investigate(page: Page, reference: str) -> None:
    open_from_inbox(page, reference, "Väntar på utredning")
    start = step(page, "Starta utredning")
    expect(start.get_by_role("combobox", name="Utredare")).to_have_value("")
    start.get_by_role("button", name="Starta utredning").click()
    expect_done(page, reference, "Under utredning")

    inv = page.get_by_role("region", name="Utredning", exact=True)
    inv.get_by_label("1. Vad missförhållandet eller risken bestod i").fill(WHAT_HAPPENED)
    inv.get_by_label("2. När och hur det uppmärksammades").fill(
        "Kvällspersonal hittade honom kl. 19.40."
    )
    inv.get_by_label("3. När det inträffade").fill(f"{TODAY.isoformat()} ca kl. 19.00.")
    inv.get_by_label("Brister i omsorg, stöd eller service").check()
    inv.get_by_label("Omgivning och organisation").check()
    inv.get_by_label("Tidsbrist/arbetsbelastning").check()
    inv.get_by_label("Beskrivning av orsakerna").fill(
        "Schemat lämnade avdelningen utan personal vid rast."
    )
    inv.get_by_label("5. Har liknande hänt tidigare").fill("Nej, inte enligt tidigare rapporter.")
    inv.get_by_role("combobox", name="6. Allvarlighetsgrad").select_option(label="3 Betydande")
    inv.get_by_role("combobox", name="Sannolikhet för upprepning").select_option(label="3 Stor")
    inv.get_by_label("7. Åtgärder som vidtagits och planeras").fill(
        "Ny bemanningsplan för kvällar."
    )
    for question in (
        "Har den enskilde informerats?",
        "Har den enskildes företrädare informerats?",
        "Har den enskilde fått lämna synpunkter?",
        "Är händelsen dokumenterad i personakten?",
    ):
        inv.get_by_role("group", name=question).get_by_label("Ja", exact=True).check()
    # Each item says where its information comes from and whether it is a fact (SOSFS 2011:5).
    item_1 = inv.get_by_role("group", name="Källa och uppgiftens art: 1. Missförhållandet")
    item_1.get_by_label("Källa: varifrån uppgiften kommer").fill(ITEM_1_SOURCE)
    item_1.get_by_label("Faktauppgift").check()
    inv.get_by_role("group", name="Polisanmälan").get_by_label("Behövs inte").check()
    inv.get_by_role("combobox", name="9. Det rapporterade utgjorde (förslag)").select_option(
        label="Allvarligt missförhållande"
    )
    inv.get_by_label("Motivering").fill(GRADE_MOTIVATION)
    inv.get_by_role("button", name="Spara utredningen").click()
    expect(page.get_by_role("status").filter(has_text="Utredningen är sparad.")).to_be_visible()
    expect_status(page, reference, "Under utredning")
    inv = page.get_by_role("region", name="Utredning", exact=True)
    expect(inv.get_by_label("1. Vad missförhållandet eller risken bestod i")).to_have_value(
        WHAT_HAPPENED
    )
    item_1 = inv.get_by_role("group", name="Källa och uppgiftens art: 1. Missförhållandet")
    expect(item_1.get_by_label("Källa: varifrån uppgiften kommer")).to_have_value(ITEM_1_SOURCE)
    expect(item_1.get_by_text(re.compile(r"^Skrivet av "))).to_be_visible()
    expect(
        inv.get_by_text("allvarlighetsgrad 3 (Betydande) × sannolikhet 3 (Stor) = 9 av 16")
    ).to_be_visible()
    screenshot(page, "04-sas-investigation")

    new_action = page.get_by_role("region", name="Lägg till en åtgärd")
    new_action.get_by_label("Åtgärd").fill(ACTION_TEXT)
    new_action.get_by_role("combobox", name="Ansvarig").select_option(
        label="Erik Enhetschef, Enhetschef"
    )
    new_action.get_by_label("Klar senast").fill((TODAY + timedelta(days=30)).isoformat())
    new_action.get_by_role("button", name="Lägg till åtgärden").click()
    expect(page.get_by_role("status").filter(has_text="Åtgärden är tillagd.")).to_be_visible()
    assert_accessible(page, "action added")
    action = (
        page.get_by_role("region", name="Åtgärder", exact=True)
        .get_by_role("listitem")
        .filter(has_text=ACTION_TEXT)
    )
    expect(action.get_by_text("Erik Enhetschef")).to_be_visible()
    expect(fact(action, "Planerad")).to_be_visible()

    step(page, "Slutför utredning").get_by_role("button", name="Slutför utredning").click()
    expect_done(page, reference, "Förslag till beslut")
    screenshot(page, "05-sas-investigation-completed")


def decide(page: Page, reference: str) -> None:
    open_from_inbox(page, reference, "Förslag till beslut")
    proposal = page.get_by_role("region", name="Utredarens förslag")
    expect(proposal.get_by_text("Allvarligt missförhållande", exact=True)).to_be_visible()
    expect(proposal.get_by_text(GRADE_MOTIVATION)).to_be_visible()
    expect(proposal.get_by_text("3 × 3 = 9 av 16")).to_be_visible()
    expect(proposal.get_by_text("Sara SAS")).to_be_visible()
    screenshot(page, "06-chair-proposal")
    take_decision(page, "Besluta om anmälan till IVO", DECISION_MOTIVATION)
    expect_done(page, reference, "Beslut om anmälan – skickas till IVO")
    decision = page.get_by_role("region", name="Beslut om anmälan", exact=True)
    expect(decision.get_by_text("Anmäls till IVO", exact=True)).to_be_visible()
    expect(decision.get_by_text(DECISION_MOTIVATION)).to_be_visible()
    screenshot(page, "07-chair-decided")


def file_and_follow_up(page: Page, reference: str) -> None:
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
    screenshot(page, "08-sas-filed")

    response = step(page, "Registrera IVO:s svar")
    response.get_by_label("Datum för IVO:s svar").fill(TODAY.isoformat())
    response.get_by_role("combobox", name="IVO:s besked").select_option(
        label="Ärendet avslutat – utredningsplikten fullgjord"
    )
    response.get_by_label("Innehåll i svaret").fill("IVO avslutar ärendet utan vidare åtgärd.")
    response.get_by_role("button", name="Registrera IVO:s svar").click()
    expect_done(page, reference, "Uppföljning av åtgärder")
    expect(
        page.get_by_role("region", name="Anmälan till IVO", exact=True).get_by_text(
            "Ärendet avslutat – utredningsplikten fullgjord", exact=True
        )
    ).to_be_visible()

    action = (
        page.get_by_role("region", name="Åtgärder", exact=True)
        .get_by_role("listitem")
        .filter(has_text=ACTION_TEXT)
    )
    action.get_by_text("Uppdatera åtgärden").click()
    action.get_by_role("combobox", name="Status").select_option(label="Genomförd")
    action.get_by_label("Genomförd datum").fill(TODAY.isoformat())
    action.get_by_role("group", name="Ledde åtgärden till önskad effekt?").get_by_label(
        "Ja"
    ).check()
    action.get_by_label("Utvärdering av effekten").fill(EFFECT_TEXT)
    action.get_by_role("button", name="Spara åtgärden").click()
    expect(page.get_by_role("status").filter(has_text="Åtgärden är uppdaterad.")).to_be_visible()
    action = (
        page.get_by_role("region", name="Åtgärder", exact=True)
        .get_by_role("listitem")
        .filter(has_text=ACTION_TEXT)
    )
    expect(fact(action, "Genomförd")).to_be_visible()
    expect(action.get_by_text(f"Utvärdering: {EFFECT_TEXT}")).to_be_visible()
    expect_status(page, reference, "Uppföljning av åtgärder")
    screenshot(page, "09-sas-follow-up")

    # The feedback to the reporter is its own step, recorded before closing (rev. 2).
    given = page.get_by_role("region", name="Återkoppling och avslut")
    given.get_by_label("Datum för återkoppling till den som rapporterade").fill(TODAY.isoformat())
    given.get_by_role("combobox", name="Hur gavs återkopplingen?").select_option(
        label="Direkt till den som rapporterade"
    )
    given.get_by_label(re.compile("^Återkoppling till den som rapporterade")).fill(FEEDBACK)
    given.get_by_role("button", name="Registrera återkopplingen").click()
    expect(
        page.get_by_role("status").filter(
            has_text="Återkopplingen till den som rapporterade är registrerad."
        )
    ).to_be_visible()
    expect(
        page.get_by_role("region", name="Återkoppling och avslut").get_by_text(FEEDBACK)
    ).to_be_visible()
    assert_accessible(page, "feedback recorded")

    close = step(page, "Avsluta ärendet")
    close.get_by_role(
        "combobox", name="Har den enskilde informerats om utredningens resultat?"
    ).select_option(label="Ja, personen eller företrädaren har informerats")
    close.get_by_role("button", name="Avsluta ärendet").click()
    expect_done(page, reference, "Avslutad")
    screenshot(page, "10-sas-closed")


def test_lex_sarah_case_from_report_to_closure(new_page) -> None:  # type: ignore[no-untyped-def]
    reporter = new_page(viewport=PHONE)
    log_in(reporter, REPORTER)
    reference = report_event(reporter)

    manager = new_page()
    log_in(manager, MANAGER)
    record_measures(manager, reference)

    sas = new_page()
    log_in(sas, SAS)
    investigate(sas, reference)

    chair = new_page()
    log_in(chair, CHAIR)
    decide(chair, reference)

    file_and_follow_up(sas, reference)

    reporter.get_by_role("link", name="Mina rapporter").click()
    card = my_report(reporter, reference)
    expect(card.get_by_text("Avslutad", exact=True)).to_have_text("Avslutad")
    feedback = card.get_by_role("heading", name=re.compile("^Återkoppling"))
    expect(feedback).to_be_visible()
    expect(card.get_by_text(FEEDBACK)).to_be_visible()
    main = reporter.get_by_role("main")
    for secret in (
        WHAT_HAPPENED,
        GRADE_MOTIVATION,
        ACTION_TEXT,
        EFFECT_TEXT,
        DECISION_MOTIVATION,
        IVO_NUMBER,
        "Allvarligt missförhållande",
        "Utredning",
    ):
        expect(main).not_to_contain_text(secret)
    screenshot(reporter, "11-reporter-feedback-phone")


def test_refused_steps_show_errors_at_their_fields(new_page) -> None:  # type: ignore[no-untyped-def]
    reporter = new_page(viewport=PHONE)
    log_in(reporter, REPORTER)
    reporter.get_by_role("link", name="Mina rapporter").click()
    sent = reporter.get_by_role("heading", level=2, name=re.compile(r"^LS-\d{4}-\d{4}$"))
    expect(sent.first).to_be_visible()  # the demo data has reports from this reporter
    assert_accessible(reporter, "Mina rapporter")
    reports_before = sent.count()
    reporter.get_by_role("link", name="Rapportera händelse").click()
    expect(reporter.get_by_role("heading", name="Rapportera händelse", level=1)).to_be_visible()
    assert_accessible(reporter, "report form")
    reporter.get_by_role("combobox", name="Var hände det? (enhet)").select_option(label=SOLGARDEN)
    reporter.get_by_label("Vad hände?").fill(REPORT_TEXT)
    person = reporter.get_by_role("group", name="Person 1")
    person.get_by_label("Namn", exact=True).fill("Tolvan Tolvansson")
    person.get_by_label("Personnummer").fill("19121212-1213")
    reporter.get_by_role("button", name="Skicka rapporten").click()

    expect(reporter).to_have_title(re.compile("^Fel: Rapportera händelse"))
    summary = reporter.get_by_role("alert")
    expect(summary).to_contain_text("Personnumret är inte giltigt.")
    number = reporter.get_by_role("group", name="Person 1").get_by_label("Personnummer")
    expect(number).to_have_attribute("aria-invalid", "true")
    expect(number).to_have_accessible_description(
        re.compile(
            "Personnumret är inte giltigt. Skriv ÅÅÅÅMMDD-NNNN och kontrollera sista siffran."
        )
    )
    expect(number).to_have_value("19121212-1213")
    expect(reporter.get_by_label("Vad hände?")).to_have_value(REPORT_TEXT)
    expect(chosen(reporter.get_by_role("combobox", name="Var hände det? (enhet)"))).to_have_text(
        SOLGARDEN
    )
    screenshot(reporter, "20-reporter-refused-personnummer")
    reporter.get_by_role("link", name="Mina rapporter").click()
    expect(sent).to_have_count(reports_before)  # nothing was sent
    assert_accessible(reporter, "Mina rapporter, unchanged")

    chair = new_page()
    log_in(chair, CHAIR)
    first_in_inbox(chair, "Förslag till beslut")
    heading = chair.get_by_role("heading", name=re.compile(r"^Ärende LS-"), level=1)
    reference = heading.inner_text().removeprefix("Ärende ")
    # The one decision form, with the grade chosen and no motivation: refused, the answer and
    # the grade kept, the missing motivation marked at its field.
    decision = take_decision(chair, "Besluta att inte anmäla", "", grade="Missförhållande")

    expect(chair.get_by_role("alert")).to_be_visible()
    expect(decision.get_by_role("radio", name="Besluta att inte anmäla")).to_be_checked()
    motivation = decision.get_by_role("textbox", name=re.compile("^Motivering"))
    expect(motivation).to_have_attribute("aria-invalid", "true")
    expect(motivation).to_have_accessible_description(re.compile("Fältet måste fyllas i."))
    grade = decision.get_by_role(
        "combobox", name="Det rapporterade utgjorde enligt beslutsfattaren"
    )
    expect(chosen(grade)).to_have_text("Missförhållande")
    expect(chair.get_by_role("alert")).to_contain_text("Motivering: Fältet måste fyllas i.")
    expect_status(chair, reference, "Förslag till beslut")
    screenshot(chair, "21-chair-refused-decline")
