"""Bearer tokens only: the API answers the holder of a token, never a browser's session cookie."""

from __future__ import annotations

from typing import cast

from flask import Response, request
from flask_login import current_user

from app.extensions import login_manager
from app.models import User

from . import bp
from .errors import unauthorized


@bp.before_request
def _require_token() -> Response | None:
    # The loader registered for the API (app/auth/loaders.py), asked directly: Flask-Login would
    # otherwise prefer a session cookie sent along, and cookies are ambient credentials.
    loader = login_manager.request_callback
    user = loader(request) if loader is not None else None
    if user is None:
        return unauthorized()
    # So that current_user is the token's user for everything else in this request.
    login_manager._update_request_context_with_user(user)
    return None


def caller() -> User:
    return cast(User, current_user._get_current_object())
