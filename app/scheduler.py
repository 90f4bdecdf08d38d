"""The clock's job under APScheduler 3: sweep, commit, then deliver the outbox.

Two ways to run it. Embedded (the default, for `flask run`): a BackgroundScheduler inside the
development server's serving process. Production: ``SCHEDULER_EMBEDDED = False`` and exactly one
`flask scheduler run` (a BlockingScheduler) — web workers never start their own schedulers
(APScheduler's FAQ: job stores are never shared between schedulers). Should two run anyway, the
sweep's row locks and unique journal and the outbox's claims keep them from acting twice.

Each run ends with a heartbeat (scheduler_heartbeats, one row per SCHEDULER_NAME): /readyz tells
the load balancer when the clock has stopped, /metrics shows the last run's figures. A run that
fails leaves the heartbeat as it was, so a clock that fails every time goes stale as well.
"""

from __future__ import annotations

import atexit
import logging
import os
import socket
import time
from datetime import UTC, datetime
from typing import Any

import click
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.auth.pruning import prune
from notifications.outbox import DeliveryReport, SmtpSettings, deliver
from workflows.sweep import SweepReport, sweep

log = logging.getLogger(__name__)


def run_clock(app: Flask, now: datetime | None = None) -> tuple[SweepReport, DeliveryReport]:
    now = now or datetime.now(UTC)
    with app.app_context():
        from . import db

        session = db.session()
        started = time.perf_counter()
        try:
            report = sweep(session, now)
            session.commit()
        except Exception:
            session.rollback()
            raise  # APScheduler logs it, with its traceback
        sweep_seconds = time.perf_counter() - started
        # Only what is committed is mailed: a rolled-back sweep has told nobody anything.
        delivery = deliver(session, now, SmtpSettings.from_config(app.config))
        pruned = prune(session, now, app.config)
        session.commit()
        beat(session, str(app.config["SCHEDULER_NAME"]), report, delivery, sweep_seconds)
    log.info(
        "clock run",
        extra={
            "acts": len(report.acts),
            "sweep_ms": round(sweep_seconds * 1000, 1),
            "mails_sent": delivery.sent,
            "mails_failed": delivery.failed,
            "mails_stuck": delivery.stuck,
            "throttle_rows_pruned": pruned,
        },
    )
    for error in delivery.errors:
        log.warning("outbox: sending failed", extra={"error": error})
    return report, delivery


def beat(
    session: Session,
    name: str,
    report: SweepReport,
    delivery: DeliveryReport,
    sweep_seconds: float,
) -> None:
    """Writes this scheduler's heartbeat row (one per name) and commits it."""
    from .models import SchedulerHeartbeat

    values = {
        "last_beat_at": datetime.now(UTC),
        "sweep_seconds": sweep_seconds,
        "acts": len(report.acts),
        "mails_sent": delivery.sent,
        "mails_failed": delivery.failed,
        "pid": os.getpid(),
        "host": socket.gethostname()[:255],
    }
    changed = session.execute(
        update(SchedulerHeartbeat).where(SchedulerHeartbeat.name == name).values(**values)
    )
    if not changed.rowcount:  # type: ignore[attr-defined]
        session.add(SchedulerHeartbeat(name=name, **values))
        try:
            session.commit()
        except IntegrityError:
            # Another process with the same name wrote the first row meanwhile; ours wins.
            session.rollback()
            session.execute(
                update(SchedulerHeartbeat).where(SchedulerHeartbeat.name == name).values(**values)
            )
    session.commit()


def make_scheduler(app: Flask, scheduler_class: type[BaseScheduler]) -> BaseScheduler:
    scheduler = scheduler_class(timezone=UTC)
    scheduler.add_job(
        run_clock,
        # Fractions too (0.5 is every 30 s): int() made anything below 1 zero, which
        # APScheduler silently runs every second.
        IntervalTrigger(seconds=float(app.config["SCHEDULER_INTERVAL_MINUTES"]) * 60),
        args=[app],
        id="clock",
        replace_existing=True,
        # One run at a time; runs missed while busy or down collapse into one, which catches up.
        max_instances=1,
        coalesce=True,
        misfire_grace_time=None,
        next_run_time=datetime.now(UTC),
    )
    return scheduler


def start_embedded(app: Flask) -> BaseScheduler | None:
    if app.testing or not app.config["SCHEDULER_EMBEDDED"] or not _serving_process(app):
        return None
    scheduler = make_scheduler(app, BackgroundScheduler)
    scheduler.start()
    atexit.register(lambda: scheduler.shutdown(wait=False) if scheduler.running else None)
    app.extensions["lexflode_scheduler"] = scheduler
    return scheduler


def _serving_process(app: Flask) -> bool:
    """True inside `flask run`, in the process that serves: with the reloader, Flask loads the
    app in the watching parent as well, and only the child (WERKZEUG_RUN_MAIN) serves."""
    ctx = click.get_current_context(silent=True)
    if ctx is None or ctx.info_name != "run":
        return False
    params: dict[str, Any] = ctx.params
    reload = params.get("reload")
    if reload is None:
        reload = app.debug
    return not reload or os.environ.get("WERKZEUG_RUN_MAIN") == "true"
