"""Messages between the sender without an account and the handler (DOMAIN.md §3.5 rev. 2):
both ways, in the access log, one content-free history row each, the handler told in the inbox
and by a mail without content; and the spam mark, which keeps a case out of lists and counts."""

from __future__ import annotations

import segno
from sqlalchemy import select

from app.cases.queries import case_list
from app.models import AccessLogEntry, CaseEvent, CaseMessage, Notification, OutboxMail, Receipt
from app.public import links
from app.public import operations as ops
from app.statistics.tables import current_cases, in_units, reported_as
from tests.api_client import Api
from tests.factories import case_in
from tests.public.helpers import link_for, open_follow_up, report_form, submit

SENDER_TEXT = "Jag såg också att larmet inte fungerade."
HANDLER_TEXT = "Tack. Vilken tid ungefär var det?"


def _submitted(client, session, world):  # type: ignore[no-untyped-def]
    link = link_for(session, world.solgarden)
    session.commit()
    code, secret = submit(client, link, report_form(world))
    return session.scalar(select(Receipt).where(Receipt.code == code)).case, code, secret


def test_messages_both_ways_logged_on_the_history_and_notified(client, auth, session, world):
    case, code, secret = _submitted(client, session, world)
    # The sender writes.
    open_follow_up(client, code, secret)
    sent = client.post("/foljupp/meddelande", data={"text": SENDER_TEXT})
    assert sent.status_code == 302
    [message] = session.scalars(select(CaseMessage).where(CaseMessage.case_id == case.id)).all()
    assert (message.direction, message.author_id, message.text) == (
        "from_sender",
        None,
        SENDER_TEXT,
    )
    row = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.trigger == "sender_message")
    ).one()
    # The history says a message came, never what it says.
    assert SENDER_TEXT not in str(row.data) + row.comment
    assert row.actor_id is None
    # The SAS, who handles lex Sarah, is told in the inbox and by a mail without the content.
    notice = session.scalars(
        select(Notification).where(
            Notification.case_id == case.id,
            Notification.kind == "sender_message",
            Notification.user_id == world.sas.id,
        )
    ).one()
    mail = session.scalars(
        select(OutboxMail).where(OutboxMail.dedupe_key == notice.dedupe_key)
    ).one()
    assert SENDER_TEXT not in mail.body + mail.subject
    assert case.reference in mail.subject
    # The unit's manager does not handle a lex Sarah case: not told.
    assert not session.scalars(
        select(Notification).where(
            Notification.kind == "sender_message", Notification.user_id == world.manager.id
        )
    ).all()
    # The sender's reads are logged, without a user.
    sender_reads = session.scalars(
        select(AccessLogEntry).where(
            AccessLogEntry.case_id == case.id, AccessLogEntry.user_id.is_(None)
        )
    ).all()
    assert sender_reads == [] or all(r.view.startswith("public.") for r in sender_reads)
    client.get("/foljupp/arende")
    assert session.scalars(
        select(AccessLogEntry).where(
            AccessLogEntry.case_id == case.id,
            AccessLogEntry.user_id.is_(None),
            AccessLogEntry.view == "public.followed",
        )
    ).all()

    # The handler reads on the case page (logged as a read of the messages) and replies.
    client.post("/foljupp/avsluta")
    auth.login("sas@test.se")
    page = client.get(f"/arenden/{case.id}").get_data(as_text=True)
    assert 'id="meddelanden"' in page
    assert SENDER_TEXT in page
    assert session.scalars(
        select(AccessLogEntry).where(
            AccessLogEntry.case_id == case.id,
            AccessLogEntry.user_id == world.sas.id,
            AccessLogEntry.detail == "meddelanden",
        )
    ).all()
    session.refresh(case)
    replied = client.post(
        f"/arenden/{case.id}/meddelanden",
        data={"text": HANDLER_TEXT, "expected_version": str(case.version)},
    )
    assert replied.status_code == 302, replied.get_data(as_text=True)
    reply = session.scalars(
        select(CaseMessage).where(
            CaseMessage.case_id == case.id, CaseMessage.direction == "to_sender"
        )
    ).one()
    assert reply.author_id == world.sas.id
    reply_row = session.scalars(
        select(CaseEvent).where(
            CaseEvent.case_id == case.id, CaseEvent.trigger == "reply_to_sender"
        )
    ).one()
    assert reply_row.actor_id == world.sas.id
    assert HANDLER_TEXT not in str(reply_row.data) + reply_row.comment

    # The sender sees the reply, without the handler's name.
    auth.logout()
    open_follow_up(client, code, secret)
    html = client.get("/foljupp/arende").get_data(as_text=True)
    assert HANDLER_TEXT in html
    assert SENDER_TEXT in html
    assert world.sas.name not in html


