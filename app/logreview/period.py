"""Days as the reviewer means them: whole days in Europe/Stockholm, stored as UTC bounds where
the start is included and the end (midnight after the last day) is not."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def start_of(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=STOCKHOLM).astimezone(UTC)


def end_of(day: date) -> datetime:
    """The first instant after ``day``, so that 23:59:59.9 on the last day still counts."""
    return start_of(day + timedelta(days=1))


def first_day(start: datetime) -> date:
    return start.astimezone(STOCKHOLM).date()


def last_day(end: datetime) -> date:
    return end.astimezone(STOCKHOLM).date() - timedelta(days=1)


def today() -> date:
    return datetime.now(STOCKHOLM).date()


def previous_month(day: date | None = None) -> tuple[date, date]:
    """The calendar month before the one ``day`` (default today) falls in."""
    first_of_this = (day or today()).replace(day=1)
    last = first_of_this - timedelta(days=1)
    return last.replace(day=1), last
