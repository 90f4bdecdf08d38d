"""Done when (issue 4): walking a lex Sarah case with `flask deadlines sweep --now …` at chosen
times produces the reminders, overdue marks and escalations of DOMAIN.md §4 — in the responsible
people's Att göra, in a real mail server's inbox (with no personal data), and on the case page."""

from __future__ import annotations

import re

import pytest

from tests.clock.smtp import MailServer
from tests.clock.support import Clock, local, mails
from tests.clock.test_mail_content import _forbidden
from tests.factories import MEASURES, new_case

BASE = "https://lexflode.exempelby.se"


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, local(2026, 12, 7, 9, 0))


@pytest.fixture
def server(app):
    server = MailServer().start()
    app.config.update(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=server.port,
        MAIL_FROM="lexflode@exempelby.se",
        BASE_URL=BASE,
    )
    yield server
    server.stop()


def sweep_at(app, clock, when: str) -> str:  # type: ignore[no-untyped-def]
    hour = re.match(r"(\d+)-(\d+)-(\d+)T(\d+):(\d+)", when)
    assert hour is not None
    clock.set(local(*(int(g) for g in hour.groups())))
    result = app.test_cli_runner().invoke(args=["deadlines", "sweep", "--now", when])
    assert result.exit_code == 0, result.output
    return result.output


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


class Person:
    def __init__(self, client, auth, email: str) -> None:  # type: ignore[no-untyped-def]
        self.client, self.auth, self.email = client, auth, email

    def get(self, path: str) -> str:
        self.auth.login(self.email)
        response = self.client.get(path)
        assert response.status_code == 200
        self.auth.logout()
        return response.get_data(as_text=True)

    def notices(self) -> str:
        html = self.get("/")
        return text_of(html[html.index('id="notiser"') : html.index("</main>")])

    def post(self, path: str, data: dict) -> int:  # type: ignore[type-arg]
        self.auth.login(self.email)
        status = self.client.post(path, data=data).status_code
        self.auth.logout()
        return status


def received(server, to: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m["Subject"]) for m in server.received if str(m["To"]) == to]


def test_a_lex_sarah_case_walked_by_the_sweep_command(
    app, client, auth, session, world, clock, server
):
    case = new_case(session, world)
    session.flush()
    ref = case.reference
    manager = Person(client, auth, "manager@test.se")
    area_manager = Person(client, auth, "area.manager@test.se")
    sas = Person(client, auth, "sas@test.se")

    # Monday 21:00: halfway through the 24 hours of immediate measures, the manager is reminded.
    out = sweep_at(app, clock, "2026-12-07T21:00")
    assert f"{ref} immediate_measures: reminder_1" in out
    assert "E-post: skickade: 3, misslyckade: 0" in out  # two new tasks and the reminder
    assert (
        "Oläst: Påminnelse – "
        + ref
        + " Omedelbara åtgärder – senast tisdag 8 december 2026 kl. 09:00"
        in manager.notices()
    )
    assert received(server, "manager@test.se") == [
        f"Lexflöde: ny uppgift i ärende {ref}",
        f"Lexflöde: påminnelse om ärende {ref}",
    ]
    page = text_of(manager.get(f"/arenden/{case.id}"))
    assert "Omedelbara åtgärder Öppen – 12 timmar kvar" in page
    assert "Ärendet är försenat" not in page

    # Tuesday 09:00: the 24 hours have passed — overdue for the manager, escalated to the manager
    # of the unit above; the SAS is reminded of the investigation's start.
    out = sweep_at(app, clock, "2026-12-08T09:00")
    assert f"{ref} immediate_measures: overdue" in out
    assert f"{ref} immediate_measures: escalation_1" in out
    assert f"{ref} investigation_start: reminder_1" in out
    assert "Oläst: Tidsfristen har passerats – " + ref in manager.notices()
    assert "Oläst: Eskalering – " + ref + " Omedelbara åtgärder" in area_manager.notices()
    assert "Oläst: Påminnelse – " + ref + " Utredningen påbörjas" in sas.notices()
    assert f"Lexflöde: tidsfristen har passerats i ärende {ref}" in received(
        server, "manager@test.se"
    )
    assert received(server, "area.manager@test.se") == [
        f"Lexflöde: eskalering (första nivån) av ärende {ref}"
    ]
    clock.set(local(2026, 12, 8, 10, 0))
    page = text_of(sas.get(f"/arenden/{case.id}"))
    assert "Ärendet är försenat: 1 tidsfrist har passerats (Omedelbara åtgärder)." in page
    assert "Omedelbara åtgärder ⚠ Eskalerad (nivå 1) – försenad 1 timme" in page
    assert "Utredningen påbörjas Öppen – 1 arbetsdag kvar" in page

    # The same time again: nothing new, nothing sent twice.
    assert sweep_at(app, clock, "2026-12-08T09:00").startswith("0 händelser")

    # The manager records the measures, late: the deadline is met, and stays marked as late.
    clock.set(local(2026, 12, 8, 10, 0))
    assert manager.post(f"/arenden/{case.id}/steg/record_immediate_measures", MEASURES) == 302
    page = text_of(sas.get(f"/arenden/{case.id}"))
    assert (
        "Omedelbara åtgärder Uppfylld Senast tisdag 8 december 2026 kl. 09:00 Uppfylld tisdag 8 december 2026 kl. 10:00 (efter tidsfristen)"
        in page
    )
    assert "Ärendet är försenat" not in page

    # Thursday 09:00: no second escalation of met measures; the investigation has not started
    # (due Wednesday 09:00) — overdue for the SAS, and escalated to the head of administration,
    # whom nobody fills here, so to the SAS.
    out = sweep_at(app, clock, "2026-12-10T09:00")
    assert "immediate_measures" not in out
    assert f"{ref} investigation_start: overdue" in out
    assert f"{ref} investigation_start: escalation_1" in out
    notices = sas.notices()
    assert "Oläst: Tidsfristen har passerats – " + ref + " Utredningen påbörjas" in notices
    assert "Oläst: Eskalering – " + ref + " Utredningen påbörjas" in notices
    page = text_of(sas.get(f"/arenden/{case.id}"))
    assert (
        "Utredningen påbörjas ⚠ Eskalerad (nivå 1) – försenad 1 dag" not in page
    )  # 24 h: in hours
    assert "Utredningen påbörjas ⚠ Eskalerad (nivå 1) – försenad 24 timmar" in page

    # Every mail reached the server once, and none carries a name, a personnummer or case text.
    session.expire_all()
    outbox = mails(session)
    assert {m.status for m in outbox} == {"sent"}
    assert len(server.received) == len(outbox) == len(set(server.message_ids()))
    forbidden = [p.strip() for p in _forbidden(world)]
    for message in server.received:
        body = message.get_content()
        assert ref in str(message["Subject"])
        assert f"{BASE}/arenden/{case.id}" in body
        for phrase in forbidden:
            assert not re.search(
                rf"\b{re.escape(phrase)}\b", str(message["Subject"]) + "\n" + body, re.IGNORECASE
            ), phrase
