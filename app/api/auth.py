"""Bearer tokens only: the API answers the holder of a token, never a browser's session cookie.
Every request is counted against the API's rate limits first, per client address and per token,
in a short transaction of its own; that transaction also notes when a token was last used."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast

from flask import Response, current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Connection, select, update

from app.auth import ratelimit
from app.auth.loaders import bearer_token
from app.extensions import login_manager
from app.models import ApiToken, User, hash_token
from app.models.base import utcnow

from . import bp
from .errors import error_response, unauthorized

# A token's last use is written at most this often: a note for its owner, not a write per call.
LAST_USED_EVERY = timedelta(minutes=1)


@bp.before_request
def _require_token() -> Response | None:
    exceeded = _count_request(utcnow())
    if exceeded is not None:
        return error_response(
            429,
            "rate_limited",
            _("För många anrop på kort tid. Vänta och försök igen."),
            headers={"Retry-After": str(exceeded.retry_after)},
        )
    # The loader registered for the API (app/auth/loaders.py), asked directly: Flask-Login would
    # otherwise prefer a session cookie sent along, and cookies are ambient credentials.
    loader = login_manager.request_callback
    user = loader(request) if loader is not None else None
    if user is None:
        return unauthorized()
    # So that current_user is the token's user for everything else in this request.
    login_manager._update_request_context_with_user(user)
    return None


def _count_request(now: datetime) -> ratelimit.Exceeded | None:
    config = current_app.config
    window = int(config["API_RATE_WINDOW_SECONDS"])
    limits = [
        ratelimit.Limit(
            f"api:address:{request.remote_addr or ''}",
            int(config["API_RATE_LIMIT_PER_ADDRESS"]),
            window,
        )
    ]
    token = bearer_token(request)
    with ratelimit.own_transaction() as connection:
        token_id = _note_use(connection, token, now) if token else None
        if token_id is not None:
            # Only a real token is counted on its own: a guessed one makes no row.
            limits.append(
                ratelimit.Limit(
                    f"api:token:{token_id}", int(config["API_RATE_LIMIT_PER_TOKEN"]), window
                )
            )
        return ratelimit.hit(connection, limits, now)


def _note_use(connection: Connection, token: str, now: datetime) -> int | None:
    """The usable token's id, its last use noted if the note is older than a minute."""
    found = connection.execute(
        select(ApiToken.id, ApiToken.last_used_at).where(
            ApiToken.token_hash == hash_token(token),
            ApiToken.revoked.is_(False),
            ApiToken.expires_at > now,
        )
    ).first()
    if found is None:
        return None
    if found.last_used_at is None or now - found.last_used_at >= LAST_USED_EVERY:
        connection.execute(update(ApiToken).where(ApiToken.id == found.id).values(last_used_at=now))
    return int(found.id)


def caller() -> User:
    return cast(User, current_user._get_current_object())
