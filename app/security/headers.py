"""Security headers on every response.

The pages carry no inline script or style (tests/security/test_headers.py checks the templates),
so the Content-Security-Policy allows only our own files. Case content is secret: no page but
the static files may be kept in a cache, the browser's included.
"""

from __future__ import annotations

from flask import Flask, Response, request

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

# A year, subdomains included: once a browser has seen the site over HTTPS it never falls back.
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"


def register(app: Flask) -> None:
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
