"""The SCIM token page: when the directory's token was made, and a new one (shown once)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, render_template
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import db
from app.models import DirectoryGroup, User, current_scim_token, rotate_scim_token

from . import bp
from .views import _me


@dataclass(frozen=True)
class ScimStatus:
    endpoint: str
    token_created_at: datetime | None
    token_created_by: str | None
    provisioned_users: int
    groups: int


def scim_status(session: Session) -> ScimStatus:
    token = current_scim_token(session)
    return ScimStatus(
        endpoint=str(current_app.config["BASE_URL"]).rstrip("/") + "/scim/v2",
        token_created_at=token.created_at if token else None,
        token_created_by=(token.created_by.name if token and token.created_by else None),
        provisioned_users=session.scalar(
            select(func.count()).select_from(User).where(User.directory_managed.is_(True))
        )
        or 0,
        groups=session.scalar(select(func.count()).select_from(DirectoryGroup)) or 0,
    )


@bp.get("/scim")
def scim() -> str:
    return render_template("admin/scim.html", status=scim_status(db.session()), new_token=None)


@bp.post("/scim/token")
def new_scim_token() -> str:
    session = db.session()
    _row, token = rotate_scim_token(session, _me())
    # Shown in this answer and never again: not by a redirect, whose flash message would carry
    # the token in the session cookie.
    return render_template("admin/scim.html", status=scim_status(session), new_token=token)
