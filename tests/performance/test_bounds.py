"""What a page shows of a national list (issue 8): Att göra weighs the most urgent cases only
and says how many more there are; the case list and Mina rapporter count and page only so far."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from app.models import AccessLogEntry
from app.models.base import frozen_now
from tests.factories import case_in, report_data, walk
from workflows.records import submit_report


def _html(client, path: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_att_gora_weighs_the_most_urgent_and_counts_the_rest(app, client, auth, world, session):  # type: ignore[no-untyped-def]
    ten_days_ago = date.today() - timedelta(days=11)
    with frozen_now(datetime.now(UTC) - timedelta(days=10)):
        # Reported ten days ago: the SAS's two working days to start are long past.
        late = submit_report(
            session,
            world.reporter,
            report_data(
                world.solgarden,
                occurred_on=ten_days_ago.isoformat(),
                discovered_on=ten_days_ago.isoformat(),
            ),
        )
        walk(session, world, late, "awaiting_investigation")
    fresh = [case_in(session, world, "awaiting_investigation") for _ in range(2)]
    app.config["INBOX_LIMIT"] = 1
    auth.login("sas@test.se")
    html = _html(client, "/")
    waiting = html[: html.index('id="notiser"')]
    assert late.reference in waiting
    assert all(case.reference not in waiting for case in fresh)
    assert "2 ärenden till kan vänta på dig." in waiting
    assert 'href="/arenden"' in waiting
    # Only the case shown was read.
    session.expire_all()
    read = session.scalars(
        select(AccessLogEntry.case_id).where(AccessLogEntry.view == "cases.inbox")
    ).all()
    assert read == [late.id]

    app.config["INBOX_LIMIT"] = 100
    waiting = _html(client, "/")
    assert all(case.reference in waiting for case in [late, *fresh])
    assert "kan vänta på dig" not in waiting


def test_the_case_list_counts_and_pages_only_so_far(app, client, auth, world, session):  # type: ignore[no-untyped-def]
    cases = [case_in(session, world, "submitted") for _ in range(3)]
    app.config.update(COUNT_LIMIT=2, PAGE_DEPTH_LIMIT=2, PAGE_SIZE=1)
    auth.login("sas@test.se")
    first = _html(client, "/arenden")
    assert "Fler än 2 ärenden" in first
    assert "Sida 1 av de första 2" in first
    assert cases[-1].reference in first
    assert 'href="/arenden?sida=2"' in first
    assert "Äldre ärenden än så här" not in first
    last = _html(client, "/arenden?sida=9")
    assert "Sida 2 av de första 2" in last
    assert cases[1].reference in last
    assert "Äldre ärenden än så här visas inte sida för sida." in last
    assert 'rel="next"' not in last
    # Within the limits, the count and the pages are whole again.
    app.config.update(COUNT_LIMIT=10, PAGE_DEPTH_LIMIT=10)
    last = _html(client, "/arenden?sida=3&status=submitted")
    assert "3 ärenden" in last
    assert "Sida 3 av 3" in last
    assert cases[0].reference in last
    assert 'href="/arenden?sida=2&amp;status=submitted" rel="prev"' in last


def test_my_reports_come_a_page_at_a_time(app, client, auth, world, session):  # type: ignore[no-untyped-def]
    older, newer = case_in(session, world, "submitted"), case_in(session, world, "submitted")
    app.config["PAGE_SIZE"] = 1
    auth.login("reporter@test.se")
    first = _html(client, "/mina-rapporter")
    assert newer.reference in first
    assert older.reference not in first
    assert "Sida 1 av 2" in first
    second = _html(client, "/mina-rapporter?sida=2")
    assert older.reference in second
    assert newer.reference not in second
