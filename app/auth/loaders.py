"""How a request finds its user: the session cookie for the UI, a bearer token for the API."""

from __future__ import annotations

from flask import Request
from flask_login import LoginManager
from sqlalchemy import select

from app import db
from app.models import ApiToken, User, hash_token


def register_loaders(login_manager: LoginManager) -> None:
    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        user = db.session().get(User, int(user_id)) if user_id.isdigit() else None
        return user if user is not None and user.active else None

    @login_manager.request_loader
    def load_from_token(request: Request) -> User | None:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return None
        token = db.session().scalar(
            select(ApiToken).where(
                ApiToken.token_hash == hash_token(header.removeprefix("Bearer ").strip()),
                ApiToken.revoked.is_(False),
            )
        )
        if token is None or not token.user.active:
            return None
        return token.user
