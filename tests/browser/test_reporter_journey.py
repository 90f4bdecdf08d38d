"""The reporter's whole job on a phone: report a near miss with two people and a photo, follow
it in Mina rapporter, and read the feedback once the SAS has closed the case — and nothing of
the investigation behind it."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import Page, expect

from .a11y import assert_accessible
from .conftest import screenshot
from .live import close_with_feedback
from .pages import answer_who_and_harm, log_in, my_report, reference_in

REPORTER = "medarbetare@exempelby.se"
SOLGARDEN = "Vård- och omsorgsförvaltningen › Äldreomsorg › Solgårdens särskilda boende"
PHONE = (390, 844)
TODAY = date.today()
REPORT_TEXT = (
    "Två boende fick varandras mediciner uppställda på brickan i matsalen. Jag såg det innan "
    "de tog dem."
)
FEEDBACK = (
    "Tack för att du såg det och sa till. Brickorna märks nu med namn och foto, och två "
    "personal kontrollerar varje bricka."
)
# A tiny real PNG (1×1 pixel), as a phone's camera roll would hand one over.
PHOTO = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def on_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def report_near_miss(page: Page) -> str:
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Rapportera händelse"
    ).click()
    expect(page.get_by_role("heading", name="Rapportera händelse", level=1)).to_be_visible()
    assert_accessible(page, "report form on a phone")
    on_phone(page)
    answer_who_and_harm(page, "En person som får omsorg eller stöd", "Nej, men det var nära")
    page.get_by_role("combobox", name="Var hände det? (enhet)").select_option(label=SOLGARDEN)
    page.get_by_label("När hände det? (datum)").fill(TODAY.isoformat())
    page.get_by_label("Plats").fill("Matsalen")
    page.get_by_label("Vad hände?").fill(REPORT_TEXT)
    page.get_by_role("group", name="Person 1").get_by_label("Beskrivning").fill("Boende i rum 4")
    # A second person: the page comes back with what was written kept, and Person 2 to fill.
    page.get_by_role("button", name="Lägg till en person till").click()
    second = page.get_by_role("group", name="Person 2")
    expect(second.get_by_label("Namn", exact=True)).to_be_focused()
    assert_accessible(page, "report form with a second person")
    expect(page.get_by_label("Vad hände?")).to_have_value(REPORT_TEXT)
    second.get_by_label("Beskrivning").fill("Boende i rum 6")
    page.get_by_label("Bifoga filer (frivilligt)").set_input_files(
        files=[{"name": "brickan.png", "mimeType": "image/png", "buffer": PHOTO}]
    )
    screenshot(page, "rep-01-form-two-people-phone")
    page.get_by_role("button", name="Skicka rapporten").click()

    thanks = page.get_by_role("status").filter(has_text="Tack! Din rapport är skickad")
    expect(thanks).to_contain_text(re.compile(rf"referensnummer LS-{TODAY.year}-\d{{4}}\."))
    reference = reference_in(thanks, "LS")
    expect(page.get_by_role("heading", name="Mina rapporter", level=1)).to_be_visible()
    card = my_report(page, reference)
    expect(card.get_by_text("Rapport inkommen", exact=True)).to_be_visible()
    expect(card.get_by_text(SOLGARDEN)).to_be_visible()
    expect(card.get_by_role("heading", name=re.compile("^Återkoppling"))).to_have_count(0)
    on_phone(page)
    screenshot(page, "rep-02-mina-rapporter-phone")
    return reference


def test_reporter_follows_a_report_to_its_feedback(new_page, live_app) -> None:  # type: ignore[no-untyped-def]
    page = new_page(viewport=PHONE)
    log_in(page, REPORTER)
    reference = report_near_miss(page)

    close_with_feedback(live_app, reference, FEEDBACK)

    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Mina rapporter"
    ).click()
    card = my_report(page, reference)
    expect(card.get_by_text("Avslutad", exact=True)).to_be_visible()
    expect(card.get_by_role("heading", name=re.compile(r"^Återkoppling"))).to_be_visible()
    expect(card.get_by_text(FEEDBACK)).to_be_visible()
    # The feedback is what the SAS wrote for the reporter; the investigation stays hidden.
    main = page.get_by_role("main")
    for hidden in ("Den boende blev liggande utan hjälp", "Motivering av graden", "Utredning"):
        expect(main).not_to_contain_text(hidden)
    on_phone(page)
    screenshot(page, "rep-03-feedback-phone")
