"""Who may use /scim/v2: the holder of the SCIM token (app/models/scim.py), and no one else:
not a browser's session, not an API token. Every request is first counted against a rate limit
per client address, in a short transaction of its own, like the API's (app/api/auth.py)."""

from __future__ import annotations

import hmac
from datetime import datetime

from flask import current_app, request
from sqlalchemy import Connection, select

from app import db
from app.auth import ratelimit
from app.auth.loaders import bearer_token
from app.models import ScimToken, hash_token

from .operations import assign_missing_ids


def _token_valid(connection: Connection, token: str | None) -> bool:
    if token is None:
        return False
    current = connection.execute(
        select(ScimToken.token_hash)
        .where(ScimToken.revoked_at.is_(None))
        .order_by(ScimToken.id.desc())
        .limit(1)
    ).scalar()
    return current is not None and hmac.compare_digest(current, hash_token(token))


def admit(now: datetime) -> tuple[ratelimit.Exceeded | None, bool]:
    """The rate limit this request exceeds, if any, and whether it holds the SCIM token. An
    admitted request also gives every user SCIM has not seen yet an id, before the request's
    own transaction begins, so that a GET never writes."""
    config = current_app.config
    limit = ratelimit.Limit(
        f"scim:address:{request.remote_addr or ''}",
        int(config["SCIM_RATE_LIMIT_PER_ADDRESS"]),
        int(config["API_RATE_WINDOW_SECONDS"]),
    )
    with ratelimit.own_transaction() as connection:
        exceeded = ratelimit.hit(connection, [limit], now)
        if exceeded is not None:
            return exceeded, False
        valid = _token_valid(connection, bearer_token(request))
        assigned = assign_missing_ids(connection) if valid else 0
    if assigned:
        # Users the request's session loaded before (a cookie sent along) are read again.
        db.session().expire_all()
    return None, valid
