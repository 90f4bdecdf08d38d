"""Lexflöde as a production machine runs it (docs/operations.md): PostgreSQL migrated by
`flask db upgrade`, users made with `flask users create`, gunicorn with gunicorn.conf.py and two
workers in production mode behind nginx with deploy/nginx/lexflode.conf (TLS), exactly one
`flask scheduler run`, and a real SMTP server. Over real HTTPS an admin sets up the units, a care
worker reports, the mail that the running scheduler sends for the new case arrives, and once the
case's deadlines have come near, so does the scheduler's reminder; health,
readiness and metrics answer; SIGTERM stops every process cleanly. Start times and memory are
printed (`pytest -s`).
"""

from __future__ import annotations

import json
import os
import re
import signal
import ssl
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.clock.smtp import MailServer, free_port

from .support import (
    NGINX,
    Browser,
    Process,
    children,
    clean_env,
    kill_signal,
    nginx_config,
    postgres_database,
    rss_mib,
    threads,
    wait_for,
)

pytestmark = pytest.mark.production

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]
BASE_URL = "https://lexflode.kommun.test"
PASSWORD = "ett-langt-losenord-for-testet"  # noqa: S105
METRICS_TOKEN = "skrapnyckel-for-testet"  # noqa: S105
GRACEFUL_TIMEOUT = 10

USERS = (
    ("admin@kommun.test", "Ada Admin", ["admin"]),
    ("chef@kommun.test", "Cecilia Chef", ["manager", "reporter"]),
    ("sas@kommun.test", "Sam SAS", ["sas", "reporter"]),
    ("rapportor@kommun.test", "Rut Rapportör", ["reporter"]),
)

REPORT = {
    # The plain answers that make a lex Sarah case.
    "affected": "care_recipient",
    "harm": "harmed",
    "occurred_on": date.today().isoformat(),
    "occurred_time": "21:30",
    "location": "Avdelning 2",
    "description": "Brukaren blev liggande på golvet i en timme.",
    "reporter_actions": "Larmade sjuksköterskan.",
    "person_informed": "yes",
    "persons-0-name": "Anna Andersson",
    "persons-0-personnummer": "19121212-1212",
    "persons-0-description": "",
}


@pytest.fixture
def postgres_url():  # type: ignore[no-untyped-def]
    base = os.environ.get("LEXFLODE_TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        pytest.skip(
            "the production shape runs on PostgreSQL only, as production does: "
            "set LEXFLODE_TEST_DATABASE_URL=postgresql://…"
        )
    with postgres_database(base) as url:
        yield url


def _flask(env: dict[str, str], here: Path, *args: str) -> Process:
    name = "flask-" + "-".join(args[:2]) + f"-{time.monotonic_ns()}"
    return Process.start(name, [str(BIN / "flask"), *args], env, here)


def _finished(process: Process, timeout: float = 60) -> str:
    status = process.popen.wait(timeout=timeout)
    assert status == 0, f"{process.popen.args} exited {status}:\n{process.output()}"
    return process.output()


def _answers(browser: Browser, path: str, process: Process) -> bool:
    assert process.alive(), process.output()
    try:
        return browser.get(path).status == 200
    except OSError:
        return False


def _choice(page: str, label: str) -> str:
    """The value of the <option> or checkbox whose text or label is ``label``."""
    option = re.search(rf'<option value="(\d+)"[^>]*>[^<]*{re.escape(label)}', page)
    if option:
        return option.group(1)
    box = re.search(rf'value="(\d+)"[^>]*>\s*<label[^>]*>\s*{re.escape(label)}', page)
    assert box, f"no choice named {label!r} on the page"
    return box.group(1)


def _let_time_pass(postgres_url: str, reference: str, minutes_left: int) -> None:
    """Moves the case's open deadlines back in time as a clock would: start and due by the same
    amount, so that each falls due ``minutes_left`` from now and its reminders lie in the past;
    the sweep looks at them again at once."""
    engine = create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        moved = conn.execute(
            text(
                "UPDATE deadlines SET"
                " start_at = start_at - (due_at - now() - make_interval(mins => :left)),"
                " due_at = now() + make_interval(mins => :left),"
                " next_action_at = now()"
                " WHERE status = 'open' AND case_id = (SELECT id FROM cases WHERE reference = :ref)"
            ),
            {"left": minutes_left, "ref": reference},
        ).rowcount
    engine.dispose()
    assert moved >= 1, f"{reference} has no open deadline"


def _front(tmp_path: Path, upstream: int, env: dict[str, str]) -> tuple[Browser, Process | None]:
    """nginx with the shipped configuration on free ports; without nginx, gunicorn itself (the
    browser then sends the X-Forwarded-* headers nginx would)."""
    if not Path(NGINX).exists():
        print(f"\n{NGINX} not installed: requests go to gunicorn with nginx's headers")
        return Browser(f"http://127.0.0.1:{upstream}"), None
    directory = tmp_path / "nginx"
    directory.mkdir()
    https_port = free_port()
    config = nginx_config(directory, https_port, free_port(), upstream)
    nginx = Process.start("nginx", [NGINX, "-c", str(config), "-g", "daemon off;"], env, directory)
    tls = ssl.create_default_context(cafile=str(directory / "cert.pem"))
    front = Browser(f"https://127.0.0.1:{https_port}", tls=tls)
    wait_for(lambda: _answers(front, "/healthz", nginx), 10, "nginx")
    return front, nginx


