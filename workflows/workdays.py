"""Time as the law counts it: Swedish local time, calendar months, and working days.

A working day is Monday to Friday unless it is a Swedish public holiday or one of the eves that
Swedish working life treats as a holiday (midsummer eve, Christmas eve, New Year's eve — the
``holidays`` package's "de_facto" category). Durations keep the local clock time: a report at
14:00 on a Friday with two working days is due at 14:00 on the Tuesday.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

from app.models.base import utcnow

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def now() -> datetime:
    """The clock the transitions read; tests replace it to walk a case through chosen times."""
    return utcnow()


@cache
def _holidays(year: int) -> frozenset[date]:
    days = holidays.country_holidays("SE", years=year, categories=("public", "de_facto"))
    return frozenset(days.keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def _local(moment: datetime) -> datetime:
    return moment.astimezone(STOCKHOLM)


def _at_local(day: date, clock: time) -> datetime:
    # Built from the wall-clock time, so that a daylight-saving change keeps the hour.
    return datetime.combine(day, clock, tzinfo=STOCKHOLM).astimezone(UTC)


def add_working_days(moment: datetime, days: int) -> datetime:
    """``days`` working days later (earlier when negative), at the same local clock time."""
    local = _local(moment)
    day, step, left = local.date(), (1 if days >= 0 else -1), abs(days)
    while left:
        day += timedelta(days=step)
        if is_working_day(day):
            left -= 1
    return _at_local(day, local.timetz().replace(tzinfo=None))


def add_calendar_days(moment: datetime, days: int) -> datetime:
    local = _local(moment)
    return _at_local(local.date() + timedelta(days=days), local.timetz().replace(tzinfo=None))


def add_months(moment: datetime, months: int) -> datetime:
    """Calendar months in Swedish time; the 31st falls back to the month's last day."""
    local = _local(moment)
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return _at_local(date(year, month, day), local.timetz().replace(tzinfo=None))


def end_of_day(day: date) -> datetime:
    """A date given as a deadline ("by the 15th") means by the end of that day, Swedish time."""
    return _at_local(day, time(23, 59))


def add(moment: datetime, value: int, unit: str) -> datetime:
    if unit == "hours":
        return moment + timedelta(hours=value)
    if unit == "calendar_days":
        return add_calendar_days(moment, value)
    if unit == "working_days":
        return add_working_days(moment, value)
    if unit == "months":
        return add_months(moment, value)
    raise ValueError(f"unknown duration unit: {unit}")


def local_text(moment: datetime) -> str:
    """'tisdag 23 juni 2026 kl. 14:00' — Swedish, in Swedish time, without the locale machinery
    (the mail is written by the scheduler, far from any request)."""
    local = _local(moment)
    weekday = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")[
        local.weekday()
    ]
    month = (
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    )[local.month - 1]
    return f"{weekday} {local.day} {month} {local.year} kl. {local:%H:%M}"
