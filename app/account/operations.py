"""What a user changes for themselves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ApiToken, User
from forms.account import LanguageForm, TokenForm
from workflows.engine import validate_form
from workflows.errors import InvalidData, NotAllowed


def set_locale(session: Session, user: User, locale: str | None) -> None:
    """Stores the language ``user`` reads the pages in: one of config LANGUAGES."""
    if not user.is_active:
        raise NotAllowed(_("Kontot är inte aktivt."))
    form = validate_form(LanguageForm, {"locale": locale or ""})
    chosen = form.locale.data
    if chosen not in current_app.config["LANGUAGES"]:
        # The form knows the names of more languages than this installation offers.
        raise InvalidData(
            _("Uppgifterna är inte kompletta eller felaktiga."),
            {"locale": [_("Välj ett av språken i listan.")]},
        )
    user.locale = chosen
    session.flush()


@dataclass(frozen=True)
class TokenRow:
    """A token as its owner's list shows it: plain data, never the hash."""

    id: int
    name: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    expired: bool


def token_lifetime() -> timedelta:
    return timedelta(days=float(current_app.config["API_TOKEN_DAYS"]))


def own_tokens(session: Session, user: User, now: datetime) -> list[TokenRow]:
    """The user's tokens not revoked, newest first; expired ones stay listed, marked, until
    revoked, so that their owner sees why a script stopped working."""
    rows = session.scalars(
        select(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked.is_(False))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return [
        TokenRow(r.id, r.name, r.created_at, r.expires_at, r.last_used_at, r.expires_at <= now)
        for r in rows
    ]


def create_token(session: Session, user: User, name: str | None, now: datetime) -> str:
    """A new token for ``user``; returns the token itself, to be shown once."""
    if not user.is_active:
        raise NotAllowed(_("Kontot är inte aktivt."))
    form = validate_form(TokenForm, {"name": name or ""})
    row, token = ApiToken.issue(
        user, name=form.name.data.strip(), lifetime=token_lifetime(), now=now
    )
    session.add(row)
    session.flush()
    return token


def revoke_token(session: Session, user: User, token_id: int) -> ApiToken | None:
    """Revokes ``user``'s own token; None when there is no such token of theirs (someone
    else's is no different from none)."""
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id or row.revoked:
        return None
    row.revoked = True
    session.flush()
    return row
