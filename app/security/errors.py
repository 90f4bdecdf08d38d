"""Clear Swedish answers for requests the hardening refuses: a form without a valid CSRF token
(400) and a request larger than the app accepts (413); and the site's own page, in the reader's
language, for any other error. The API answers all of them in its own JSON."""

from __future__ import annotations

from flask import Flask, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from .uploads import megabytes


def _is_api() -> bool:
    return request.blueprint == "api" or request.path.startswith("/api/")


def _too_large(error: HTTPException) -> Response | tuple[str, int]:
    if _is_api():
        from app.api.errors import http_error_response

        return http_error_response(error)
    config = current_app.config
    return render_template(
        "errors/413.html",
        file_limit=megabytes(config["MAX_ATTACHMENT_BYTES"]),
        total_limit=megabytes(config["MAX_CONTENT_LENGTH"]),
    ), 413


def _csrf_failed(error: CSRFError) -> Response | tuple[str, int]:
    if _is_api():
        from app.api.errors import http_error_response

        return http_error_response(error)
    return render_template("errors/csrf.html"), 400


# The pages' own answer for the other errors a page can end in. Without these, an unknown address
# (404), a reload of a step's address (405, GET on a POST-only URL), or a crash (500) outside a
# blueprint with its own handler gets Werkzeug's English page.
_ERROR_TEMPLATES = {403: "errors/403.html", 404: "errors/404.html"}


def _error_page(error: HTTPException) -> Response | tuple[str, int]:
    if _is_api():
        from app.api.errors import http_error_response

        return http_error_response(error)
    status = error.code or 500
    try:
        return render_template(_ERROR_TEMPLATES.get(status, "errors/error.html")), status
    except Exception:
        # The page needs the database (the menu's unread count); if that is what failed, the
        # plain answer is better than none.
        if status != 500:
            raise
        return error.get_response()


def register(app: Flask) -> None:
    # Flask prefers a handler for the code to one for the class, so this one also receives the
    # API's 413s (over the API's catch-all HTTPException handler) and hands them back as JSON.
    app.register_error_handler(413, _too_large)
    app.register_error_handler(CSRFError, _csrf_failed)
    # These replace the API's app-level 404/405 handlers (registered with its blueprint, before
    # this), and like them answer in JSON under /api/.
    for status in (400, 403, 404, 405, 500):
        app.register_error_handler(status, _error_page)
