"""`flask scheduler run` stops cleanly on SIGTERM, the signal systemd, container runtimes and
`kill` send: exit code 0 once its first run has written the heartbeat."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from app import db
from app.models import SchedulerHeartbeat

FLASK = Path(sys.executable).with_name("flask")


def test_sigterm_ends_the_scheduler_with_exit_code_0(own_app: Flask, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "FLASK_APP": "app",
        "LEXFLODE_DATABASE_URL": own_app.config["DATABASE_URL"],
        "LEXFLODE_SECRET_KEY": "test-secret",
        "LEXFLODE_SCHEDULER_EMBEDDED": "false",
        "LEXFLODE_INSTANCE_PATH": str(tmp_path),
        # An unreachable SMTP port: the outbox is empty, nothing is sent.
        "LEXFLODE_SMTP_PORT": "1",
    }
    process = subprocess.Popen(  # noqa: S603
        [str(FLASK), "scheduler", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        beats = 0
        while beats == 0 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
            session = db.session()
            beats = session.scalar(select(func.count()).select_from(SchedulerHeartbeat)) or 0
            session.rollback()
        assert beats == 1, "the scheduler never ran"
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, output
