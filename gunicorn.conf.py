"""Gunicorn for Lexflöde in production: `gunicorn -c gunicorn.conf.py` (docs/operations.md).

Everything an installation varies comes from the environment (the systemd unit's EnvironmentFile,
deploy/lexflode.env.example): GUNICORN_BIND, WEB_CONCURRENCY, GUNICORN_TIMEOUT,
GUNICORN_GRACEFUL_TIMEOUT, FORWARDED_ALLOW_IPS and PROMETHEUS_MULTIPROC_DIR. The application
reads its own settings (LEXFLODE_*, instance/config.py) itself.

The app is loaded once in the master and the workers are forked from it (preload_app): they
share the imported code's memory and a broken configuration stops the start instead of every
worker dying one after another. That is safe because creating the app opens no database
connection that a worker could inherit — and should a start-up check have used one, post_fork
drops the inherited pool — and starts no thread: the scheduler never runs inside gunicorn
(app/scheduler.py starts its embedded one only under `flask run`; production runs exactly one
`flask scheduler run` beside gunicorn).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import gunicorn.http.wsgi
from gunicorn.glogging import Logger

# Gunicorn names itself in every response's Server header and has no setting for it: it reads
# this module global for each response. Nothing that tells an attacker what runs here
# (app/security/headers.py; the application itself sets no Server header).
gunicorn.http.wsgi.SERVER = "Lexflode"

wsgi_app = "app:create_app()"
preload_app = True

# Behind nginx on the same machine (deploy/nginx/lexflode.conf); never on a public interface.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")


def _workers() -> int:
    """Gunicorn's rule of thumb, 2 × cores + 1, capped: each sync worker holds the app and
    WeasyPrint (~100 MB), and past eight the database, not the CPU, is what requests wait on."""
    if os.environ.get("WEB_CONCURRENCY"):
        return max(1, int(os.environ["WEB_CONCURRENCY"]))
    return min(2 * (os.cpu_count() or 1) + 1, 8)


workers = _workers()
worker_class = "sync"
# A PDF or a statistics page at national scale takes seconds; a worker silent for a minute is
# stuck and is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# On SIGTERM (systemctl stop/restart) workers finish the requests they are serving first.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# nginx keeps its connections to us open between requests.
keepalive = 5
# Replace a worker after this many requests, at staggered times, so that a slow leak in a
# library (PDF rendering has had them) never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# The heartbeat files on tmpfs where there is one: a disk-backed /tmp can stall a worker's
# heartbeat long enough to have it killed.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
# Gunicorn's runtime control socket would default to ~/.gunicorn/gunicorn.ctl, one per user:
# a service user has no home, and two instances would share it. Not used here.
control_socket_disable = True
proc_name = "lexflode-web"

# Only nginx may tell us the scheme (X-Forwarded-Proto); the application's PROXY_COUNT decides
# how many X-Forwarded-For hops it believes for the client's address.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Access log: one JSON object per request, to stdout (journald). The path only: query strings
# carry searches (names, personnummer in the log reviewer's and the case list's filters), and the
# referer would carry them again; a password-reset link's token is masked.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
MASKED_PATHS = ("/nytt-losenord/",)


def _path(path: str) -> str:
    for prefix in MASKED_PATHS:
        if path.startswith(prefix):
            return prefix + "…"
    return path


def _header(resp: Any, name: str) -> str:
    for key, value in getattr(resp, "headers", None) or ():
        if key.lower() == name:
            return str(value)
    return ""


class JsonAccessLogger(Logger):
    """Gunicorn's logger with access lines as JSON; its error log is unchanged."""

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        line = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "event": "access",
            "remote_addr": environ.get("REMOTE_ADDR", ""),
            "forwarded_for": environ.get("HTTP_X_FORWARDED_FOR", ""),
            "method": environ.get("REQUEST_METHOD", ""),
            "path": _path(environ.get("PATH_INFO", "")),
            "status": int(status),
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "pid": os.getpid(),
            # The app's own line for this request (user, endpoint) carries the same id.
            "request_id": _header(resp, "x-request-id"),
        }
        try:
            self.access_log.info(json.dumps(line, ensure_ascii=False))
        except Exception:
            self.exception("access log")


logger_class = JsonAccessLogger


# Prometheus in multiprocess mode: every worker writes its metrics to files in this directory and
# /metrics adds them up. It must exist before the app (and its metrics) is loaded, which is now,
# and must not hold a previous run's files, whose counters would be added to this run's.
def _metrics_dir() -> str:
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or tempfile.mkdtemp(
        prefix="lexflode-metrics-"
    )
    directory = Path(path)
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.iterdir():
        if stale.is_dir():
            shutil.rmtree(stale)
        else:
            stale.unlink()
    return str(directory)


# Set in this (the master's) environment, which the workers inherit.
os.environ["PROMETHEUS_MULTIPROC_DIR"] = _metrics_dir()


def post_fork(server: Any, worker: Any) -> None:
    """A forked worker must not use connections its master opened: drop the inherited pool
    without closing those connections (that would close them for the master too)."""
    flask_app = getattr(server.app, "callable", None)
    extensions = getattr(flask_app, "extensions", {})
    engine = extensions.get("lexflode_engine")
    if engine is not None:
        engine.dispose(close=False)


def child_exit(server: Any, worker: Any) -> None:
    """A worker that is gone leaves its metric files; the live gauges must stop counting it."""
    from app.ops.metrics import child_exit as forget_worker

    forget_worker(server, worker)
