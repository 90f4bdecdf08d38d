"""/metrics: refused (404) to anyone without the token or an allowed address; the request
histogram by endpoint (never the URL) and the queues' gauges counted from the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select

from app.models import Deadline, OutboxMail
from app.models.deadlines import OPEN_STATUSES
from tests.factories import new_case

from .support import access_log_rows, beat

OUTSIDE = {"REMOTE_ADDR": "192.0.2.10"}


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def scrape(client, **kwargs) -> dict:  # type: ignore[no-untyped-def]
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain")
    return samples(response.get_data(as_text=True))


def test_refused_without_token_from_elsewhere(app, client):
    assert client.get("/metrics", environ_base=OUTSIDE).status_code == 404
    app.config["METRICS_TOKEN"] = "s3cret-token"
    headers = {"Authorization": "Bearer wrong"}
    assert client.get("/metrics", environ_base=OUTSIDE, headers=headers).status_code == 404
    assert (
        client.get(
            "/metrics", environ_base=OUTSIDE, headers={"Authorization": "s3cret-token"}
        ).status_code
        == 404
    )


def test_an_empty_token_opens_nothing(app, client):
    app.config["METRICS_TOKEN"] = ""
    headers = {"Authorization": "Bearer "}
    assert client.get("/metrics", environ_base=OUTSIDE, headers=headers).status_code == 404


def test_allowed_with_the_token_or_from_an_allowed_address(app, client, session):
    app.config["METRICS_TOKEN"] = "s3cret-token"
    headers = {"Authorization": "Bearer s3cret-token"}
    before = access_log_rows(session)
    scrape(client, environ_base=OUTSIDE, headers=headers)
    scrape(client)  # the test client comes from 127.0.0.1
    app.config["METRICS_ALLOWED_ADDRESSES"] = ["192.0.2.10"]
    scrape(client, environ_base=OUTSIDE)
    assert client.get("/metrics").status_code == 404
    assert access_log_rows(session) == before


def test_request_histogram_by_endpoint_never_by_url(client):
    key = (
        "lexflode_request_duration_seconds_count",
        (("endpoint", "cases.case_page"), ("method", "GET"), ("status", "3xx")),
    )
    before = scrape(client).get(key, 0.0)
    for _ in range(3):
        assert client.get("/arenden/987654").status_code == 302  # to the login page
    response = client.get("/metrics")
    figures = samples(response.get_data(as_text=True))
    assert figures[key] == before + 3
    assert "987654" not in response.get_data(as_text=True)
    buckets = [k for k in figures if k[0] == "lexflode_request_duration_seconds_bucket"]
    assert buckets


def _mail(session, n: int, status: str, attempts: int = 0) -> None:  # type: ignore[no-untyped-def]
    sent = {"sent_at": datetime.now(UTC)} if status == "sent" else {}
    session.add(
        OutboxMail(
            to_address=f"x{n}@test.se",
            subject="s",
            body="b",
            status=status,
            attempts=attempts,
            dedupe_key=f"ops-test-{n}",
            **sent,
        )
    )


def test_outbox_gauges_count_the_rows(client, session):
    for n, (status, attempts) in enumerate(
        [("pending", 0), ("pending", 0), ("pending", 2), ("sending", 1), ("sent", 1)]
    ):
        _mail(session, n, status, attempts)
    session.flush()
    figures = scrape(client)
    assert figures[("lexflode_outbox_mails", (("status", "pending"),))] == 3
    assert figures[("lexflode_outbox_mails", (("status", "sending"),))] == 1
    assert ("lexflode_outbox_mails", (("status", "sent"),)) not in figures
    assert figures[("lexflode_outbox_mails_failing", ())] == 1


def test_deadline_gauges_count_open_and_overdue(client, session, world):
    new_case(session, world)
    new_case(session, world)
    session.flush()
    open_deadlines = session.scalars(
        select(Deadline).where(Deadline.status.in_(OPEN_STATUSES)).order_by(Deadline.id)
    ).all()
    assert len(open_deadlines) >= 2
    open_deadlines[0].due_at = datetime.now(UTC) - timedelta(hours=1)
    open_deadlines[1].status, open_deadlines[1].met_at = "met", datetime.now(UTC)
    open_deadlines[1].next_action_at = None
    session.flush()
    unsettled = Deadline.status.in_(OPEN_STATUSES)
    expected_open = session.scalar(select(func.count()).where(unsettled))
    expected_overdue = session.scalar(
        select(func.count()).where(unsettled, Deadline.due_at < datetime.now(UTC))
    )
    assert expected_open == len(open_deadlines) - 1
    assert expected_overdue >= 1
    figures = scrape(client)
    assert figures[("lexflode_deadlines_open", ())] == expected_open
    assert figures[("lexflode_deadlines_overdue", ())] == expected_overdue


def test_scheduler_gauges_from_the_heartbeat(client, session):
    beat(session, timedelta(seconds=90))
    figures = scrape(client)
    labels = (("scheduler", "clock"),)
    assert figures[("lexflode_scheduler_last_sweep_seconds", labels)] == 0.25
    assert figures[("lexflode_scheduler_last_acts", labels)] == 7
    assert figures[("lexflode_scheduler_last_mails_sent", labels)] == 2
    assert figures[("lexflode_scheduler_last_mails_failed", labels)] == 1
    assert figures[("lexflode_scheduler_heartbeat_age_seconds", labels)] == pytest.approx(90, abs=5)
