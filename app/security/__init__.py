"""Web hardening to OWASP ASVS level 2: response headers, session timeouts, upload checks and
clear Swedish pages for the requests the hardening refuses.

The factory calls ``register(app)``; the login throttle and password hashing live with the
login itself, in app/auth/.
"""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    # Imported here: workflows/records.py imports app.security.uploads, and this package must
    # not pull the views' modules into that import.
    from . import errors, headers, sessions

    headers.register(app)
    sessions.register(app)
    errors.register(app)
