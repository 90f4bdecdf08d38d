"""flask deadlines sweep --now …, flask outbox send, flask scheduler run, and the embedded
scheduler's guard: only inside `flask run`, only in the serving process, never under test."""

from __future__ import annotations

import threading

import click
import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

import app.scheduler as scheduler_module
from tests.clock.smtp import MailServer
from tests.clock.support import Clock, local, mails, notices
from tests.factories import new_case


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, local(2026, 12, 7, 9, 0))


@pytest.fixture
def server(app):
    server = MailServer().start()
    app.config.update(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=server.port,
        MAIL_FROM="lexflode@exempelby.se",
        BASE_URL="https://lexflode.exempelby.se",
    )
    yield server
    server.stop()


def invoke(app, *args: str):  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_walking_a_case_with_the_sweep_command(app, session, world, clock, server):
    case = new_case(session, world)
    session.flush()
    out = invoke(app, "deadlines", "sweep", "--now", "2026-12-07T21:00")
    assert f"{case.reference} immediate_measures: reminder_1" in out
    assert "E-post: skickade: 3, misslyckade: 0" in out  # the two new tasks and the reminder
    out = invoke(app, "deadlines", "sweep", "--now", "2026-12-08T09:00")
    assert f"{case.reference} immediate_measures: escalation_1" in out
    assert invoke(app, "deadlines", "sweep", "--now", "2026-12-08T09:00").startswith("0 händelser")
    session.expire_all()
    assert {n.kind for n in notices(session, case)} == {
        "new_task",
        "reminder",
        "overdue",
        "escalation",
    }
    assert {m.status for m in mails(session)} == {"sent"}
    assert len(server.received) == len(mails(session))
    assert all("https://lexflode.exempelby.se/arenden/" in m.body for m in mails(session))


def test_sweep_without_delivery_and_outbox_send(app, session, world, clock, server):
    new_case(session, world)
    session.flush()
    out = invoke(app, "deadlines", "sweep", "--now", "2026-12-07T21:00:00+01:00", "--no-deliver")
    assert "E-post" not in out
    assert server.received == []
    out = invoke(app, "outbox", "send", "--now", "2026-12-07T21:00")
    assert "skickade: 3" in out
    assert len(server.received) == 3


def test_a_bad_time_is_refused(app):
    result = app.test_cli_runner().invoke(args=["deadlines", "sweep", "--now", "i morgon"])
    assert result.exit_code == 2
    assert "inte en tidpunkt" in result.output


def test_run_clock_sweeps_commits_and_mails(app, session, world, clock, server):
    case = new_case(session, world)
    session.flush()
    report, delivery = scheduler_module.run_clock(app, local(2026, 12, 8, 9, 0))
    assert (case.reference, "immediate_measures", "overdue") in report.acts
    assert delivery.sent == len(server.received) > 0


def test_the_scheduler_job(app):
    app.config["SCHEDULER_INTERVAL_MINUTES"] = 3
    scheduler = scheduler_module.make_scheduler(app, BackgroundScheduler)
    [job] = scheduler.get_jobs()
    assert (job.id, job.func, job.args) == ("clock", scheduler_module.run_clock, (app,))
    assert job.trigger.interval.total_seconds() == 180
    assert (job.max_instances, job.coalesce, job.misfire_grace_time) == (1, True, None)


def test_the_interval_may_be_a_fraction_of_a_minute(app):
    app.config["SCHEDULER_INTERVAL_MINUTES"] = 0.5
    [job] = scheduler_module.make_scheduler(app, BackgroundScheduler).get_jobs()
    assert job.trigger.interval.total_seconds() == 30


def test_scheduler_run_command(app, monkeypatch):
    started = []
    monkeypatch.setattr(
        BlockingScheduler, "start", lambda self, *a, **k: started.append(self.get_jobs())
    )
    out = invoke(app, "scheduler", "run")
    assert "var 5:e minut" in out
    assert [[job.id for job in jobs] for jobs in started] == [["clock"]]


def _in_flask_run(reload: bool | None):  # type: ignore[no-untyped-def]
    ctx = click.Context(click.Command("run"), info_name="run")
    ctx.params = {"reload": reload}
    return ctx


def test_the_embedded_scheduler_starts_only_where_it_should(app, monkeypatch):
    ran = threading.Event()
    monkeypatch.setattr(scheduler_module, "run_clock", lambda _app, now=None: ran.set())
    monkeypatch.delenv("WERKZEUG_RUN_MAIN", raising=False)
    # Under test: never.
    with _in_flask_run(False):
        assert scheduler_module.start_embedded(app) is None
    monkeypatch.setattr(app, "testing", False)
    # Outside `flask run` (other commands, gunicorn): never.
    assert scheduler_module.start_embedded(app) is None
    # The reloader's watching parent: no; its serving child: yes.
    with _in_flask_run(True):
        assert scheduler_module.start_embedded(app) is None
    app.config["SCHEDULER_EMBEDDED"] = False
    with _in_flask_run(False):
        assert scheduler_module.start_embedded(app) is None
    app.config["SCHEDULER_EMBEDDED"] = True
    monkeypatch.setenv("WERKZEUG_RUN_MAIN", "true")
    with _in_flask_run(True):
        scheduler = scheduler_module.start_embedded(app)
    try:
        assert scheduler is not None
        assert scheduler.running
        # It runs at once: after downtime the first sweep catches up.
        assert ran.wait(timeout=10)
    finally:
        scheduler.shutdown(wait=True)