def test_production_shape(postgres_url: str, tmp_path: Path) -> None:
    t0 = time.monotonic()
    here = tmp_path
    port = free_port()
    mail = MailServer().start()
    env = clean_env(
        FLASK_APP="app",
        LEXFLODE_ENV_NAME="production",
        LEXFLODE_DATABASE_URL=postgres_url,
        LEXFLODE_INSTANCE_PATH=str(tmp_path / "instance"),
        LEXFLODE_SECRET_KEY="en-hemlig-nyckel-for-produktionstestet",
        LEXFLODE_BASE_URL=BASE_URL,
        LEXFLODE_MAIL_FROM="lexflode@kommun.test",
        LEXFLODE_SMTP_HOST="127.0.0.1",
        LEXFLODE_SMTP_PORT=str(mail.port),
        LEXFLODE_SCHEDULER_EMBEDDED="false",
        # Every 3 s, so that a later run than the first comes within the test.
        LEXFLODE_SCHEDULER_INTERVAL_MINUTES="0.05",
        LEXFLODE_PROXY_COUNT="1",
        LEXFLODE_METRICS_TOKEN=METRICS_TOKEN,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_GRACEFUL_TIMEOUT=str(GRACEFUL_TIMEOUT),
        WEB_CONCURRENCY="2",
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"),
    )
    processes: list[Process] = []
    try:
        assert "Databasen är uppdaterad." in _finished(_flask(env, here, "db", "upgrade"))
        # The users, made with the real command, side by side (scrypt takes its time).
        made = [
            _flask(env, here, "users", "create", "--email", email, "--name", name,
                   *[arg for role in roles for arg in ("--role", role)], "--password", PASSWORD)
            for email, name, roles in USERS
        ]  # fmt: skip
        for process in made:
            assert "Skapade" in _finished(process)
        prepared = time.monotonic()

        # gunicorn, two workers forked from the preloaded app; up when /healthz answers.
        gunicorn = Process.start(
            "gunicorn",
            [str(BIN / "gunicorn"), "--config", str(ROOT / "gunicorn.conf.py")],
            env,
            here,
        )
        processes.append(gunicorn)
        # `direct` is what a scraper or a load balancer on the machine sees: gunicorn itself.
        direct = Browser(f"http://127.0.0.1:{port}")
        wait_for(lambda: _answers(direct, "/healthz", gunicorn), 30, "gunicorn's /healthz")
        gunicorn_started = time.monotonic() - gunicorn.started
        health = direct.get("/healthz")
        assert json.loads(health.body)["status"] == "ok"
        assert health.headers["Server"] == "Lexflode"
        workers = wait_for(lambda: len(children(gunicorn.pid)) == 2 and children(gunicorn.pid),
                           10, "two workers")  # fmt: skip
        # preload_app is safe: the master that loaded the app and forks the workers runs no
        # thread of its own (a fork copies only the forking thread, and whatever lock another
        # held would stay locked in the child forever).
        assert threads(gunicorn.pid) == 1
        # Not ready while no scheduler has ever run: the clock would be standing still.
        not_ready = direct.get("/readyz")
        assert not_ready.status == 503
        assert json.loads(not_ready.body)["failed"] == ["heartbeat"]

        front, nginx = _front(tmp_path, port, env)
        if nginx is not None:
            processes.append(nginx)

        # The admin sets up a förvaltning and a unit with its manager.
        admin = Browser(front.base, client_address="192.0.2.20", tls=front.tls)
        admin.login("admin@kommun.test", PASSWORD)
        assert admin.get("/admin/enheter/ny").status == 200
        created = admin.post(
            "/admin/enheter/ny", {"name": "Socialförvaltningen", "kind": "administration"}
        )
        assert created.status == 302, created.body[:3000]
        form = admin.get("/admin/enheter/ny?typ=unit").body
        unit = {
            "name": "Solbackens äldreboende",
            "kind": "unit",
            "parent_id": _choice(form, "Socialförvaltningen"),
            "legal_areas": ["SoL", "HSL"],
            "managers": [_choice(form, "Cecilia Chef")],
        }
        created = admin.post("/admin/enheter/ny", unit)
        assert created.status == 302, created.body[:3000]

        # A care worker reports something that becomes a lex Sarah case.
        reporter = Browser(front.base, client_address="192.0.2.30", tls=front.tls)
        reporter.login("rapportor@kommun.test", PASSWORD)
        page = reporter.get("/rapportera")
        assert page.status == 200
        unit_id = _choice(page.body, "Solbackens äldreboende")
        answer = reporter.post("/rapportera", {**REPORT, "unit_id": unit_id})
        assert answer.status == 302, answer.body[:3000]
        mine = reporter.get(answer.headers["Location"])
        reference = re.search(r"LS-\d{4}-\d{4}", mine.body)
        assert reference, mine.body[:3000]
        # Over https the app says so for a year (HSTS): the scheme came through the proxy.
        assert "max-age" in mine.headers["Strict-Transport-Security"]
        assert mail.received == []  # web workers never mail: the scheduler does

        # Exactly one scheduler. Its first run is at its start: it sweeps and mails the outbox.
        scheduler = Process.start("scheduler", [str(BIN / "flask"), "scheduler", "run"], env, here)
        processes.append(scheduler)
        wait_for(lambda: _answers(direct, "/readyz", scheduler), 30, "a heartbeat (/readyz 200)")
        scheduler_started = time.monotonic() - scheduler.started
        assert json.loads(direct.get("/readyz").body)["status"] == "ready"

        def manager_mail():  # type: ignore[no-untyped-def]
            return [m for m in mail.received if m["To"] == "chef@kommun.test"]

        [message] = wait_for(manager_mail, 30, "the manager's mail")
        body = message.get_body(("plain",)).get_content()
        assert reference.group(0) in message["Subject"] + body
        assert f"{BASE_URL}/arenden/" in body
        assert message["From"] == "lexflode@kommun.test"
        for personal in ("Anna Andersson", "19121212-1212", "golvet", "Rut Rapportör"):
            assert personal not in message.as_string()
        # A report made while the scheduler runs is mailed by one of its later runs.
        assert reporter.get("/rapportera").status == 200
        again = reporter.post("/rapportera", {**REPORT, "unit_id": unit_id})
        assert again.status == 302, again.body[:3000]
        second = wait_for(lambda: len(manager_mail()) == 2 and manager_mail(), 30, "a second mail")
        assert second[1]["Subject"] != message["Subject"]

        # The clock: time passes for the first case, whose deadlines now fall due in ten
        # minutes (their start moved back by as much), so their reminders are behind us. The
        # running scheduler finds them on its next run and mails the manager a reminder.
        _let_time_pass(postgres_url, reference.group(0), minutes_left=10)
        reminder = wait_for(
            lambda: [m for m in manager_mail() if m["Subject"].startswith("Lexflöde: påminnelse")],
            30,
            "the reminder mail",
        )
        assert reference.group(0) in reminder[0]["Subject"]
        assert "Anna Andersson" not in reminder[0].as_string()

        # /metrics: a scraper with the token, at gunicorn, gets Prometheus text from both
        # workers' files and the database; without it from a client's address, or through nginx
        # at all, there is nothing to see.
        bearer = {"Authorization": f"Bearer {METRICS_TOKEN}"}
        metrics = direct.get("/metrics", headers=bearer)
        assert metrics.status == 200, metrics.body[:2000]
        assert "lexflode_request_duration_seconds_bucket" in metrics.body
        assert "lexflode_scheduler_" in metrics.body
        assert direct.get("/metrics").status == 404
        assert front.get("/metrics", headers=bearer).status == 404

        # The access logs: JSON lines from gunicorn, and nginx's, without query strings.
        front.get("/login?next=%2Fsok%3Fq%3D19121212-1212")
        access = [
            json.loads(line)
            for line in gunicorn.output().splitlines()
            if line.startswith("{") and '"event": "access"' in line
        ]
        assert ("/login", 200) in [(a["path"], a["status"]) for a in access]
        assert "19121212-1212" not in gunicorn.output()
        if nginx is not None:
            nginx_log = (tmp_path / "nginx" / "lexflode.access.log").read_text()
            assert '"GET /login HTTP/1.1" 200' in nginx_log
            assert "19121212-1212" not in nginx_log

        figures = {
            "gunicorn master": rss_mib(gunicorn.pid),
            **{f"gunicorn worker {i}": rss_mib(pid) for i, pid in enumerate(workers, 1)},
            "scheduler": rss_mib(scheduler.pid),
        }
        print(
            f"\nprepare (migrate, 4 users): {prepared - t0:.1f} s; "
            f"gunicorn to /healthz: {gunicorn_started:.1f} s; "
            f"scheduler to first heartbeat: {scheduler_started:.1f} s"
        )
        print("RSS: " + ", ".join(f"{name} {mib:.0f} MiB" for name, mib in figures.items()))

        # systemctl stop: each gets the signal its unit names (SIGTERM for gunicorn, SIGINT for
        # the scheduler) and exits 0 within the graceful timeout.
        stop_signals = {
            "gunicorn": kill_signal("lexflode-web.service"),
            "scheduler": kill_signal("lexflode-scheduler.service"),
        }
        for process in reversed(processes):
            stopping = time.monotonic()
            sig = stop_signals.get(process.name, signal.SIGTERM)
            status = process.stop(timeout=GRACEFUL_TIMEOUT + 5, sig=sig)
            assert status == 0, f"{process.name} exited {status}:\n{process.output()}"
            print(f"{process.name} stopped by {sig.name} in {time.monotonic() - stopping:.1f} s")
        print(f"total {time.monotonic() - t0:.1f} s")
    finally:
        for process in processes:
            process.kill()
        mail.stop()
