"""Security headers on every response.

The pages carry no inline script or style (tests/security/test_headers.py checks the templates),
so the Content-Security-Policy allows only our own files. Case content is secret: no page but
the static files may be kept in a cache, the browser's included.
"""

from __future__ import annotations

from flask import Flask, Response, request
from werkzeug.serving import WSGIRequestHandler

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    # same-origin, not no-referrer: Flask-WTF refuses a form posted over HTTPS without a
    # Referer of our own origin, and no-referrer would strip it from our own forms too.
    "Referrer-Policy": "same-origin",
    # Powerful features the pages never use, refused to anything a page might embed or load.
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}

# What the Server header says instead of the software and its version: werkzeug's development
# server would say "Werkzeug/3.1.9 Python/3.11.7", versions to look vulnerabilities up by.
SERVER = "Lexflode"

# A year, subdomains included: once a browser has seen the site over HTTPS it never falls back.
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"


def _development_server_names_nothing() -> None:
    """werkzeug's server (`flask run`) writes its Server line itself, before the application's
    headers and whatever they say (BaseHTTPRequestHandler.send_response), so no after_request
    can take it back: only its request handler can be told another name. That class serves
    nothing but the development server, in this process.

    Gunicorn likewise writes its own line ("Server: gunicorn", no version) whatever the
    application says; gunicorn.conf.py renames it (docs/operations.md). Both servers would send
    a second Server header if the application set one, so the application sets none."""

    def version_string(_handler: WSGIRequestHandler) -> str:
        return SERVER

    setattr(WSGIRequestHandler, "version_string", version_string)  # noqa: B010


def register(app: Flask) -> None:
    _development_server_names_nothing()

    @app.after_request
    def _security_headers(response: Response) -> Response:
        # Set, not defaulted: no view can weaken them by accident.
        response.headers.update(HEADERS)
        if response.headers.get("Content-Disposition", "").startswith("attachment"):
            # Should a browser render a downloaded file after all, it runs as a sandboxed page.
            response.headers["Content-Security-Policy"] += "; sandbox"
        if request.is_secure:
            response.headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
        if request.endpoint != "static" and "no-store" not in response.headers.get(
            "Cache-Control", ""
        ):
            response.headers["Cache-Control"] = "no-store"
        return response
