"""The JSON API (/api/v1): the UI's operations for clients holding a bearer token."""

from flask import Blueprint

from app.extensions import csrf

bp: Blueprint = Blueprint("api", __name__)

# A bearer token is never sent by a browser on its own, so there is nothing for CSRF to forge;
# the session cookie, which is, does not authenticate here (see auth.py).
csrf.exempt(bp)

from . import (  # noqa: E402, F401  (each module adds its routes to bp)
    auth,
    cases,
    co_investigators,
    deadlines,
    documents,
    errors,
    feedback,
    lex_maria,
    openapi,
    records,
    statistics,
    transitions,
    units,
)
