"""Gapless references per case type and year (LS-2026-0007).

The counter row is bumped with an UPDATE inside the submitting transaction: concurrent
submissions queue on its row lock, and a rolled-back submission releases its number.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.models import ReferenceCounter
from app.models.base import utcnow
from app.models.cases import REFERENCE_PREFIX


def next_reference(
    session: Session, case_type: str, year: int | None = None
) -> tuple[str, int, int]:
    year = year or utcnow().year
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(ReferenceCounter)
        .values(case_type=case_type, year=year, last=0)
        .on_conflict_do_nothing()
    )
    seq: int = session.execute(
        update(ReferenceCounter)
        .where(ReferenceCounter.case_type == case_type, ReferenceCounter.year == year)
        .values(last=ReferenceCounter.last + 1)
        .returning(ReferenceCounter.last)
    ).scalar_one()
    return f"{REFERENCE_PREFIX[case_type]}-{year}-{seq:04d}", year, seq
