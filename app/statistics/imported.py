"""Counts imported for the years before the system was taken into use (DOMAIN.md §8 rev. 2),
read back for the statistics tables beside the counted cases."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Case, ImportedCount

from .periods import Period
from .tables import bucket, within


def first_imported_year(session: Session) -> int | None:
    """The oldest year counts were imported for: the comparison reaches back to it."""
    return session.scalar(select(func.min(ImportedCount.year)))


def years_with_cases(session: Session, case_type: str, years: list[int]) -> set[int]:
    """The years (Swedish calendar years) holding at least one case of the type, in any unit;
    a case that later changed type still shows the year was recorded in the system."""
    spans = [Period("year", year).span() for year in years]
    y = bucket(Case.received_at, spans)
    rows = session.scalars(
        select(y).where(Case.case_type == case_type, within(Case.received_at, spans)).group_by(y)
    )
    return {int(year) for year in rows if year is not None}


def imported_totals(
    session: Session, *, case_type: str, years: list[int], unit_ids: set[int] | None
) -> dict[tuple[int, int | None], int]:
    """{(year, unit_id): count} imported for ``case_type``; unit_id None is a count for the whole
    municipality that names no unit.

    The rule against counting twice: an imported count applies only to a year in which the
    system holds no case of that type at all (any unit, any state). From the first case of a
    type in a year, that year's figures are the system's own and whatever was imported for it
    is left out, even for units with no case of their own that year.

    ``unit_ids`` limits the counts to those units (a manager's own): a count for the whole
    municipality then belongs to no unit shown and is left out. None means every row.
    """
    if not years:
        return {}
    counted = years_with_cases(session, case_type, years)
    # The same queries whatever the data holds (tests/performance/test_query_counts.py): an
    # empty list asks for nothing but still asks.
    wanted = [y for y in years if y not in counted]
    query = select(ImportedCount.year, ImportedCount.unit_id, ImportedCount.count).where(
        ImportedCount.case_type == case_type, ImportedCount.year.in_(wanted)
    )
    if unit_ids is not None:
        query = query.where(ImportedCount.unit_id.in_(unit_ids))
    totals: dict[tuple[int, int | None], int] = {}
    for year, unit_id, count in session.execute(query):
        totals[(year, unit_id)] = totals.get((year, unit_id), 0) + count
    return totals
