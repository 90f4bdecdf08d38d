"""The door every request passes: nothing is served to an anonymous visitor unless the view is
marked public, and whole areas are closed to everyone without their role.

Which case, and which part of it, a signed-in user may see is decided per case by
workflows/permissions.py (the UI and the API ask it through the same helpers); this module only
makes sure no route can forget to ask who is there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, abort, request
from flask_login import current_user

from .extensions import login_manager

F = TypeVar("F", bound=Callable[..., Any])

# Areas that belong to one role; a view inside may narrow further but never widen.
AREA_ROLES: dict[str, frozenset[str]] = {
    "admin": frozenset({"admin"}),
    "logreview": frozenset({"log_reviewer"}),
}


def public(view: F) -> F:
    """Marks a view that anyone may reach (the login page and the like)."""
    view.lexflode_public = True  # type: ignore[attr-defined]
    return view


def is_public(app: Flask, endpoint: str | None) -> bool:
    if endpoint is None or endpoint == "static":
        return True
    return bool(getattr(app.view_functions.get(endpoint), "lexflode_public", False))


def register(app: Flask) -> None:
    @app.before_request
    def _deny_by_default() -> Any:
        if is_public(app, request.endpoint):
            return None
        # The API answers bearer tokens only and checks them itself (app/api/auth.py).
        if request.blueprint == "api":
            return None
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        roles = AREA_ROLES.get(request.blueprint or "")
        if roles is not None and not current_user.has_role(*roles):
            abort(403)
        return None
