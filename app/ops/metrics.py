"""Prometheus metrics: the request latency of this process (all gunicorn workers' together in
multiprocess mode), and the state of the queues read from the database at scrape time.

What the scheduler does is not counted in the scheduler's process: it runs beside gunicorn,
not inside it, so its figures would need a server of their own. Its heartbeat row carries the
last run's duration and acts, and the outbox and deadline gauges are counted from their tables
when scraped — right whichever process did the work, and across restarts.

Multiprocess mode (gunicorn, several workers): PROMETHEUS_MULTIPROC_DIR names an empty
directory before the app is imported, and gunicorn.conf.py calls ``child_exit`` below.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Deadline, OutboxMail, SchedulerHeartbeat
from app.models.deadlines import OPEN_STATUSES

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
QUEUED = ("pending", "sending")

# Registered with no registry: each scrape builds its own (below), so that in multiprocess mode
# the values come only from the workers' files, never twice.
REQUEST_SECONDS = Histogram(
    "lexflode_request_duration_seconds",
    "Time to answer a request, by Flask endpoint, method and status class.",
    ["endpoint", "method", "status"],
    registry=None,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)


def observe_request(endpoint: str, method: str, status_code: int, seconds: float) -> None:
    # Labels from closed sets only: an endpoint name (never the URL), a known method.
    method = method if method in METHODS else "other"
    REQUEST_SECONDS.labels(endpoint, method, f"{status_code // 100}xx").observe(seconds)


def child_exit(server: Any, worker: Any) -> None:
    """gunicorn.conf.py's ``child_exit`` hook: a dead worker's live gauges stop counting."""
    if os.environ.get(MULTIPROC_ENV):
        mark_process_dead(worker.pid)


@dataclass
class Figures:
    """What the database says at scrape time."""

    outbox: dict[str, int] = field(default_factory=dict)
    outbox_failing: int = 0
    deadlines_open: int = 0
    deadlines_overdue: int = 0
    heartbeats: list[SchedulerHeartbeat] = field(default_factory=list)


def read_figures(session: Session, now: datetime) -> Figures:
    queued = dict.fromkeys(QUEUED, 0)
    rows = session.execute(
        select(OutboxMail.status, func.count())
        .where(OutboxMail.status.in_(QUEUED))
        .group_by(OutboxMail.status)
    )
    queued.update({status: int(count) for status, count in rows})
    # A failed attempt puts the mail back to pending with its error, to be tried again later.
    failing = select(func.count()).where(OutboxMail.status == "pending", OutboxMail.attempts > 0)
    unsettled = Deadline.status.in_(OPEN_STATUSES)
    return Figures(
        outbox=queued,
        outbox_failing=int(session.scalar(failing.select_from(OutboxMail)) or 0),
        deadlines_open=int(session.scalar(select(func.count()).where(unsettled)) or 0),
        deadlines_overdue=int(
            session.scalar(select(func.count()).where(unsettled, Deadline.due_at < now)) or 0
        ),
        heartbeats=list(session.scalars(select(SchedulerHeartbeat))),
    )


class FiguresCollector:
    def __init__(self, figures: Figures, now: datetime) -> None:
        self.figures, self.now = figures, now

    def collect(self) -> Iterator[Metric]:
        f = self.figures
        outbox = GaugeMetricFamily(
            "lexflode_outbox_mails", "Mails not yet sent, by status.", labels=["status"]
        )
        for status, count in sorted(f.outbox.items()):
            outbox.add_metric([status], count)
        yield outbox
        yield GaugeMetricFamily(
            "lexflode_outbox_mails_failing",
            "Mails waiting to be tried again after a failed attempt.",
            value=f.outbox_failing,
        )
        yield GaugeMetricFamily(
            "lexflode_deadlines_open", "Deadlines not yet met or waived.", value=f.deadlines_open
        )
        yield GaugeMetricFamily(
            "lexflode_deadlines_overdue",
            "Open deadlines whose due time has passed.",
            value=f.deadlines_overdue,
        )
        yield from self._scheduler()

    def _scheduler(self) -> Iterator[Metric]:
        families = {
            "age": ("heartbeat_age_seconds", "Seconds since the scheduler's last heartbeat."),
            "sweep": ("last_sweep_seconds", "Duration of the last run's sweep."),
            "acts": ("last_acts", "Acts (reminders, overdue marks, escalations) of the last run."),
            "sent": ("last_mails_sent", "Mails sent by the last run."),
            "failed": ("last_mails_failed", "Mails whose sending failed in the last run."),
        }
        metrics = {
            key: GaugeMetricFamily(f"lexflode_scheduler_{name}", text, labels=["scheduler"])
            for key, (name, text) in families.items()
        }
        for beat in self.figures.heartbeats:
            age = (self.now - beat.last_beat_at).total_seconds()
            values = {
                "age": age,
                "sweep": beat.sweep_seconds,
                "acts": beat.acts,
                "sent": beat.mails_sent,
                "failed": beat.mails_failed,
            }
            for key, value in values.items():
                metrics[key].add_metric([beat.name], value)
        yield from metrics.values()


def exposition(session: Session, now: datetime) -> tuple[bytes, str]:
    """The text a scrape gets, and its content type."""
    registry = CollectorRegistry()
    if os.environ.get(MULTIPROC_ENV):
        MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_SECONDS)
    registry.register(FiguresCollector(read_figures(session, now), now))
    return generate_latest(registry), CONTENT_TYPE_LATEST
