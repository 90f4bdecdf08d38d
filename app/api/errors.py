"""Every answer under /api that is not a success: {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, jsonify, request
from flask.blueprints import BlueprintSetupState
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from app.db import is_write_conflict, session
from workflows.errors import WorkflowError

from . import bp


class ApiError(Exception):
    """A request the API itself refuses (its body or parameters), before any operation runs."""

    def __init__(
        self, status: int, code: str, message: str, fields: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field_errors = fields or {}


def invalid(message: str, fields: dict[str, Any]) -> ApiError:
    return ApiError(422, "invalid_data", message, fields)


def plain(value: Any) -> Any:
    """Field errors as JSON: WTForms hands back lazy strings, lists and nested dicts."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return str(value)


def error_response(
    status: int,
    code: str,
    message: str,
    fields: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    response = jsonify(
        {"error": {"code": code, "message": str(message), "fields": plain(fields or {})}}
    )
    response.status_code = status
    response.headers.update(headers or {})
    return response


def unauthorized() -> Response:
    return error_response(
        401,
        "unauthorized",
        _("Inloggning krävs. Ange en giltig API-token i huvudet Authorization: Bearer."),
        headers={"WWW-Authenticate": 'Bearer realm="lexflode"'},
    )


@bp.errorhandler(WorkflowError)
@bp.errorhandler(ApiError)
def _refused(error: WorkflowError | ApiError) -> Response:
    return error_response(error.status, error.code, error.message, error.field_errors)


@bp.errorhandler(StaleDataError)
def _stale(_error: StaleDataError) -> Response:
    # Two writers raced on the same case row: the loser's flush finds the version moved on.
    return error_response(
        409,
        "stale_version",
        _("Ärendet ändrades samtidigt av någon annan. Hämta det igen och försök på nytt."),
    )


@bp.errorhandler(DBAPIError)
def _database(error: DBAPIError) -> Response:
    # A failed flush leaves the session waiting for its rollback, and answering (in the user's
    # language) reads the user again. Two writers that met in the database (a deadlock, SQLite's
    # single writer) are a conflict; any other database error stays a 500.
    session().rollback()
    if not is_write_conflict(error):
        raise error
    return error_response(
        409,
        "conflict",
        _(
            "Någon annan ändrade samma uppgifter samtidigt. Ingenting sparades. "
            "Hämta uppgifterna igen och försök på nytt."
        ),
    )


def _http_messages() -> dict[int, tuple[str, str]]:
    return {
        400: ("bad_request", _("Begäran är felaktig.")),
        401: ("unauthorized", _("Inloggning krävs.")),
        403: ("forbidden", _("Du har inte behörighet till detta.")),
        404: ("not_found", _("Det som efterfrågades finns inte.")),
        405: ("method_not_allowed", _("Metoden är inte tillåten för den här adressen.")),
        409: ("conflict", _("Begäran krockar med ärendets nuvarande läge.")),
        413: ("too_large", _("Begäran är för stor.")),
        415: ("unsupported_media_type", _("Innehållet måste skickas som JSON.")),
        422: ("invalid_data", _("Uppgifterna är inte kompletta eller felaktiga.")),
        500: ("internal_error", _("Ett oväntat fel inträffade.")),
    }


def http_error_response(error: HTTPException) -> Response:
    status = error.code or 500
    code, message = _http_messages().get(status, ("error", _("Begäran kunde inte utföras.")))
    headers = {}
    allowed = getattr(error, "valid_methods", None)
    if status == 405 and allowed:
        headers["Allow"] = ", ".join(sorted(allowed))
    return error_response(status, code, message, headers=headers)


bp.register_error_handler(HTTPException, http_error_response)


@bp.record_once
def _answer_routing_errors_in_json(state: BlueprintSetupState) -> None:
    """An unknown address or method fails in routing, before any blueprint is chosen, so the
    blueprint's own handlers never see it (Flask documents this). These app-level handlers answer
    in JSON under the API's prefix and leave every other path to what was registered before."""
    prefix = (state.url_prefix or "").rstrip("/") + "/"
    app = state.app
    for code in (404, 405):
        previous = next(iter(app.error_handler_spec[None][code].values()), None)
        app.register_error_handler(code, _routing_handler(prefix, previous))


def _routing_handler(prefix: str, previous: Callable[[Any], Any] | None) -> Callable[[Any], Any]:
    def handle(error: HTTPException) -> Any:
        if request.path.startswith(prefix) or request.path == prefix.rstrip("/"):
            return http_error_response(error)
        return previous(error) if previous is not None else error

    return handle
