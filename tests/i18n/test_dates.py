"""Dates and times as Swedes write them, in Swedish time (Europe/Stockholm), whatever the time
zone of the server; in English the same filters give English names of days and months."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy.orm import Session

from tests.factories import case_of, make_world

# 23:30 UTC on 22 November is 00:30 on the 23rd in Stockholm (CET, UTC+1); on 30 June 22:05 UTC
# it is 00:05 on 1 July (CEST, UTC+2).
WINTER = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
SUMMER = datetime(2026, 6, 30, 22, 5, tzinfo=UTC)
SWEDISH_DAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
ENGLISH_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _filter(app: Flask, name: str, value: object, locale: str) -> str:
    with app.test_request_context(), force_locale(locale):
        return str(app.jinja_env.filters[name](value))


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_numeric_dates_and_times_are_stockholm_time(app: Flask, locale: str) -> None:
    assert _filter(app, "dt", WINTER, locale) == "2026-11-23 00:30"
    assert _filter(app, "dt", SUMMER, locale) == "2026-07-01 00:05"
    assert _filter(app, "d", date(2026, 11, 22), locale) == "2026-11-22"
    # A date taken from a moment is the day in Stockholm.
    assert _filter(app, "d", WINTER, locale) == "2026-11-23"
    assert _filter(app, "iso_dt", WINTER.isoformat(), locale) == "2026-11-23 00:30"


def test_due_times_read_as_swedish(app: Flask) -> None:
    assert _filter(app, "due", WINTER, "sv") == "måndag 23 november 2026 kl. 00:30"
    assert _filter(app, "due", SUMMER, "sv") == "onsdag 1 juli 2026 kl. 00:05"


def test_due_times_read_as_english(app: Flask) -> None:
    assert _filter(app, "due", WINTER, "en") == "Monday 23 November 2026 at 00:30"
    assert _filter(app, "due", SUMMER, "en") == "Wednesday 1 July 2026 at 00:05"


def test_empty_values_show_nothing(app: Flask) -> None:
    for name in ("dt", "d", "due", "iso_dt"):
        assert _filter(app, name, None, "sv") == ""


def test_a_case_page_shows_stockholm_time(app: Flask, session: Session, client, auth) -> None:  # type: ignore[no-untyped-def]
    world = make_world(session)
    case = case_of(session, world, "lex_sarah", "submitted")
    case.received_at = WINTER
    session.flush()
    auth.login(world.sas.email)
    page = client.get(f"/arenden/{case.id}").get_data(as_text=True)
    assert "2026-11-23 00:30" in page
    assert "2026-11-22 23:30" not in page
    # The deadlines the report started are due in words, Swedish ones.
    assert " kl. " in page
    assert any(f"{day} " in page for day in SWEDISH_DAYS)

    world.sas.locale = "en"
    session.flush()
    page = client.get(f"/arenden/{case.id}").get_data(as_text=True)
    assert "2026-11-23 00:30" in page
    assert any(f"{day} " in page for day in ENGLISH_DAYS)
    assert " kl. " not in page
