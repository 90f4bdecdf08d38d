"""/healthz, /readyz and /metrics: for probes and scrapers, not for people. Public to the
login door (app/authz.py), outside the session (app/ops/requests.py), and they read no case."""

from __future__ import annotations

import hmac
from datetime import UTC, datetime

from flask import Blueprint, abort, current_app, jsonify, request
from werkzeug.wrappers import Response

from app import db
from app.authz import public

from . import health, metrics

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
@public
def healthz() -> Response:
    return jsonify(status="ok")


@bp.get("/readyz")
@public
def readyz() -> tuple[Response, int]:
    checks = health.readiness(db.session(), current_app.config, datetime.now(UTC))
    failed = [c.name for c in checks if not c.ok]
    body = {
        "status": "unavailable" if failed else "ready",
        "failed": failed,
        "checks": {c.name: c.state for c in checks},
    }
    return jsonify(body), 503 if failed else 200


@bp.get("/metrics")
@public
def metrics_page() -> Response:
    if not _scraper_allowed():
        abort(404)  # as if there were nothing here
    body, content_type = metrics.exposition(db.session(), datetime.now(UTC))
    return Response(body, content_type=content_type)


def _scraper_allowed() -> bool:
    config = current_app.config
    token = str(config["METRICS_TOKEN"])
    given = request.headers.get("Authorization", "")
    bearer = given.removeprefix("Bearer ").encode() if given.startswith("Bearer ") else b""
    if token and bearer and hmac.compare_digest(bearer, token.encode()):
        return True
    return (request.remote_addr or "") in set(config["METRICS_ALLOWED_ADDRESSES"])
