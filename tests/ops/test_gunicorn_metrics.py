"""Multiprocess metrics under a real gunicorn with two workers: every worker's requests are in
the one /metrics answer, a dead worker's too, and each request logs one JSON line."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from .test_metrics import samples

CONF = """
from app.ops.metrics import child_exit  # noqa: F401  (gunicorn's hook)
workers = 2
"""
KEY = (
    "lexflode_request_duration_seconds_count",
    (("endpoint", "auth.login"), ("method", "GET"), ("status", "2xx")),
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


@pytest.fixture
def gunicorn(own_app: Flask, tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str], Path]]:
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    conf = tmp_path / "gunicorn_test.conf.py"
    conf.write_text(CONF)
    port = _free_port()
    env = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "LEXFLODE_DATABASE_URL": own_app.config["DATABASE_URL"],
        "LEXFLODE_SECRET_KEY": "x",
        "LEXFLODE_INSTANCE_PATH": str(tmp_path / "instance"),
        "LEXFLODE_SCHEDULER_EMBEDDED": "false",
        "LEXFLODE_LOG_FORMAT": "json",
    }
    gunicorn_bin = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(  # noqa: S603
        [str(gunicorn_bin), "-c", str(conf), "-b", f"127.0.0.1:{port}", "app:create_app()"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if _get(base + "/healthz")[0] == 200:
                break
        except OSError:
            pass  # not listening yet: gunicorn is still starting; the deadline below ends it
        assert process.poll() is None, "gunicorn stopped"
        assert time.monotonic() < deadline, "gunicorn did not start"
        time.sleep(0.2)
    yield base, process, metrics_dir
    process.terminate()
    process.wait(timeout=30)


def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def test_all_workers_requests_in_one_answer(gunicorn):
    base, process, metrics_dir = gunicorn
    for n in range(20):
        status, _body, headers = _get(base + "/login", {"X-Request-ID": f"req-{n}"})
        assert status == 200
        assert headers["X-Request-ID"] == f"req-{n}"
    status, text, _ = _get(base + "/metrics")
    assert status == 200
    assert samples(text)[KEY] == 20
    assert "lexflode_outbox_mails" in text
    assert list(metrics_dir.glob("histogram_*.db"))
    # A worker that dies is replaced; what it counted still counts.
    [first, *_] = _workers(process.pid)
    os.kill(first, signal.SIGKILL)
    time.sleep(1.5)
    assert samples(_get(base + "/metrics")[1])[KEY] == 20
    process.terminate()
    _out, err = process.communicate(timeout=30)
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    requests = [line for line in lines if line.get("event") == "request"]
    assert {line["request_id"] for line in requests} >= {f"req-{n}" for n in range(20)}
    assert all(
        line["endpoint"] == "auth.login"
        for line in requests
        if line["request_id"].startswith("req-")
    )
