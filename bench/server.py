"""The server under test: gunicorn started here (or one already running), its workers' memory,
and the machine it runs on."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from client import BenchError, Client

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """gunicorn serving ``app:create_app()`` on a free port with a fixed number of sync
    workers that are never recycled (--max-requests 0), so a worker's memory over the run is
    the memory of one process that served it all."""

    def __init__(self, database_url: str, workers: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.log = Path(tempfile.mkstemp(prefix="lexflode-bench-gunicorn-", suffix=".log")[1])
        env = {
            **os.environ,
            "LEXFLODE_DATABASE_URL": database_url,
            # Web workers never run the clock (app/scheduler.py); the sweep is measured apart.
            "LEXFLODE_SCHEDULER_EMBEDDED": "false",
            # The API's rate limits counted as always, but never reached by the bench's load.
            "LEXFLODE_API_RATE_LIMIT_PER_TOKEN": "1000000",
            "LEXFLODE_API_RATE_LIMIT_PER_ADDRESS": "1000000",
        }
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--max-requests",
            "0",
            "--timeout",
            "300",
            "--graceful-timeout",
            "10",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--chdir",
            str(ROOT),
            "--error-logfile",
            str(self.log),
            "app:create_app()",
        ]
        # Its own session: a Ctrl-C in the terminal reaches this script, which stops the
        # server in order, rather than both at once.
        self.process = subprocess.Popen(  # noqa: S603  (our own argv, no shell)
            command, env=env, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        client = Client(self.url, timeout=5)
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn exited ({self.process.returncode}):\n{self.log_tail()}")
            try:
                if client.get("/login").status == 200 and len(self.worker_pids()) == self.workers:
                    return
            except OSError:
                pass  # not listening yet: ask again
            time.sleep(0.3)
        raise BenchError(f"gunicorn did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def worker_pids(self) -> list[int]:
        return children(self.process.pid)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self, keep_log: bool = False) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if not keep_log:
            self.log.unlink(missing_ok=True)


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name in parentheses may hold spaces; the fields after it do not.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def machine() -> dict[str, object]:
    mem_kib = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kib = int(line.split()[1])
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return {
        "cores": len(os.sched_getaffinity(0)),
        "ram_gib": round(mem_kib / 1024 / 1024, 1),
        "cpu": cpu,
        "python": sys.version.split()[0],
        # Others' work on a shared machine shows in the figures: noted with them.
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }
