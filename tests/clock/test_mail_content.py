"""Mail leaves the protected system: it may carry the reference, what is required, the due time
and a link — never a name, a personnummer or anything the report or investigation says."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import url_for

from notifications.mails import CASE_PATH, render
from tests.clock.support import (
    LEX_MARIA_INVESTIGATION,
    PATIENT_INFORMATION,
    assessment,
    lex_maria_investigated,
    local,
    mails,
    new_deviation,
    new_lex_maria,
)
from tests.factories import FEEDBACK, case_in, investigation_data, report_data
from workflows.engine import fire
from workflows.lex_maria_records import record_patient_information
from workflows.sweep import sweep


def _forbidden(world) -> list[str]:  # type: ignore[no-untyped-def]
    data = report_data(world.solgarden)
    texts = [
        data["description"],
        data["location"],
        data["reporter_actions"],
        "Anna Andersson",
        "Andersson",
        "19121212-1212",
        "121212-1212",
        "1212121212",
        "191212121212",
        FEEDBACK["feedback_text"],
        PATIENT_INFORMATION["informed_by"] + " ",
        *(v for v in investigation_data().values() if isinstance(v, str) and len(v) > 12),
        *(v for v in LEX_MARIA_INVESTIGATION.values() if isinstance(v, str) and len(v) > 12),
    ]
    texts += [u.name for u in world.users().values()]
    return texts


def test_no_mail_carries_personal_data_or_case_content(session, world):
    cases = [
        case_in(session, world, state)
        for state in (
            "submitted",
            "under_investigation",
            "awaiting_decision",
            "awaiting_filing",
            "closed",
        )
    ]
    maria = new_lex_maria(session, world)
    lex_maria_investigated(session, world, maria)
    record_patient_information(session, maria, world.mas, PATIENT_INFORMATION)
    deviation = new_deviation(session, world)
    fire(session, deviation, world.manager, "assess", assessment(session))
    cases += [maria, deviation]
    for days in (1, 3, 10, 60, 120):
        sweep(session, max(c.received_at for c in cases) + timedelta(days=days))

    outbox = mails(session)
    kinds = {m.dedupe_key.split(":")[0] for m in outbox}
    assert kinds >= {"new_task", "reminder", "overdue", "escalation", "decision_made"}
    forbidden = _forbidden(world)
    references = {c.reference for c in cases} | {
        c.successor_case.reference for c in cases if c.successor_case
    }
    for mail in outbox:
        text = mail.subject + "\n" + mail.body
        for phrase in forbidden:
            assert not re.search(rf"\b{re.escape(phrase.strip())}\b", text, re.IGNORECASE), (
                phrase,
                text,
            )
        # Nothing that looks like a personnummer or a date of birth, only the reference and times.
        assert not re.search(r"\b\d{6,8}[-+]?\d{4}\b", text), text
        assert re.search(r"\b(LS|LM|AV)-\d{4}-\d{4}\b", mail.subject).group(0) in references
        assert "/arenden/" in mail.body


def test_the_link_is_the_case_page(app, session, world):
    case = case_in(session, world, "submitted")
    with app.test_request_context():
        assert url_for("cases.case_page", case_id=case.id) == CASE_PATH.format(case_id=case.id)
    mail = render(
        "reminder",
        reference=case.reference,
        case_id=case.id,
        base_url="https://lexflode.exempelby.se/",
        key="decision",
        due_at=local(2026, 12, 14, 9, 0),
    )
    assert mail.subject == f"Lexflöde: påminnelse om ärende {case.reference}"
    assert "Vad som krävs: Fatta beslut om anmälan till IVO." in mail.body
    assert "Senast: måndag 14 december 2026 kl. 09:00." in mail.body
    assert f"https://lexflode.exempelby.se/arenden/{case.id}" in mail.body
