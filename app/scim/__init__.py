"""SCIM 2.0 provisioning (RFC 7643, RFC 7644) at /scim/v2: the municipality's directory creates,
changes and deactivates users and their groups here (DOMAIN.md §2 rev. 2)."""

from flask import Blueprint

from app.extensions import csrf

bp: Blueprint = Blueprint("scim", __name__)

# A bearer token is never sent by a browser on its own; there is nothing for CSRF to forge.
csrf.exempt(bp)

from . import views  # noqa: E402, F401  (adds the routes to bp)