def test_only_the_handler_sees_and_writes_the_messages(client, auth, session, world):
    case, code, secret = _submitted(client, session, world)
    ops.post_sender_message(session, case, SENDER_TEXT)
    session.commit()
    # The unit's manager sees the lex Sarah report, not the messages.
    auth.login("manager@test.se")
    page = client.get(f"/arenden/{case.id}").get_data(as_text=True)
    assert SENDER_TEXT not in page
    refused = client.post(f"/arenden/{case.id}/meddelanden", data={"text": "Hej"})
    assert refused.status_code == 403
    assert not session.scalars(
        select(CaseMessage).where(CaseMessage.direction == "to_sender")
    ).all()


def test_an_empty_or_too_long_message_is_refused(client, session, world):
    _case, code, secret = _submitted(client, session, world)
    open_follow_up(client, code, secret)
    assert client.post("/foljupp/meddelande", data={"text": "  "}).status_code == 422
    long = client.post("/foljupp/meddelande", data={"text": "x" * 5001})
    assert long.status_code == 422
    assert "högst 5000 tecken" in long.get_data(as_text=True)


def test_spam_is_kept_but_not_listed_nor_counted(app, client, auth, session, world):
    case, _code, _secret = _submitted(client, session, world)
    staff_case = case_in(session, world, "submitted")
    session.commit()

    def listed() -> set[int]:
        found = case_list(
            session,
            world.sas,
            state=None,
            unit_id=None,
            page=1,
            page_size=100,
            count_limit=1000,
            depth_limit=1000,
        )
        return {c.id for c in found.cases}

    def counted() -> set[int]:
        from app.models import Case

        return set(
            session.scalars(
                select(Case.id).where(current_cases(), in_units(None), reported_as("lex_sarah"))
            )
        )

    assert case.id in listed()
    assert case.id in counted()
    auth.login("sas@test.se")
    session.refresh(case)
    marked = client.post(f"/arenden/{case.id}/skrap", data={"expected_version": str(case.version)})
    assert marked.status_code == 302
    session.refresh(case)
    assert case.spam is True
    assert case.id not in listed()
    assert case.id not in counted()
    assert staff_case.id in listed()
    assert staff_case.id in counted()
    api = Api(app.test_client(), session).get(world.sas, "cases?per_page=100").get_json()
    api_ids = {c["id"] for c in api["items"]}
    assert case.id not in api_ids
    assert staff_case.id in api_ids
    # Kept, on the history, still reachable by its page.
    assert session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.trigger == "mark_spam")
    ).one()
    assert client.get(f"/arenden/{case.id}").status_code == 200
    # A staff member's own report cannot be marked: it did not come through the e-service.
    refused = client.post(f"/arenden/{staff_case.id}/skrap", data={})
    assert refused.status_code == 409
    session.refresh(staff_case)
    assert staff_case.spam is False


def test_the_qr_page_is_segnos_svg_of_the_link(client, auth, session, world):
    link = link_for(session, world.solgarden)
    session.commit()
    auth.login("admin@test.se")
    listing = client.get("/admin/publika-lankar").get_data(as_text=True)
    url = f"http://localhost/lamna/{link.token}"
    assert url in listing
    page = client.get(f"/admin/publika-lankar/{link.id}/qr")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    expected = segno.make(url, error="m").svg_inline(scale=8, border=4, dark="#000", light="#fff")
    assert expected in html
    assert "<svg" in html
    assert "http" not in html.split("<svg", 1)[1].split("</svg>")[0].replace(
        "http://www.w3.org/2000/svg", ""
    )
    assert str(links.qr_svg(url)) == expected


def test_admin_creates_and_rotates_links(client, auth, session, world):
    from app.models import PublicLink

    auth.login("admin@test.se")
    created = client.post("/admin/publika-lankar", data={"unit_id": str(world.linden.id)})
    assert created.status_code == 302
    link = session.scalars(select(PublicLink).where(PublicLink.unit_id == world.linden.id)).one()
    whole = client.post("/admin/publika-lankar", data={"unit_id": "0"})
    assert whole.status_code == 302
    assert session.scalars(select(PublicLink).where(PublicLink.unit_id.is_(None))).all()
    rotated = client.post(f"/admin/publika-lankar/{link.id}/ny-adress")
    assert rotated.status_code == 302
    session.refresh(link)
    assert link.active is False
    # Others may not.
    auth.logout()
    auth.login("sas@test.se")
    assert client.get("/admin/publika-lankar").status_code == 403
