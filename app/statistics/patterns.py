"""Recurring patterns as a signal, not a list of everything (DOMAIN.md §8 rev. 2): a unit, or for
deviations a unit and category, whose count in the period is clearly above its own recent rate.

The rule is a setting: at least ``statistics.pattern_min_cases`` cases in the period and at least
``statistics.pattern_factor`` times the unit's mean over the periods of the same length before it
(up to three years back, and never before the first report the system holds: a unit's first
period has no rate of its own to be above)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, case, func, null, select
from sqlalchemy.orm import Session

from app.models import Case, Category, DeviationAssessment, Unit
from app.models.settings import get_setting

from .periods import Span
from .tables import Frame, Row, Table, in_units, mask, reported_as, within

LOOKBACK_MONTHS = 36


@dataclass(frozen=True)
class Signal:
    unit_id: int
    unit: str
    category_id: int | None
    category: str | None
    count: int
    mean: float


def _index(column: Any, spans: list[Span]) -> ColumnElement[Any]:
    return case(
        *[(and_(column >= s.start_at, column < s.end_at), i) for i, s in enumerate(spans)],
        else_=None,
    )


def earlier_spans(frame: Frame) -> list[Span]:
    """The periods of the same length before the chosen one that the system has data for."""
    first = frame.first_report
    if first is None:
        return []
    count = LOOKBACK_MONTHS // frame.period.months
    return [s for s in frame.period.preceding(count) if s.end_at > first]


def signals(session: Session, frame: Frame, case_type: str) -> list[Signal]:
    # The queries run even with no earlier period: the page costs the same whatever the data.
    earlier = earlier_spans(frame)
    current = frame.period.span()
    spans = [*earlier, current]
    at_least = int(get_setting(session, "statistics.pattern_min_cases"))
    factor = float(get_setting(session, "statistics.pattern_factor"))
    idx = _index(Case.received_at, spans)
    by_unit: Any = select(idx, Case.unit_id, Unit.name, null(), null())
    groups: list[Any] = [Case.unit_id, Unit.name]
    queries = [(by_unit, groups)]
    if case_type == "deviation":
        queries.append(
            (
                select(idx, Case.unit_id, Unit.name, Category.id, Category.name),
                [Case.unit_id, Unit.name, Category.id, Category.name],
            )
        )
    found = []
    for query, columns in queries:
        query = (
            query.add_columns(func.count(Case.id))
            .join(Unit, Case.unit_id == Unit.id)
            .where(within(Case.received_at, spans), reported_as(case_type), in_units(frame.units))
            .group_by(idx, *columns)
        )
        if len(columns) > 2:
            query = query.join(DeviationAssessment, DeviationAssessment.case_id == Case.id).join(
                Category, DeviationAssessment.category_id == Category.id
            )
        per: dict[tuple[Any, ...], list[int]] = {}
        for i, unit_id, unit, cat_id, cat, n in session.execute(query):
            if i is not None:
                per.setdefault((unit_id, unit, cat_id, cat), [0] * len(spans))[i] += n
        for (unit_id, unit, cat_id, cat), series in per.items():
            if not earlier:
                continue
            now, mean = series[-1], sum(series[:-1]) / len(earlier)
            if now >= at_least and now >= factor * mean:
                found.append(Signal(unit_id, unit, cat_id, cat, now, round(mean, 1)))
    return sorted(found, key=lambda s: (-s.count, s.unit, s.category or ""))


def recurring(session: Session, frame: Frame, case_type: str, title: str) -> Table:
    current = frame.period.span()
    last_day = current.end - timedelta(days=1)
    rows = []
    for s in signals(session, frame, case_type):
        label = s.unit if s.category is None else f"{s.unit} – {s.category}"
        filters = {
            "typ": case_type,
            "enhet": str(s.unit_id),
            "fran": current.start.isoformat(),
            "till": last_day.isoformat(),
        }
        if s.category_id is not None:
            filters["kategori"] = str(s.category_id)
        times = round(s.count / s.mean, 1) if s.mean else None
        rows.append(Row(label, [mask(s.count), s.mean, times], filters))
    return Table(
        f"recurring_{case_type}",
        title,
        [
            _("Antal %(period)s", period=current.label),
            _("Snitt per period tidigare"),
            _("Gånger snittet"),
        ],
        rows,
        kind="pattern",
        masked=True,
        note=_(
            "Enheter (för avvikelser även enhet och kategori) med minst %(n)d ärenden under "
            "perioden och minst %(f)s gånger sitt eget snitt för lika långa perioder före den "
            "(högst tre år bakåt).",
            n=int(get_setting(session, "statistics.pattern_min_cases")),
            f=f"{float(get_setting(session, 'statistics.pattern_factor')):g}".replace(".", ","),
        ),
    )
