"""One view for all of /scim/v2: the request is handed to scim2-server as it came, and its
answer sent back as it gave it. Authentication and the rate limit come first (auth.py)."""

from __future__ import annotations

import json
import logging
from functools import cache
from http import HTTPStatus

from flask import Response, request
from flask_babel import gettext as _
from scim2_models import Error, UnauthorizedException
from scim2_server.applications.base import BaseApplication
from scim2_server.handler import ScimHandler
from scim2_server.requests import ScimRequest
from scim2_server.responses import ScimResponse
from werkzeug.exceptions import HTTPException

from app import db
from app.audit.admin_trail import acting
from app.authz import public
from app.models.base import utcnow

from . import bp
from .auth import admit
from .schema import provider
from .storage import SqlStorage

PREFIX = "/scim/v2"


class FlaskScim(BaseApplication):
    def __init__(self) -> None:
        super().__init__(provider())
        self.handler = ScimHandler(self.service, SqlStorage())
        self.log = logging.getLogger("lexflode.scim")


@cache
def server() -> FlaskScim:
    return FlaskScim()


def _response(scim: ScimResponse) -> Response:
    body = b"" if scim.body is None else json.dumps(scim.body).encode()
    return Response(body, status=scim.status.value, headers=scim.headers)


def _error(status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
    error = Error(status=status, detail=detail)
    return _response(ScimResponse(HTTPStatus(status), error.model_dump(), headers or {}))


def _scim_request() -> ScimRequest:
    path = request.path.removeprefix(PREFIX)
    return ScimRequest(
        method=request.method,
        base_url=request.host_url.rstrip("/") + PREFIX,
        path=path.removesuffix(".scim"),
        query=dict(request.args.items()),
        headers=list(request.headers.items()),
        body=request.get_data(cache=False),
    )


@bp.route("", defaults={"path": ""}, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
@bp.route("/<path:path>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
@public  # not a page: the SCIM token is checked here, never a session
def endpoint(path: str) -> Response:
    exceeded, authenticated = admit(utcnow())
    if exceeded is not None:
        return _error(
            429,
            _("För många anrop på kort tid. Vänta och försök igen."),
            {"Retry-After": str(exceeded.retry_after)},
        )
    app = server()
    scim = _scim_request()
    try:
        if not authenticated and app.needs_auth(scim):
            raise UnauthorizedException(detail="A valid SCIM bearer token is required.")
        # The administrative trail names the directory as the one who changed access; flushed
        # here, inside the block, so that every change is recorded under that name.
        with acting("SCIM"):
            answer = app.handler.handle(scim)
            db.session().flush()
    except Exception as exception:  # noqa: BLE001  (scim2-server's own answer for any error)
        answer = app.handle_exception(scim, exception)
    return _response(app.finalize_response(scim, answer))


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Response:
    # Raised before the view runs (a body over MAX_CONTENT_LENGTH): still SCIM's error schema.
    return _error(error.code or 500, error.description or "")
