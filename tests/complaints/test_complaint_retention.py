"""A closed complaint past its retention period loses the sender's details and every free text
(DOMAIN.md §9), like the other case types."""

from __future__ import annotations

from datetime import UTC, datetime

from app.models.base import frozen_now
from workflows.retention import PLACEHOLDER, due_for_retention, purge

from ..retention.support import OLD
from .helpers import complaint_in


def test_an_old_closed_complaint_is_purged(session, world):
    with frozen_now(OLD):
        case = complaint_in(session, world, "closed")
    now = datetime.now(UTC)
    assert case.id in {d.case.id for d in due_for_retention(session, now)}
    purge(session, now, "test")
    session.expire_all()
    complaint = case.complaint
    assert case.purged_at is not None
    assert case.description == PLACEHOLDER
    assert complaint.sender_contact in ("", PLACEHOLDER)
    assert complaint.sender_name in ("", PLACEHOLDER)
    assert complaint.answer_text == PLACEHOLDER
    assert "Eva" not in complaint.sender_name
    assert "@" not in complaint.sender_contact
