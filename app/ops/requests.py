"""Every request: an id (the proxy's X-Request-ID if sane, else a new one, echoed in the
response), one log line and one observation of the latency histogram when it ends.

The line names the Flask endpoint, never the URL (ids and search terms live there), and the
user by id only, never by name or e-mail.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from flask import Flask, Request, Response, g, request
from flask.sessions import SessionInterface, SessionMixin

from . import metrics

log = logging.getLogger("lexflode.request")

REQUEST_ID_HEADER = "X-Request-ID"
# nginx's $request_id is 32 hex digits; a UUID or a tracing id fits too. Anything else
# (spaces, control characters, a kilobyte of text) is not copied into our logs.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# Probes and scrapes every few seconds would drown the log; they log at DEBUG.
QUIET_BLUEPRINTS = frozenset({"ops"})


def request_id() -> str:
    """This request's id (for a log line of a view's own)."""
    return str(g.get("request_id", ""))


def _incoming_id() -> str:
    given = request.headers.get(REQUEST_ID_HEADER, "")
    return given if SANE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


def _user_id() -> int | None:
    # Flask-Login keeps the user it loaded in g; asking current_user would load one, a query
    # for a request (a probe, a static file) that never needed it.
    user = g.get("_login_user")
    user_id = getattr(user, "id", None)
    return user_id if isinstance(user_id, int) else None


class ProbeSessions(SessionInterface):
    """The app's session interface, except that health and metrics get a null session: they
    have nothing to do with a visitor's session, so its time-outs and the login never touch
    them, and they send no cookie."""

    def __init__(self, inner: SessionInterface) -> None:
        self.inner = inner
        self._probe_paths: frozenset[str] | None = None

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        # The session opens before the URL is matched: the probes are known by their paths.
        if self._probe_paths is None:
            self._probe_paths = frozenset(
                rule.rule
                for rule in app.url_map.iter_rules()
                if rule.endpoint.partition(".")[0] in QUIET_BLUEPRINTS
            )
        if request.path in self._probe_paths:
            return self.make_null_session(app)
        return self.inner.open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        self.inner.save_session(app, session, response)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def register(app: Flask) -> None:
    app.session_interface = ProbeSessions(app.session_interface)

    @app.before_request
    def _begin() -> None:
        g.request_started = time.perf_counter()
        g.request_id = _incoming_id()

    @app.after_request
    def _end(response: Response) -> Response:
        started = g.pop("request_started", None)
        if started is None:  # a hook before ours answered; nothing was timed
            return response
        seconds = time.perf_counter() - started
        endpoint = request.endpoint or "none"
        response.headers[REQUEST_ID_HEADER] = request_id()
        metrics.observe_request(endpoint, request.method, response.status_code, seconds)
        level = logging.INFO
        if response.status_code >= 500:
            # A probe's 503 is the readiness answer doing its job, not an error of ours.
            level = logging.WARNING if response.status_code == 503 else logging.ERROR
        elif request.blueprint in QUIET_BLUEPRINTS and response.status_code < 400:
            level = logging.DEBUG
        fields: dict[str, Any] = {
            "request_id": request_id(),
            "user_id": _user_id(),
            "endpoint": endpoint,
            "method": request.method,
            "status": response.status_code,
            "duration_ms": round(seconds * 1000, 1),
        }
        log.log(level, "request", extra=fields)
        return response
