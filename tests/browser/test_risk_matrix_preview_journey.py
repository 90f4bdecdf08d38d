"""The assess step's risk matrix in a real browser: as the unit's manager chooses severity,
likelihood, legal area and category, the chosen cell is marked and the live line says where the
deviation would go — "Eskaleras till SAS/MAS" or "Utreds lokalt" — by the cell's own outcome,
which the server drew from the escalation rule. Nothing is submitted."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .a11y import assert_accessible
from .conftest import screenshot
from .pages import first_in_inbox, log_in, step

MANAGER = "enhetschef@exempelby.se"
THEFT = "Stöld/ekonomiska övergrepp"


def test_choosing_severity_and_likelihood_updates_the_preview(new_page) -> None:  # type: ignore[no-untyped-def]
    manager = new_page()
    # A script error or a CSP refusal would leave the preview silent; a missing favicon would not.
    problems: list[str] = []
    manager.on("pageerror", lambda error: problems.append(str(error)))
    manager.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    log_in(manager, MANAGER)
    first_in_inbox(manager, "Avvikelse rapporterad")  # the demo data has one

    form = step(manager, "Bedöm avvikelsen")
    legend = form.get_by_text(re.compile(r"^Gränser för eskalering:"))
    limits = re.search(
        r"allvarlighetsgrad (\d) eller högre, eller riskvärde (\d+)", legend.inner_text()
    )
    assert limits is not None
    min_severity, min_score = int(limits.group(1)), int(limits.group(2))
    expect(
        form.get_by_text("Röd ruta, märkt ”Eskaleras”: avvikelsen går till SAS eller MAS.")
    ).to_be_visible()

    preview = form.get_by_role("status")
    expect(preview).to_have_text(
        "Välj allvarlighetsgrad och sannolikhet, så visas här om avvikelsen eskaleras till "
        "SAS/MAS eller utreds lokalt."
    )
    matrix = form.get_by_role("table", name=re.compile("^Riskmatris"))
    expect(matrix.locator("td.risk-cell--chosen")).to_have_count(0)

    form.get_by_role("group", name="Verksamhetens lagrum").get_by_label(
        "Socialtjänstlagen (SoL)"
    ).check()
    form.get_by_role("combobox", name="Kategori").select_option(label="Fall")
    severity = form.get_by_role("group", name="Allvarlighetsgrad")
    likelihood = form.get_by_role("group", name="Sannolikhet för upprepning")

    # Every cell below the severity threshold: what the page says is what the cell says.
    for s, label in ((1, "1 Mindre"), (2, "2 Måttlig")):
        if s >= min_severity:
            continue
        severity.get_by_label(label).check()
        for lk, lk_label in ((1, "1 Mycket liten"), (4, "4 Mycket stor")):
            likelihood.get_by_label(lk_label).check()
            score = s * lk
            if score >= min_score:
                expect(preview).to_have_text(f"Riskvärde {score} av 16: Eskaleras till SAS.")
            else:
                expect(preview).to_have_text(
                    f"Riskvärde {score} av 16: Utreds lokalt av enhetschefen."
                )
            chosen = matrix.locator("td.risk-cell--chosen")
            expect(chosen).to_have_count(1)
            expect(chosen).to_have_text(re.compile(rf"^\s*{score}\s+Vald\s+(Eskaleras|Lokalt)\s*$"))

    severity.get_by_label("4 Katastrofal").check()
    likelihood.get_by_label("1 Mycket liten").check()
    expect(preview).to_have_text("Riskvärde 4 av 16: Eskaleras till SAS.")
    # Health care goes to the MAS.
    form.get_by_role("group", name="Verksamhetens lagrum").get_by_label(
        re.compile(r"Hälso- och sjukvårdslagen")
    ).check()
    expect(preview).to_have_text("Riskvärde 4 av 16: Eskaleras till MAS.")
    screenshot(manager, "risk-matrix-preview-escalates")

    # A category that always escalates does so whatever the cell.
    severity.get_by_label("1 Mindre").check()
    form.get_by_role("combobox", name="Kategori").select_option(label=THEFT)
    expect(preview).to_have_text("Kategorin går alltid vidare: Eskaleras till MAS.")
    assert_accessible(manager, "assess step with the live risk preview")
    assert not problems, problems
