"""Swedish working days: weekends, public holidays and the eves working life treats as holidays."""

from __future__ import annotations

from datetime import date

import pytest

from tests.clock.support import local
from workflows import workdays


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 6, 18), True),  # Thursday before midsummer
        (date(2026, 6, 19), False),  # midsummer eve
        (date(2026, 6, 20), False),  # midsummer day (a Saturday)
        (date(2026, 12, 23), True),
        (date(2026, 12, 24), False),  # Christmas eve
        (date(2026, 12, 25), False),  # Christmas day
        (date(2026, 12, 31), False),  # New Year's eve
        (date(2027, 1, 1), False),
        (date(2027, 1, 6), False),  # Epiphany
        (date(2026, 4, 3), False),  # Good Friday
        (date(2026, 4, 6), False),  # Easter Monday
        (date(2026, 4, 7), True),
        (date(2026, 5, 14), False),  # Ascension day
        (date(2026, 6, 6), False),  # National day (a Saturday)
        (date(2026, 11, 21), False),  # an ordinary Saturday
    ],
)
def test_working_days(day, working):
    assert workdays.is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # Midsummer: Thursday + 1 skips the eve and the weekend.
        (local(2026, 6, 18, 10, 0), 1, local(2026, 6, 22, 10, 0)),
        (local(2026, 6, 18, 10, 0), 2, local(2026, 6, 23, 10, 0)),
        # Christmas and New Year.
        (local(2026, 12, 23, 9, 0), 3, local(2026, 12, 30, 9, 0)),
        (local(2026, 12, 23, 9, 0), 5, local(2027, 1, 5, 9, 0)),
        # Easter: Maundy Thursday + 1 is the Tuesday after Easter Monday.
        (local(2026, 4, 2, 14, 0), 1, local(2026, 4, 7, 14, 0)),
        # A report on a Saturday: the count starts on Monday.
        (local(2026, 11, 21, 11, 30), 2, local(2026, 11, 24, 11, 30)),
        # Backwards, for "one working day before".
        (local(2026, 6, 22, 10, 0), -1, local(2026, 6, 18, 10, 0)),
        (local(2027, 1, 4, 8, 0), -1, local(2026, 12, 30, 8, 0)),
    ],
)
def test_add_working_days(start, days, due):
    assert workdays.add_working_days(start, days) == due


def test_durations_keep_the_local_clock_across_daylight_saving():
    friday = local(2026, 3, 27, 10, 0)  # clocks go forward on Sunday 29 March
    monday = workdays.add_working_days(friday, 1)
    assert monday == local(2026, 3, 30, 10, 0)
    assert (friday.hour, monday.hour) == (9, 8)  # in UTC the hour moved
    assert workdays.add_calendar_days(friday, 3) == local(2026, 3, 30, 10, 0)
    assert workdays.add(friday, 72, "hours") == local(2026, 3, 30, 11, 0)


def test_months_and_end_of_day():
    assert workdays.add_months(local(2026, 12, 31, 12, 0), 2) == local(2027, 2, 28, 12, 0)
    assert workdays.add_months(local(2026, 11, 15, 8, 0), 2) == local(2027, 1, 15, 8, 0)
    assert workdays.end_of_day(date(2026, 12, 15)) == local(2026, 12, 15, 23, 59)
    with pytest.raises(ValueError, match="unknown"):
        workdays.add(local(2026, 1, 1), 1, "fortnights")


def test_local_text_is_swedish_time():
    assert workdays.local_text(local(2026, 6, 23, 14, 0)) == "tisdag 23 juni 2026 kl. 14:00"
