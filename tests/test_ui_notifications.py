"""Notiser in Att göra: written by the sweep, marked read one by one or all at once, counted in
the menu, and never carrying more of a case than its reference and what is required."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.models import Notification
from tests.clock.support import Clock, local
from tests.factories import new_case, report_data
from workflows.sweep import sweep


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, local(2026, 12, 7, 9, 0))


def notices_section(html):  # type: ignore[no-untyped-def]
    return html[html.index('id="notiser"') : html.index("</main>")]


def mine(session, user):  # type: ignore[no-untyped-def]
    session.expire_all()
    return list(
        session.scalars(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    )


def test_notifications_appear_after_a_sweep_and_are_counted_in_their_heading(
    client, auth, world, session, clock
):
    case = new_case(session, world)
    sweep(
        session, local(2026, 12, 8, 9, 0)
    )  # reminder passed, overdue; escalated to the area manager
    session.flush()
    auth.login("manager@test.se")
    html = client.get("/").get_data(as_text=True)
    section = notices_section(html)
    kinds = re.findall(
        r"<strong>(Ny uppgift|Påminnelse|Tidsfristen har passerats|Eskalering)</strong>", section
    )
    # The reminder was overtaken by the due time before any sweep ran: journalled, not sent.
    assert sorted(kinds) == ["Ny uppgift", "Tidsfristen har passerats"]
    assert section.count("Oläst:") == 2
    assert f'<a href="/arenden/{case.id}">{case.reference}</a>' in section
    assert "Omedelbara åtgärder" in section
    assert "tisdag 8 december 2026 kl. 09:00" in section
    assert "(2 olästa)" in html
    # The menu counts the cases Att göra lists (tests/test_ui_inbox_count.py), not notifications.
    assert re.search(
        r"Att göra <span class=\"nav-count\">\(1<span class=\"visually-hidden\"> ärende där du ska göra något</span>\)</span>",
        html,
    )
    # Nothing of the case but its reference and what is required.
    data = report_data(world.solgarden)
    for text in (
        data["description"],
        data["location"],
        "Anna Andersson",
        "19121212-1212",
        world.reporter.name,
    ):
        assert text not in section
    auth.logout()

    auth.login("area.manager@test.se")
    section = notices_section(client.get("/").get_data(as_text=True))
    assert "<strong>Eskalering</strong>" in section
    assert case.reference in section


def test_mark_one_read_then_all(client, auth, world, session, clock):
    new_case(session, world)
    new_case(session, world)
    sweep(session, local(2026, 12, 7, 21, 0))  # two reminders
    session.flush()
    first, *rest = mine(session, world.manager)
    assert len(rest) == 3
    others = mine(session, world.sas)
    auth.login("manager@test.se")

    response = client.post(f"/notiser/{first.id}/last")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/#notiser")
    rows = mine(session, world.manager)
    assert [n.read_at is not None for n in rows] == [True, False, False, False]
    html = client.get("/").get_data(as_text=True)
    assert "Notisen är markerad som läst." in html
    assert "(3 olästa)" in html
    assert notices_section(html).count("Markera som läst") == 3

    # Someone else's notification is not mine to mark.
    client.post(f"/notiser/{others[0].id}/last")
    assert all(n.read_at is None for n in mine(session, world.sas))

    client.post("/notiser/lasta")
    assert all(n.read_at is not None for n in mine(session, world.manager))
    html = client.get("/").get_data(as_text=True)
    assert "3 notiser är markerade som lästa." in html
    assert "(0 olästa)" in html
    assert "Markera alla som lästa" not in html
    assert "Oläst:" not in html
    # Read ones stay in the list.
    assert notices_section(html).count("Läst ") == 4
    assert all(n.read_at is None for n in mine(session, world.sas))


def test_marking_read_needs_a_login(client, world, session, clock):
    new_case(session, world)
    session.flush()
    [notice, *_] = mine(session, world.manager)
    response = client.post(f"/notiser/{notice.id}/last")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert mine(session, world.manager)[0].read_at is None
