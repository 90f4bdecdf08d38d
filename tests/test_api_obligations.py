"""The open obligation of an early-filed case: its investigation to IVO within two months of the
filing (DOMAIN.md §3.1 rev. 2), as its deadline row says."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.api.serialize import iso
from tests.api_client import Api
from tests.factories import FILING, case_in
from workflows.deadlines import open_deadline_for
from workflows.engine import fire
from workflows.workdays import add_months, end_of_day


@pytest.fixture
def api(client, session):
    return Api(client, session)


@pytest.mark.parametrize(
    ("start", "due"),
    [
        # Swedish time: 10:00 local on 15 January is 09:00 UTC; in March it is summer time.
        (datetime(2026, 1, 15, 9, 0, tzinfo=UTC), datetime(2026, 3, 15, 9, 0, tzinfo=UTC)),
        (datetime(2026, 3, 15, 9, 0, tzinfo=UTC), datetime(2026, 5, 15, 8, 0, tzinfo=UTC)),
        (datetime(2026, 4, 15, 8, 0, tzinfo=UTC), datetime(2026, 6, 15, 8, 0, tzinfo=UTC)),
        (datetime(2026, 5, 15, 8, 0, tzinfo=UTC), datetime(2026, 7, 15, 8, 0, tzinfo=UTC)),
        (datetime(2025, 12, 31, 12, 0, tzinfo=UTC), datetime(2026, 2, 28, 12, 0, tzinfo=UTC)),
        (datetime(2026, 11, 30, 12, 0, tzinfo=UTC), datetime(2027, 1, 30, 12, 0, tzinfo=UTC)),
        # 23:30 UTC on 31 Jan is 1 Feb in Stockholm: due 1 April, local.
        (datetime(2026, 1, 31, 23, 30, tzinfo=UTC), datetime(2026, 3, 31, 22, 30, tzinfo=UTC)),
    ],
)
def test_two_calendar_months_in_swedish_time(start, due):
    assert add_months(start, 2) == due


def _early_filed(session, world, filed_on: date | None = None):
    case = case_in(session, world, "under_investigation")
    fire(
        session,
        case,
        world.sas,
        "propose_early_filing",
        {"proposed_grade": "serious_misconduct", "grade_motivation": "Allvarligt."},
    )
    fire(session, case, world.chair, "approve_filing", {"motivation": "Anmäl."})
    filing = {**FILING, "filed_on": (filed_on or date.today()).isoformat()}
    fire(session, case, world.sas, "record_filing", filing)
    session.flush()
    return case


def test_obligation_is_open_until_sent_and_overdue_two_months_after_the_filing(api, session, world):
    filed_on = date.today() - timedelta(days=70)
    case = _early_filed(session, world, filed_on)
    [obligation] = api.get(world.sas, f"cases/{case.id}").get_json()["obligations"]
    assert obligation["kind"] == "investigation_to_ivo"
    assert obligation["overdue"] is True
    assert obligation["due_at"] == iso(add_months(end_of_day(filed_on), 2))


def test_the_obligation_s_date_is_its_deadline_row_s(api, session, world):
    """Read from the row, not worked out again: a report received long before the filing
    does not move it, and the row is what the sweep and the page go by too."""
    case = _early_filed(session, world)
    case.received_at = datetime.now(UTC) - timedelta(days=300)
    deadline = open_deadline_for(session, case, "investigation_to_ivo")
    deadline.due_at = datetime(2030, 5, 17, 21, 59, tzinfo=UTC)
    session.flush()
    [obligation] = api.get(world.sas, f"cases/{case.id}").get_json()["obligations"]
    assert (obligation["due_at"], obligation["overdue"]) == ("2030-05-17T21:59:00Z", False)
    # The chair sees the filing section, so the obligation too; the reporter does not.
    assert len(api.get(world.chair, f"cases/{case.id}").get_json()["obligations"]) == 1
    assert "obligations" not in api.get(world.reporter, f"cases/{case.id}").get_json()


def test_declined_early_proposal_has_no_obligation(api, session, world):
    case = case_in(session, world, "under_investigation")
    fire(
        session,
        case,
        world.sas,
        "propose_early_filing",
        {"proposed_grade": "serious_misconduct", "grade_motivation": "Allvarligt."},
    )
    session.flush()
    # Proposed, not yet filed: the obligation is there, its two months not yet started.
    [obligation] = api.get(world.sas, f"cases/{case.id}").get_json()["obligations"]
    assert (obligation["due_at"], obligation["overdue"]) == (None, False)
    fire(
        session,
        case,
        world.chair,
        "decline_filing",
        {"decider_grade": "misconduct", "motivation": "Inte allvarligt."},
    )
    session.flush()
    assert api.get(world.sas, f"cases/{case.id}").get_json()["obligations"] == []
