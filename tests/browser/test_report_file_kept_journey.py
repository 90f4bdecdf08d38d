"""A reporter attaches a photo, forgets to say what happened and sends: the form comes back with
the error at its field and the photo still attached ("bifogad"), and the corrected report carries
it to the case (issue 14)."""

from __future__ import annotations

import re
from datetime import date

from flask import Flask
from playwright.sync_api import expect

from .a11y import assert_accessible
from .live import case_by_reference, operations
from .pages import answer_who_and_harm, log_in, reference_in
from .test_reporter_journey import PHOTO, REPORTER, SOLGARDEN

TODAY = date.today()


def test_an_attached_file_survives_a_validation_error(new_page, live_app: Flask) -> None:  # type: ignore[no-untyped-def]
    page = new_page()
    log_in(page, REPORTER)
    page.get_by_role("link", name="Rapportera händelse").click()
    expect(page.get_by_role("heading", name="Rapportera händelse", level=1)).to_be_visible()
    assert_accessible(page, "report form")
    answer_who_and_harm(page, "En person som får omsorg eller stöd", "Nej, men det var nära")
    page.get_by_role("combobox", name="Var hände det? (enhet)").select_option(label=SOLGARDEN)
    page.get_by_label("När hände det? (datum)").fill(TODAY.isoformat())
    page.get_by_label("Bifoga filer (frivilligt)").set_input_files(
        files=[{"name": "brickan.png", "mimeType": "image/png", "buffer": PHOTO}]
    )
    # "Vad hände?" left empty.
    page.get_by_role("button", name="Skicka rapporten").click()

    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page, "report refused with a file kept")
    expect(page.get_by_label("Vad hände?")).to_have_accessible_description(re.compile("Fel:"))
    kept = page.get_by_role("list", name="Bifogade filer")
    expect(kept.get_by_text("bifogad: brickan.png")).to_be_visible()
    expect(kept.get_by_role("button", name="Ta bort brickan.png")).to_be_visible()

    page.get_by_label("Vad hände?").fill("Två boende fick varandras mediciner på brickan.")
    page.get_by_role("button", name="Skicka rapporten").click()
    thanks = page.get_by_role("status").filter(has_text="Tack! Din rapport är skickad")
    expect(thanks).to_be_visible()
    assert_accessible(page, "report sent after correction")
    reference = reference_in(thanks, "LS")
    with operations(live_app) as session:
        case = case_by_reference(session, reference)
        assert [a.filename for a in case.attachments] == ["brickan.png"]
