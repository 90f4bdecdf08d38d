"""Counts for the years before the system was taken into use (DOMAIN.md §8 rev. 2), so that the
comparison over several years works from the first annual report."""

from __future__ import annotations

from sqlalchemy.orm import Session


def imported_totals(
    session: Session, *, case_type: str, years: list[int], unit_ids: set[int] | None
) -> dict[tuple[int, int | None], int]:
    """{(year, unit id): reports of ``case_type`` imported for that year}; unit id None counts
    the whole municipality. ``unit_ids`` None asks for every unit.

    Nothing is imported yet: this is replaced by the import (CSV of counts per year, type and
    unit)."""
    return {}
