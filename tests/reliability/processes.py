"""The scheduler as a process of its own: the real `flask deadlines sweep` command, against the
test's database and mail server, that can be stopped in the middle and killed there."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import Flask

from tests.clock.smtp import MailServer

# The real `flask deadlines sweep` in a process of its own that stops, and says so, in the middle:
# after the n-th batch of acts is journalled (PAUSE_AT=act) or after the n-th mail is handed to the server
# (PAUSE_AT=mail), so that the test can kill it there.
PAUSING_FLASK = """
import os, smtplib, sys, time
from sqlalchemy import event
from sqlalchemy.engine import Engine

where, after, count = os.environ["PAUSE_AT"], int(os.environ["PAUSE_AFTER"]), 0

def counted():
    global count
    count += 1
    if count == after:
        print("PAUSED", flush=True)
        time.sleep(600)

def journal_written(_conn, _cursor, statement, *_args):
    if statement.lstrip().startswith("INSERT INTO deadline_acts"):
        counted()

if where == "act":
    # The sweep journals a batch of acts in one statement, beside the ORM.
    event.listen(Engine, "after_cursor_execute", journal_written)
if where == "mail":
    send = smtplib.SMTP.send_message
    def send_message(self, *args, **kwargs):
        result = send(self, *args, **kwargs)
        counted()
        return result
    smtplib.SMTP.send_message = send_message

from flask.cli import main
sys.argv = ["flask", *sys.argv[1:]]
main()
"""
ROOT = Path(__file__).resolve().parents[2]


class Output:
    """The lines a process prints, read in a thread of their own (the sweep prints its acts
    before it delivers, so the pause is not necessarily the first line)."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.reader = threading.Thread(target=self._read, args=(proc,), daemon=True)
        self.reader.start()

    def _read(self, proc: subprocess.Popen[str]) -> None:
        for line in proc.stdout:  # type: ignore[union-attr]
            self.lines.put(line)
        self.lines.put(None)

    def wait_for(self, expected: str, timeout: float = 90) -> bool:
        while (line := self.lines.get(timeout=timeout)) is not None:
            if line.strip() == expected:
                return True
        return False


@dataclass
class Scheduler:
    """Runs the sweep command against the test's database and mail server."""

    app: Flask
    server: MailServer
    now: datetime

    def env(self, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "LEXFLODE_DATABASE_URL": str(self.app.config["DATABASE_URL"]),
            "LEXFLODE_SECRET_KEY": "test-secret",
            "LEXFLODE_SMTP_HOST": "127.0.0.1",
            "LEXFLODE_SMTP_PORT": str(self.server.port),
            "LEXFLODE_MAIL_FROM": "lexflode@exempelby.se",
            **extra,
        }

    def args(self) -> list[str]:
        return ["--app", "app", "deadlines", "sweep", "--now", self.now.isoformat()]

    def kill_when_paused(self, where: str, after: int, check: Callable[[], None]) -> None:
        """Starts the sweep, waits until it pauses, runs ``check`` and kills it (SIGKILL)."""
        env = self.env(PAUSE_AT=where, PAUSE_AFTER=str(after))
        proc = subprocess.Popen(  # noqa: S603  (our own interpreter and script)
            [sys.executable, "-c", PAUSING_FLASK, *self.args()],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        output = Output(proc)
        try:
            assert output.wait_for("PAUSED"), proc.stderr.read()  # type: ignore[union-attr]
            check()
        finally:
            proc.kill()
            proc.wait(timeout=30)
            output.reader.join(timeout=30)
            proc.stdout.close()  # type: ignore[union-attr]
            proc.stderr.close()  # type: ignore[union-attr]
        assert proc.returncode == -signal.SIGKILL

    def run(self) -> str:
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "flask", *self.args()],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout
