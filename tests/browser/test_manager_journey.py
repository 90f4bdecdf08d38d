"""The unit manager between meetings, on a tablet: finds two new reports from the unit in Att
göra, records the immediate measures on the lex Sarah case, and assesses the deviation on the
risk matrix low enough that the unit investigates it itself. (The deviation that escalates to
the SAS is test_deviation_journey's.)"""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from .conftest import screenshot
from .live import operations, report
from .pages import a_moment_ago, expect_done, fact, log_in, open_from_inbox, step

MANAGER = "enhetschef@exempelby.se"
TABLET = (820, 1180)
TODAY = date.today()
MEASURES = "Nattpersonalen går en extra tillsynsrunda kl. 02 tills larmet är lagat."
LOCAL = "Utreds lokalt"


def test_manager_records_measures_and_assesses_a_deviation(new_page, live_app) -> None:  # type: ignore[no-untyped-def]
    with operations(live_app) as session:
        lex_sarah = report(
            session, "En boende kunde inte larma under natten eftersom larmknappen var trasig."
        ).reference
        deviation = report(
            session,
            "En boende halkade på en våt golvfläck i korridoren men kunde resa sig själv.",
            harm="none",
        ).reference

    manager = new_page(viewport=TABLET)
    log_in(manager, MANAGER)
    open_from_inbox(manager, lex_sarah, "Rapport inkommen")
    form = step(manager, "Dokumentera omedelbara åtgärder")
    form.get_by_label("Vilka åtgärder vidtogs?").fill(MEASURES)
    form.get_by_label("När vidtogs åtgärderna?").fill(a_moment_ago())
    screenshot(manager, "mgr-01-measures")
    form.get_by_role("button", name="Dokumentera omedelbara åtgärder").click()
    expect_done(manager, lex_sarah, "Väntar på utredning")
    measures = manager.get_by_role("region", name="Omedelbara åtgärder", exact=True)
    expect(measures.get_by_text(MEASURES)).to_be_visible()

    open_from_inbox(manager, deviation, "Avvikelse rapporterad")
    form = step(manager, "Bedöm avvikelsen")
    form.get_by_role("group", name="Verksamhetens lagrum").get_by_label(
        "Socialtjänstlagen (SoL)"
    ).check()
    form.get_by_role("combobox", name="Kategori").select_option(label="Fall")
    form.get_by_role("group", name="Allvarlighetsgrad").get_by_label("2 Måttlig").check()
    form.get_by_role("group", name="Sannolikhet för upprepning").get_by_label(
        "1 Mycket liten"
    ).check()
    screenshot(manager, "mgr-02-assessment")
    form.get_by_role("button", name="Bedöm avvikelsen").click()
    expect_done(manager, deviation, LOCAL)

    assessment = manager.get_by_role("region", name="Bedömning av avvikelsen", exact=True)
    expect(assessment.get_by_text("Under gränserna för eskalering")).to_be_visible()
    expect(fact(assessment, "2 av 16")).to_be_visible()
    matrix = assessment.get_by_role("table", name=re.compile("^Riskmatris för avvikelsen"))
    chosen = matrix.get_by_role("cell", name=re.compile("Vald"))
    expect(chosen).to_have_count(1)
    expect(chosen).to_have_text(re.compile(r"^\s*2\s+Vald\s+Lokalt\s*$"))
    # The chosen cell is in the row for severity 2 and the column for likelihood 1.
    row = matrix.get_by_role("row").filter(
        has=manager.get_by_role("rowheader", name=re.compile("^Allvarlighetsgrad 2"))
    )
    expect(row.get_by_role("cell").first).to_have_text(re.compile(r"^\s*2\s+Vald"))
    screenshot(manager, "mgr-03-assessed-locally")

    # Back in Att göra, the deviation waits for the unit's own investigation.
    open_from_inbox(manager, deviation, LOCAL)
