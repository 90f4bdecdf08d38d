"""A care worker reports an injured resident with only the unit and what happened: the report is
not quietly made a deviation — the form asks the two plain questions, with nothing chosen for
her — and once answered, the receipt says what the report became, who is to look at it and by
when (issue 14)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .a11y import assert_accessible
from .pages import log_in, my_report, reference_in
from .test_reporter_journey import REPORTER, SOLGARDEN

INJURED = "Den boende föll ur sängen i natt och blödde från huvudet."


def test_an_injured_resident_is_not_silently_a_deviation(new_page) -> None:  # type: ignore[no-untyped-def]
    page = new_page()
    log_in(page, REPORTER)
    page.get_by_role("link", name="Rapportera händelse").click()
    expect(page.get_by_role("heading", name="Rapportera händelse", level=1)).to_be_visible()
    assert_accessible(page, "report form")
    affected = page.get_by_role("group", name="Vem berördes?")
    harm = page.get_by_role("group", name="Kom någon till skada")
    expect(affected.get_by_role("radio", checked=True)).to_have_count(0)
    expect(harm.get_by_role("radio", checked=True)).to_have_count(0)

    page.get_by_role("combobox", name="Var hände det? (enhet)").select_option(label=SOLGARDEN)
    page.get_by_label("Vad hände?").fill(INJURED)
    page.get_by_role("button", name="Skicka rapporten").click()

    expect(page).to_have_title(re.compile("^Fel: Rapportera händelse"))
    expect(page.get_by_role("alert")).to_contain_text("Svara på vem som berördes")
    assert_accessible(page, "report refused for unanswered questions")
    expect(harm).to_have_accessible_description(re.compile("Svara på om någon kom till skada"))
    expect(page.get_by_label("Vad hände?")).to_have_value(INJURED)

    affected.get_by_label("En person som får omsorg eller stöd").check()
    harm.get_by_label("Ja, någon kom till skada").check()
    page.get_by_role("button", name="Skicka rapporten").click()

    thanks = page.get_by_role("status").filter(has_text="Tack! Din rapport är skickad")
    expect(thanks).to_contain_text(re.compile(r"gäller: .*\(lex Sarah\)\."))
    expect(thanks).to_contain_text(re.compile(r"ska ha tagit ställning till den senast .+ kl\. "))
    assert_accessible(page, "receipt of the injured resident's report")
    reference = reference_in(thanks, "LS")
    card = my_report(page, reference)
    expect(card.get_by_text(re.compile("ska ha tagit ställning till den senast"))).to_be_visible()
