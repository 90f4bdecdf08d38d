"""What every statistics table is made of, and the few helpers the counting modules share.

A ``Table`` is generic on purpose: a title, column headers, rows of a label and values, and a
stable ``key`` by which the page, the CSV, the PDF, the spreadsheet and the API find it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, or_, select

from app.models import Case, Complaint, complaint_units
from workflows import visibility

from .periods import Period, Span

MASK_BELOW = 5
MASKED = "< 5"


@dataclass
class Row:
    label: str
    values: list[Any]
    # The case list's query arguments for the cases behind this row (a recurring pattern); the
    # page links them only for a user whose list may hold such cases.
    filters: dict[str, str] | None = None


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[Row]
    # "count" (a chart is drawn), "days", "percent", "compliance" or "cross".
    kind: str = "count"
    note: str = ""
    masked: bool = False
    # The heading over the row labels, where the kind's default does not name them.
    row_header: str = ""


@dataclass
class Statistics:
    year: int
    years: list[int]
    tables: list[Table] = field(default_factory=list)
    period: Period | None = None
    # None: the whole municipality; else the units (and sub-units) a manager answers for.
    units: set[int] | None = None

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    @property
    def period_label(self) -> str:
        return self.period.label() if self.period else str(self.year)


@dataclass(frozen=True)
class Frame:
    """What every count is restricted to: the periods compared (oldest first) and the units."""

    period: Period
    spans: list[Span]
    units: set[int] | None
    now: datetime
    # The first report the system holds (of any unit): no rate before it.
    first_report: datetime | None = None

    @property
    def years(self) -> list[int]:
        return [s.year for s in self.spans]

    @property
    def columns(self) -> list[str]:
        return [s.label for s in self.spans]

    @property
    def current(self) -> Span:
        return self.spans[-1]


def _bounds(column: Any, span: Span) -> tuple[Any, Any]:
    if column.type.python_type is date:
        return span.start, span.end
    return span.start_at, span.end_at


def bucket(column: Any, spans: list[Span]) -> ColumnElement[Any]:
    """The year of the span a timestamp or date falls in, or NULL outside them all."""
    whens = []
    for span in spans:
        lo, hi = _bounds(column, span)
        whens.append((and_(column >= lo, column < hi), span.year))
    return case(*whens, else_=None)


def within(column: Any, spans: list[Span]) -> ColumnElement[bool]:
    clauses = []
    for span in spans:
        lo, hi = _bounds(column, span)
        clauses.append(and_(column >= lo, column < hi))
    return or_(*clauses)


def in_units(units: set[int] | None) -> ColumnElement[bool]:
    """A manager's statistics count only their units' cases (DOMAIN.md §8 rev. 2). A complaint
    may concern several units: it is theirs if it concerns one of them. Nobody's count a case
    marked as spam."""
    if units is None:
        return not_spam()
    return and_(
        not_spam(),
        or_(
            Case.unit_id.in_(units),
            exists().where(
                complaint_units.c.case_id == Case.id, complaint_units.c.unit_id.in_(units)
            ),
        ),
    )


def not_spam() -> ColumnElement[bool]:
    """A case marked as spam (a public submission, or a complaint, whose mark is also the
    case's) is kept but never counted (DOMAIN.md §3.5 rev. 2)."""
    return and_(
        visibility.not_spam(),
        Case.id.not_in(select(Complaint.case_id).where(Complaint.spam_at.is_not(None))),
    )


def mask(value: int) -> int | str:
    """Small counts per unit could point out a person (DOMAIN.md §8)."""
    return MASKED if 0 < value < MASK_BELOW else value


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def counted(rows: Iterable[Any]) -> dict[tuple[Any, int], int]:
    """{(key, year): count} from rows of (year, key, count)."""
    return {(key, year): count for year, key, count in rows if year is not None}


def table_of(
    key: str,
    title: str,
    frame: Frame,
    labels: list[tuple[Any, str]],
    counts: dict[tuple[Any, int], int],
    *,
    masked: bool = False,
    note: str = "",
) -> Table:
    rows = []
    for k, label in labels:
        values = [counts.get((k, y), 0) for y in frame.years]
        rows.append(Row(label, [mask(v) for v in values] if masked else values))
    return Table(key, title, frame.columns, rows, masked=masked, note=note)


def labels_of(mapping: dict[Any, Any], seen: Iterable[Any] = ()) -> list[tuple[Any, str]]:
    """Every known value in its order, then any stored value the labels do not know."""
    extra = sorted({k for k in seen if k not in mapping and k is not None}, key=str)
    return [(k, str(v)) for k, v in mapping.items()] + [(k, str(k)) for k in extra]


def current_cases() -> ColumnElement[bool]:
    """Cases that still stand: one that changed type lives on as its successor."""
    return and_(Case.successor_case_id.is_(None), not_spam())


def reported_as(case_type: str) -> ColumnElement[bool]:
    """The reports of one type. A deviation made into a lex Sarah or lex Maria case stays a
    reported deviation (the new case is counted as converted, beside those reported directly);
    a case reclassified to another type counts only as what it became."""
    return and_(
        Case.case_type == case_type,
        or_(Case.successor_case_id.is_(None), Case.state == "converted"),
        not_spam(),
    )
