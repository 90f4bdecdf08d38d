"""The public intake (DOMAIN.md §3.5 rev. 2): staff without an account report through a unit's
link, named or anonymous; the receipt is shown once; the honeypot keeps robots out silently."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from app.models import Case, CaseEvent, Receipt
from app.public import operations as ops
from tests.public.helpers import SECRET, link_for, report_form, submit


def _new_cases(session, before):  # type: ignore[no-untyped-def]
    return session.scalars(select(Case).where(Case.id > before).order_by(Case.id)).all()


def _last_id(session) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.coalesce(func.max(Case.id), 0)))


def test_the_link_page_needs_no_account_and_an_unknown_token_is_404(client, session, world):
    link = link_for(session, world.solgarden)
    session.commit()
    page = client.get(f"/lamna/{link.token}")
    assert page.status_code == 200
    assert f'href="/lamna/{link.token}/rapport"' in page.get_data(as_text=True)
    form = client.get(f"/lamna/{link.token}/rapport")
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    # The unit's link offers that unit alone, chosen already.
    assert f'<option selected value="{world.solgarden.id}">' in html
    assert str(world.linden.name) not in html
    assert client.get("/lamna/not-a-token").status_code == 404
    assert client.get("/lamna/not-a-token/rapport").status_code == 404


def test_an_anonymous_report_through_a_unit_link(client, session, world):
    link = link_for(session, world.solgarden)
    session.commit()
    before = _last_id(session)
    code, secret = submit(client, link, report_form(world))
    [case] = _new_cases(session, before)
    assert case.case_type == "lex_sarah"
    assert case.reporter_id is None
    assert case.reporter_name == ""
    assert case.unit_id == world.solgarden.id
    receipt = session.scalar(select(Receipt).where(Receipt.case_id == case.id))
    assert receipt.code == code
    # Only the hash is kept; the secret given works with it.
    assert secret not in receipt.secret_hash
    assert ops.followed_case(session, code, secret).id == case.id
    submitted = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)).one()
    assert submitted.trigger == "submit"
    assert submitted.actor_id is None
    assert submitted.actor_name == ops.SENDER_NAME
    # Shown once: the receipt page does not show it again.
    again = client.get("/kvitto")
    assert again.status_code == 302
    assert code not in again.get_data(as_text=True)


def test_a_named_report_keeps_name_role_and_employer_and_the_chosen_secret(client, session, world):
    link = link_for(session, None)
    session.commit()
    before = _last_id(session)
    data = report_form(
        world,
        anonymous="",
        reporter_name="Kim Vikarie",
        reporter_title="Undersköterska",
        reporter_employer="Bemanning AB",
        secret=SECRET,
        affected="patient",
    )
    data.pop("anonymous")
    code, secret = submit(client, link, data)
    assert secret == SECRET
    [case] = _new_cases(session, before)
    assert case.case_type == "lex_maria"
    assert (case.reporter_name, case.reporter_title, case.reporter_employer) == (
        "Kim Vikarie",
        "Undersköterska",
        "Bemanning AB",
    )


def test_a_named_report_needs_the_name_and_keeps_what_was_typed(client, session, world):
    link = link_for(session, world.solgarden)
    session.commit()
    before = _last_id(session)
    data = report_form(world, reporter_title="Undersköterska", description="Något hände")
    data.pop("anonymous")
    response = client.post(
        f"/lamna/{link.token}/rapport",
        data={**data, "attachments": (io.BytesIO(b"hello"), "notes.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Skriv ditt namn, eller välj att vara anonym." in html
    assert "Något hände" in html
    assert 'value="Undersköterska"' in html
    # The file is kept on the server for the next post.
    assert "notes.txt" in html
    assert 'name="kept_file"' in html
    assert _new_cases(session, before) == []


def test_a_short_chosen_secret_is_refused(client, session, world):
    link = link_for(session, world.solgarden)
    session.commit()
    response = client.post(f"/lamna/{link.token}/rapport", data=report_form(world, secret="kort"))
    assert response.status_code == 422
    assert "Lösenordet måste ha minst 12 tecken." in response.get_data(as_text=True)


def test_the_honeypot_accepts_silently_and_keeps_nothing(client, session, world):
    link = link_for(session, world.solgarden)
    session.commit()
    before = _last_id(session)
    receipts = session.scalar(select(func.count(Receipt.id)))
    code, secret = submit(client, link, report_form(world, website="http://spam.example"))
    assert code
    assert secret
    assert _new_cases(session, before) == []
    assert session.scalar(select(func.count(Receipt.id))) == receipts


def test_submissions_are_limited_per_address_and_per_link(app, client, session, world):
    app.config["PUBLIC_SUBMITS_PER_ADDRESS"] = 2
    link = link_for(session, world.solgarden)
    session.commit()
    submit(client, link, report_form(world))
    submit(client, link, report_form(world))
    before = _last_id(session)
    refused = client.post(f"/lamna/{link.token}/rapport", data=report_form(world))
    assert refused.status_code == 429
    assert "för många försök" in refused.get_data(as_text=True)
    assert _new_cases(session, before) == []
    # Per link, from any address.
    app.config["PUBLIC_SUBMITS_PER_ADDRESS"] = 100
    app.config["PUBLIC_SUBMITS_PER_LINK"] = 3
    other = client.post(
        f"/lamna/{link.token}/rapport",
        data=report_form(world),
        environ_base={"REMOTE_ADDR": "10.9.9.9"},
    )
    assert other.status_code == 302
    fourth = client.post(
        f"/lamna/{link.token}/rapport",
        data=report_form(world),
        environ_base={"REMOTE_ADDR": "10.9.9.8"},
    )
    assert fourth.status_code == 429


def test_a_rotated_link_stops_working(client, session, world):
    link = link_for(session, world.solgarden)
    new = ops.rotate_link(session, link)
    session.commit()
    assert client.get(f"/lamna/{link.token}/rapport").status_code == 404
    assert client.get(f"/lamna/{new.token}/rapport").status_code == 200
    assert new.unit_id == world.solgarden.id


def test_receipt_codes_are_unique_typeable_and_not_sequential(session, world):
    codes = {ops.new_code(session) for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == 14
        assert set(code.replace("-", "")) <= set(ops.CODE_ALPHABET)
    assert ops.normal_code(" acde fh3j-k7mn ") == "ACDE-FH3J-K7MN"


def test_the_complaint_path_calls_the_complaint_case_type(client, session, world):
    import pytest

    pytest.importorskip("app.complaints.operations")
    link = link_for(session, world.solgarden)
    session.commit()
    before = _last_id(session)
    response = client.post(
        f"/lamna/{link.token}/synpunkt",
        data={
            "kind": "complaint",
            "unit_id": str(world.solgarden.id),
            "text": "Maten kom kall tre dagar i rad.",
            "sender_role": "relative",
            "sender_name": "Sara Anhörig",
            "sender_contact": "",
            "secret": "",
            "website": "",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    receipt_page = client.get("/kvitto").get_data(as_text=True)
    [case] = _new_cases(session, before)
    assert case.case_type == "complaint"
    assert "receipt__code" in receipt_page
    assert session.scalar(select(Receipt).where(Receipt.case_id == case.id)) is not None


def test_the_language_switch_needs_no_account_and_stays_on_the_site(client, session, world):
    link = link_for(session, world.solgarden)
    session.commit()
    page = f"/lamna/{link.token}/rapport"
    assert 'lang="sv"' in client.get(page).get_data(as_text=True)
    switched = client.post("/sprak", data={"locale": "en", "next": page})
    assert switched.status_code == 302
    assert switched.headers["Location"].endswith(page)
    assert 'lang="en"' in client.get(page).get_data(as_text=True)
    away = client.post("/sprak", data={"locale": "sv", "next": "//evil.example/x"})
    assert away.headers["Location"].endswith("/foljupp")


def test_the_public_pages_load_nothing_and_run_no_script(client, session, world):
    link = link_for(session, None)
    session.commit()
    for path in (f"/lamna/{link.token}", f"/lamna/{link.token}/rapport", "/foljupp"):
        html = client.get(path).get_data(as_text=True)
        assert "<script" not in html
        assert 'src="http' not in html
        assert 'href="http' not in html
    form = client.get(f"/lamna/{link.token}/rapport").get_data(as_text=True)
    # The robots' field is out of sight and out of the tab order.
    assert '<div class="trap" aria-hidden="true">' in form
    assert 'name="website" value="" tabindex="-1"' in form
    # The whole administration's link lets the reporter choose among every unit.
    assert world.linden.name in form


def test_a_report_about_both_laws_opens_two_linked_cases_on_one_receipt(client, session, world):
    link = link_for(session, world.solgarden)
    session.commit()
    before = _last_id(session)
    code, secret = submit(client, link, report_form(world, affected="both"))
    first, second = _new_cases(session, before)
    assert {first.case_type, second.case_type} == {"lex_sarah", "lex_maria"}
    assert first.related_case_id == second.id
    assert ops.followed_case(session, code, secret).id == first.id
    client.post("/foljupp", data={"code": code, "secret": secret})
    html = client.get("/foljupp/arende").get_data(as_text=True)
    assert first.reference in html
    assert second.reference in html
