"""Retention (gallring) reaches what the public intake added: the messages' text goes, and the
receipt with it, so that nothing is left for the code to open."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from app.models import CaseMessage, Receipt
from app.models.base import frozen_now
from app.public import operations as ops
from tests.retention.support import OLD, old_marked_case
from workflows.retention import purge

SECRET_TEXT = "Qxzv det här skrev avsändaren"


def test_a_purge_clears_the_messages_and_removes_the_receipt(session, world):
    case = old_marked_case(session, world, "lex_sarah")
    with frozen_now(OLD):
        issued = ops.issue_receipt(session, case)
        ops.post_sender_message(session, case, SECRET_TEXT)
    session.flush()

    purge(session, datetime.now(UTC), "Test Testsson")
    session.flush()
    session.expire_all()

    [message] = session.scalars(select(CaseMessage).where(CaseMessage.case_id == case.id)).all()
    assert SECRET_TEXT not in message.text
    assert session.scalars(select(Receipt).where(Receipt.case_id == case.id)).all() == []
    assert ops.followed_case(session, issued.code, issued.secret) is None
