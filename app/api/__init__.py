"""The JSON API (/api/v1): the UI's operations for clients holding a bearer token."""

from flask import Blueprint

from app.extensions import csrf

bp = Blueprint("api", __name__)

# A bearer token is never sent by a browser on its own, so there is nothing for CSRF to forge;
# the session cookie, which is, does not authenticate here (see auth.py).
csrf.exempt(bp)

from . import auth, cases, deadlines, errors, lex_maria, records, transitions  # noqa: E402, F401
