"""The report page asks who was affected and whether anyone was harmed with no answer chosen
beforehand; a report left without them is refused at those fields, and the receipt says what the
report became, who is to look at it and by when (issue 14)."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from app.models import Case
from tests.test_ui_reports import _form

INJURED = "Den boende föll ur sängen och blöder från huvudet."


def _cases(session):
    return session.scalar(select(func.count()).select_from(Case))


def test_no_answer_is_chosen_beforehand(client, auth, world):
    auth.login("reporter@test.se")
    html = client.get("/rapportera").get_data(as_text=True)
    for name in ("affected", "harm"):
        radios = re.findall(rf'<input[^>]*name="{name}"[^>]*>', html)
        assert radios
        assert not [r for r in radios if "checked" in r], name


def test_an_injured_resident_reported_with_only_unit_and_text_is_not_a_deviation(
    client, auth, world, session
):
    auth.login("reporter@test.se")
    before = _cases(session)
    response = client.post(
        "/rapportera",
        data={"unit_id": str(world.solgarden.id), "description": INJURED},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="affected-error"' in html
    assert 'id="harm-error"' in html
    assert "Svara på om någon kom till skada" in html
    assert INJURED in html
    assert _cases(session) == before


def test_other_errors_are_shown_with_the_unanswered_questions(client, auth, world):
    auth.login("reporter@test.se")
    response = client.post("/rapportera", data={"description": INJURED})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="affected-error"' in html
    assert 'id="unit_id-error"' in html


def test_don_t_know_is_an_answer(client, auth, world, session):
    auth.login("reporter@test.se")
    response = client.post("/rapportera", data=_form(world, affected="unknown", harm="unknown"))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert re.search(r"Rapporten AV-\d{4}-\d{4} gäller: Avvikelse", page)


def test_the_receipt_says_what_the_report_became_and_what_happens_next(
    client, auth, world, session
):
    auth.login("reporter@test.se")
    response = client.post(
        "/rapportera", data=_form(world, affected="care_recipient", harm="harmed")
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    receipt = page.split('role="status"', 1)[1].split("</", 1)[0]
    found = re.search(r"Rapporten (LS-\d{4}-\d{4}) gäller: [^.]*\(lex Sarah\)\.", receipt)
    assert found is not None, receipt
    assert re.search(
        r"(Enhetschef|\(SAS\)) ska ha tagit ställning till den senast \w+ \d+ \w+ \d{4} kl\. \d\d:\d\d",
        receipt,
    )
    # Mina rapporter says the same next step on the report's card.
    card = page.split(f'<h2 class="card__title">{found.group(1)}</h2>', 1)[1].split("</li>", 1)[0]
    assert "ska ha tagit ställning till den senast" in card
