"""flask deadlines sweep | flask outbox send | flask scheduler run."""

from __future__ import annotations

import signal
from datetime import UTC, datetime

import click
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import current_app
from flask.cli import AppGroup

from app import db
from notifications.outbox import SmtpSettings, deliver
from workflows.sweep import sweep
from workflows.workdays import STOCKHOLM

deadlines_cli = AppGroup("deadlines", help="Tidsfrister.")
outbox_cli = AppGroup("outbox", help="Utgående e-post.")
scheduler_cli = AppGroup("scheduler", help="Schemaläggaren (svep och e-post).")


def _moment(value: str | None) -> datetime:
    """ISO 8601; without a zone it is Swedish time, as operators read clocks."""
    if not value:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"inte en tidpunkt: {value}") from exc
    return (moment if moment.tzinfo else moment.replace(tzinfo=STOCKHOLM)).astimezone(UTC)


@deadlines_cli.command("sweep")
@click.option("--now", "now_text", help="Svep per denna tidpunkt, t.ex. 2026-12-01T08:00.")
@click.option("--deliver/--no-deliver", "send", default=True, help="Skicka e-posten efteråt.")
def sweep_command(now_text: str | None, send: bool) -> None:
    """Run one sweep: reminders, overdue marks and escalations due at that time."""
    now = _moment(now_text)
    session = db.session()
    report = sweep(session, now)
    session.commit()
    click.echo(str(report))
    if send:
        click.echo(
            "E-post: " + str(deliver(session, now, SmtpSettings.from_config(current_app.config)))
        )


@outbox_cli.command("send")
@click.option("--now", "now_text", help="Som om klockan vore denna tidpunkt.")
def send_command(now_text: str | None) -> None:
    """Send the mails that are due, after earlier failures too."""
    report = deliver(db.session(), _moment(now_text), SmtpSettings.from_config(current_app.config))
    click.echo("E-post: " + str(report))
    for error in report.errors:
        click.echo(f"  {error}", err=True)


@scheduler_cli.command("run")
def run_command() -> None:
    """Run the scheduler as the one process that sweeps and mails (production)."""
    from app.ops.startup import check
    from app.scheduler import make_scheduler

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    # Production mode: no sweeping of a schema behind the migrations, nor mailing demo users.
    check(app, database=True)
    minutes = current_app.config["SCHEDULER_INTERVAL_MINUTES"]
    click.echo(
        f"Schemaläggaren sveper och skickar e-post var {minutes}:e minut. Avsluta med Ctrl-C."
    )
    scheduler = make_scheduler(app, BlockingScheduler)
    # systemd, container runtimes and `kill` stop a process with SIGTERM: end as on Ctrl-C, so
    # that a run under way finishes (the job's thread is joined at exit) and the exit code is 0.
    signal.signal(signal.SIGTERM, _exit_quietly)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        scheduler.shutdown(wait=False)


def _exit_quietly(signum: int, frame: object) -> None:
    raise SystemExit(0)
