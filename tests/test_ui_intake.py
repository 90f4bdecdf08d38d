"""One entry for every report: the plain answers propose the case type, the reporter may choose
another, and a report about both laws becomes two linked cases."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from app.models import Case


def _form(world, **overrides):
    data = {
        "unit_id": str(world.solgarden.id),
        "occurred_on": date.today().isoformat(),
        "description": "Något hände på avdelningen.",
        "person_informed": "unknown",
        "persons-0-name": "",
    }
    data.update(overrides)
    return data


def _send(client, world, **answers):
    response = client.post("/rapportera", data=_form(world, **answers))
    assert response.status_code == 302, response.get_data(as_text=True)
    return client.get(response.headers["Location"]).get_data(as_text=True)


def _references(html):
    thanks = re.search(r"Tack! Din rapport är skickad[^<]*", html).group(0)
    # The receipt names each reference again, saying what it became (app/reports/receipt.py).
    return list(dict.fromkeys(re.findall(r"(?:LS|LM|AV)-\d{4}-\d{4}", thanks)))


def test_the_form_asks_the_plain_questions_first(client, auth, world):
    auth.login("reporter@test.se")
    html = client.get("/rapportera").get_data(as_text=True)
    affected, harm, kind = (
        html.index(f'id="{name}"') for name in ("affected", "harm", "report_kind")
    )
    assert affected < harm < kind < html.index('id="medical_device"') < html.index('id="unit_id"')
    assert "Vem berördes?" in html
    assert "Vad gäller rapporten?" in html
    assert '<option selected value="auto">Föreslå utifrån mina svar</option>' in html
    # The reporter needs no legal words: each answer and each kind is said in plain words.
    for plain in (
        "En person som får omsorg eller stöd",
        "En patient i hälso- och sjukvården",
        "Avvikelse – något som inte blev som det skulle",
        "Vårdskada eller risk för vårdskada",
    ):
        assert plain in html


@pytest.mark.parametrize(
    ("affected", "harm", "prefixes"),
    [
        ("care_recipient", "none", ["AV"]),
        ("unknown", "unknown", ["AV"]),
        ("care_recipient", "harmed", ["LS"]),
        ("care_recipient", "risk", ["LS"]),
        ("patient", "harmed", ["LM"]),
        ("patient", "risk", ["LM"]),
        ("both", "harmed", ["LS", "LM"]),
    ],
)
def test_the_answers_propose_the_case_type(client, auth, world, affected, harm, prefixes):
    auth.login("reporter@test.se")
    html = _send(client, world, affected=affected, harm=harm, report_kind="auto")
    assert [r[:2] for r in _references(html)] == prefixes


@pytest.mark.parametrize(
    ("kind", "prefixes"),
    [
        ("deviation", ["AV"]),
        ("lex_sarah", ["LS"]),
        ("lex_maria", ["LM"]),
        ("both", ["LS", "LM"]),
    ],
)
def test_an_explicit_choice_wins_over_the_proposal(client, auth, world, kind, prefixes):
    auth.login("reporter@test.se")
    # The answers alone would make a deviation.
    html = _send(client, world, affected="care_recipient", harm="none", report_kind=kind)
    assert [r[:2] for r in _references(html)] == prefixes


def test_the_proposal_is_shown_without_javascript_and_nothing_is_saved(
    client, auth, world, session
):
    auth.login("reporter@test.se")
    response = client.post(
        "/rapportera",
        data=_form(
            world,
            affected="patient",
            harm="risk",
            report_kind="auto",
            propose="1",
            description="Fel dos av insulin.",
        ),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Förslag utifrån dina svar:" in html
    assert "Vårdskada eller risk för vårdskada (lex Maria)." in html
    # The answers are kept and the choice can still be changed.
    assert '<input checked id="affected-1" name="affected" type="radio" value="patient">' in html
    assert "Fel dos av insulin." in html
    # Focus goes to the choice, so a keyboard user lands where they may change it.
    assert re.search(r'<select [^>]*autofocus="autofocus"[^>]*id="report_kind"', html)
    assert session.scalar(select(Case.id)) is None


def test_a_report_about_both_laws_makes_two_linked_cases(client, auth, world, session):
    auth.login("reporter@test.se")
    html = _send(client, world, affected="both", harm="harmed", report_kind="auto")
    sarah_ref, maria_ref = _references(html)
    assert f"två referensnummer: {sarah_ref} och {maria_ref}" in html
    # Mina rapporter lists both, each said in plain words.
    assert "Missförhållande eller risk i omsorg eller stöd (lex Sarah)" in html
    assert "Vårdskada eller risk för vårdskada (lex Maria)" in html
    session.expire_all()
    sarah = session.scalar(select(Case).where(Case.reference == sarah_ref))
    maria = session.scalar(select(Case).where(Case.reference == maria_ref))
    assert (sarah.related_case_id, maria.related_case_id) == (maria.id, sarah.id)

    auth.logout()
    auth.login("sas@test.se")
    page = client.get(f"/arenden/{sarah.id}").get_data(as_text=True)
    panel = page[
        page.index('id="kopplade"') : page.index("</section>", page.index('id="kopplade"'))
    ]
    assert "Rapporterat tillsammans med" in panel
    # The SAS may not open the lex Maria case: its reference, but no link.
    assert maria_ref in panel
    assert f'href="/arenden/{maria.id}"' not in panel

    auth.logout()
    auth.login("manager@test.se")
    for case, other in ((sarah, maria), (maria, sarah)):
        page = client.get(f"/arenden/{case.id}").get_data(as_text=True)
        panel = page[
            page.index('id="kopplade"') : page.index("</section>", page.index('id="kopplade"'))
        ]
        assert re.search(
            rf'Rapporterat tillsammans med\s*<a href="/arenden/{other.id}">{other.reference}</a>',
            panel,
        )


def test_refused_report_keeps_the_answers(client, auth, world, session):
    auth.login("reporter@test.se")
    response = client.post(
        "/rapportera",
        data=_form(
            world,
            affected="patient",
            harm="harmed",
            report_kind="lex_maria",
            medical_device="y",
            description="",
        ),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="description-error"' in html
    assert re.search(r'<option selected value="lex_maria">', html)
    assert re.search(r'<input checked id="medical_device"', html)
    assert session.scalar(select(Case.id)) is None


def test_medical_device_is_carried_to_the_case(client, auth, world, session):
    auth.login("reporter@test.se")
    html = _send(client, world, affected="patient", harm="harmed", medical_device="y")
    (reference,) = _references(html)
    session.expire_all()
    assert session.scalar(select(Case.medical_device).where(Case.reference == reference)) is True


def test_admin_sees_administration_in_the_menu(client, auth, world):
    auth.login("admin@test.se")
    html = client.get("/").get_data(as_text=True)
    assert '<a href="/admin">Administration</a>' in html
    auth.logout()
    auth.login("sas@test.se")
    assert "Administration" not in client.get("/").get_data(as_text=True)
