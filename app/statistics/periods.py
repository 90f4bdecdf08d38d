"""The periods the statistics count over: a calendar year (the default), a tertial, a quarter or a
month (DOMAIN.md §8 rev. 2, seed 001: "analys … varje tertiäl", "kvartalsvis").

A period is Swedish: its bounds are midnight in Europe/Stockholm, so a report at 23:30 on 31
December belongs to that year even though it is stored as UTC. The tables compare the same period
(the same tertial, quarter or month) across the years, oldest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask_babel import gettext as _

from workflows.workdays import STOCKHOLM

# Months per period of each kind; a year is one period of twelve.
KINDS = {"year": 12, "tertial": 4, "quarter": 3, "month": 1}
# However old the data, a table compares at most this many years (the page must stay readable).
MOST_YEARS = 10
# The law's comparison: the year and the two before, even before the data reaches that far back.
LEAST_YEARS = 3


@dataclass(frozen=True)
class Span:
    """One column of a table: a period of one year, from ``start`` up to (not including) ``end``."""

    year: int
    start: date
    end: date
    label: str

    @property
    def start_at(self) -> datetime:
        return local_midnight(self.start)

    @property
    def end_at(self) -> datetime:
        return local_midnight(self.end)


@dataclass(frozen=True)
class Period:
    kind: str = "year"
    year: int = 2000
    # Which tertial (1–3), quarter (1–4) or month (1–12); 1 for a year.
    number: int = 1

    @property
    def months(self) -> int:
        return KINDS[self.kind]

    def span(self, year: int | None = None) -> Span:
        """This period in ``year`` (default its own)."""
        year = self.year if year is None else year
        first = (self.number - 1) * self.months + 1
        start = date(year, first, 1)
        return Span(year, start, _add_months(start, self.months), self.label(year))

    def label(self, year: int | None = None) -> str:
        year = self.year if year is None else year
        if self.kind == "tertial":
            return _("T%(n)d %(year)d", n=self.number, year=year)
        if self.kind == "quarter":
            return _("K%(n)d %(year)d", n=self.number, year=year)
        if self.kind == "month":
            return f"{year}-{self.number:02d}"
        return str(year)

    def spans(self, first_year: int | None) -> list[Span]:
        """The same period in every year from the first the data holds (at least the two years
        before, at most MOST_YEARS), oldest first."""
        oldest = self.year - LEAST_YEARS + 1
        if first_year is not None:
            oldest = min(oldest, first_year)
        oldest = max(oldest, self.year - MOST_YEARS + 1)
        return [self.span(y) for y in range(oldest, self.year + 1)]

    def preceding(self, count: int) -> list[Span]:
        """The ``count`` periods of the same length just before this one, newest last: the
        recent rate a recurring pattern is weighed against."""
        spans = []
        start = self.span().start
        for _i in range(count):
            end, start = start, _add_months(start, -self.months)
            spans.append(Span(start.year, start, end, ""))
        return list(reversed(spans))


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def local_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=STOCKHOLM).astimezone(UTC)


def numbers(kind: str) -> int:
    """How many periods of ``kind`` a year has."""
    return 12 // KINDS[kind]
