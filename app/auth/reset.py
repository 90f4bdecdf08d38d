"""Resetting a forgotten password by a link sent by mail.

The link holds a token signed with the app's secret and salted with the user's current password
hash: it expires after an hour, and once the password has been changed (by this link or any
other way) it no longer verifies, so it works once. The request always gets the same answer;
only a known, active user gets a mail, written to the outbox with the request's transaction and
sent after the commit by the outbox sender. The mail carries the link and nothing else.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import OutboxMail, User

from . import passwords

SALT = "lexflode-password-reset"
# The reset page's path (views.reset_password); mails link to BASE_URL + this, never to the
# Host header of the request, which the requester controls.
RESET_PATH = "/nytt-losenord/"
MAX_AGE = timedelta(hours=1)
# At most one reset mail per account in this time, however often someone asks.
MAIL_EVERY = timedelta(minutes=5)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(str(current_app.config["SECRET_KEY"]), salt=SALT)


def _salt(user: User) -> str:
    return SALT + ":" + user.password_hash


def make_token(user: User) -> str:
    return _serializer().dumps(user.id, salt=_salt(user))


def user_for_token(session: Session, token: str, now: datetime) -> User | None:
    """The active user the token was made for, if it is still valid; else None."""
    serializer = _serializer()
    # The user's id, read before the signature can be checked (its salt is that user's hash);
    # nothing but the lookup trusts it.
    _, claimed = serializer.loads_unsafe(token)
    if not isinstance(claimed, int) or isinstance(claimed, bool):
        return None
    user = session.get(User, claimed)
    if user is None or not user.active:
        return None
    try:
        user_id, issued = serializer.loads(token, salt=_salt(user), return_timestamp=True)
    except BadSignature:
        return None
    if user_id != user.id or not timedelta(0) <= now - issued <= MAX_AGE:
        return None
    return user


def request_reset(session: Session, email: str, now: datetime) -> None:
    email = email.strip().lower()
    user = session.scalar(select(User).where(func.lower(User.email) == email))
    if user is None or not user.active:
        return
    bucket = int(now.timestamp() // MAIL_EVERY.total_seconds())
    key = f"password_reset:{user.id}:{bucket}"
    if session.scalar(select(OutboxMail.id).where(OutboxMail.dedupe_key == key)) is not None:
        return
    link = str(current_app.config["BASE_URL"]).rstrip("/") + RESET_PATH + make_token(user)
    body = "\n".join(
        [
            _("Hej!"),
            "",
            _(
                "Någon har bett om att få välja ett nytt lösenord till Lexflöde för den här adressen."
            ),
            _(
                "Öppna länken inom en timme för att välja ett nytt lösenord. Länken fungerar en gång:"
            ),
            link,
            "",
            _(
                "Har du inte bett om det kan du bortse från meddelandet. Ditt lösenord är oförändrat."
            ),
            _("Det här är ett automatiskt meddelande och går inte att svara på."),
        ]
    )
    _queue(session, user, _("Lexflöde: välj ett nytt lösenord"), body, key, now)


def set_password(session: Session, user: User, password: str, now: datetime) -> None:
    """The new password; the owner is told by mail, in case it was not them."""
    user.password_hash = passwords.hash_password(password)
    body = "\n".join(
        [
            _("Hej!"),
            "",
            _("Lösenordet till ditt konto i Lexflöde har just bytts."),
            _("Om det inte var du: kontakta systemförvaltaren genast."),
            "",
            _("Det här är ett automatiskt meddelande och går inte att svara på."),
        ]
    )
    key = f"password_changed:{user.id}:{secrets.token_hex(8)}"
    _queue(session, user, _("Lexflöde: ditt lösenord har bytts"), body, key, now)


def _queue(session: Session, user: User, subject: str, body: str, key: str, now: datetime) -> None:
    session.add(
        OutboxMail(
            user_id=user.id,
            to_address=user.email,
            subject=subject,
            body=body + "\n",
            dedupe_key=key,
            next_attempt_at=now,
            created_at=now,
        )
    )
    session.flush()
