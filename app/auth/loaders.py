"""How a request finds its user: the session cookie for the UI, a bearer token for the API.

A session is valid only while the user's session generation is the one it was signed in with:
logging out, changing the password and deactivation raise the generation (end_sessions), so a
copy of the cookie taken before stops working at once, on every device of that user. Logging out
on one device thus logs the user out everywhere: the cookie is signed, not stored, so there is
no one session to end alone, and for this data ending all is the safer mistake.
"""

from __future__ import annotations

from flask import Request, session
from flask_login import LoginManager
from sqlalchemy import select

from app import db
from app.models import ApiToken, User, hash_token
from app.models.base import utcnow

GENERATION = "_generation"


def remember_generation(user: User) -> None:
    """Called right after the session has begun (app/auth/views.py login)."""
    session[GENERATION] = user.session_generation


def end_sessions(user: User) -> None:
    """Every session of ``user`` signed in before now stops working at its next request."""
    user.session_generation = (user.session_generation or 0) + 1


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    return header.removeprefix("Bearer ").strip() or None


def register_loaders(login_manager: LoginManager) -> None:
    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        user = db.session().get(User, int(user_id)) if user_id.isdigit() else None
        if user is None or not user.active:
            return None
        # A cookie from before the generation existed has none: it is ended too.
        if session.get(GENERATION) != user.session_generation:
            return None
        return user

    @login_manager.request_loader
    def load_from_token(request: Request) -> User | None:
        token = bearer_token(request)
        if token is None:
            return None
        return db.session().scalar(
            select(User)
            .join(ApiToken, ApiToken.user_id == User.id)
            .where(
                ApiToken.token_hash == hash_token(token),
                ApiToken.revoked.is_(False),
                ApiToken.expires_at > utcnow(),
                User.active.is_(True),
            )
        )
