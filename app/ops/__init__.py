"""Running the service: logs, request ids, health and readiness, metrics, start-up checks.

The factory calls ``register_ops(app)`` right after the extensions, before any other hook: its
request hooks then run first on the way in (the request id, the clock) and last on the way out
(the one log line, the latency), around everything else a request does.
"""

from __future__ import annotations

from flask import Flask


def register_ops(app: Flask) -> None:
    from . import logs, requests, startup, views

    startup.apply_defaults(app)
    logs.configure(app)
    requests.register(app)
    app.register_blueprint(views.bp)
    startup.check(app, database=startup.serving())
