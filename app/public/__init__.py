"""Ways in for those without an account (DOMAIN.md §3.5 rev. 2): the public intake through a
published link, the receipt, the follow-up with code and secret; and the handler's side of the
messages and the spam mark."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from . import handler_views, views  # noqa: E402, F401
