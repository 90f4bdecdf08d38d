"""The purge's own entry on a chain: before retention blanks a case's history, it seals what it
blanks (app.models.trail.PurgeSeal), so the verification can tell a real purge from rows
rewritten under the cover of a forged one (app.audit.verify)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Case, CaseEvent, PurgeSeal

from .chain import content_hash

# What a purge empties in a history row (workflows/retention.py, _redact_history).
BLANKED = {"comment": "", "data": {}}


class TamperedHistoryError(RuntimeError):
    """A history row no longer matches its hash: purging it would hide that for good."""


def seal_history(session: Session, case: Case, now: datetime) -> PurgeSeal | None:
    """Adds the seal for the case's history rows not yet blanked; None when there are none."""
    rows = session.scalars(
        select(CaseEvent)
        .where(CaseEvent.case_id == case.id, CaseEvent.redacted_at.is_(None))
        .order_by(CaseEvent.chain_seq)
    ).all()
    sealed: dict[str, list[str]] = {}
    for row in rows:
        content = row.chain_content()
        if content_hash(content) != row.content_hash:
            raise TamperedHistoryError(
                f"{case.reference}: history row {row.chain_seq} does not match its hash; "
                "run `flask audit verify` before purging"
            )
        sealed[str(row.chain_seq)] = [row.content_hash, content_hash({**content, **BLANKED})]
    if not sealed:
        return None
    seal = PurgeSeal(at=now, case_id=case.id, reference=case.reference, rows=sealed)
    session.add(seal)
    return seal
