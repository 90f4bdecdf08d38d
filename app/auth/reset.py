"""Resetting a forgotten password by a link sent by mail.

The link holds a token signed with the app's secret and salted with the user's current password
hash: it expires after an hour, and once the password has been changed (by this link or any
other way) it no longer verifies, so it works once. The request always gets the same answer;
only a known, active user gets a mail, written to the outbox with the request's transaction and
sent after the commit by the outbox sender. The mail carries the link and nothing else.

The same answer also in the same time: for an unknown address the request does the same work as
for a known one — the same queries, a token signed, the mail written — and only leaves the mail
unqueued. Measured before this, an unknown address answered in half the time (9.4 ms against
18.8), which told anyone timing it which addresses have accounts. The requests are limited per
address and per e-mail as typed (RESET_RATE_*), counted in the request's transaction: a write
that every request makes, known address or not.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import Session, lazyload

from app.models import OutboxMail, User

from . import passwords, ratelimit, throttle
from .loaders import end_sessions
from .second_factor import local_sign_in_allowed

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


def limits(email: str, address: str) -> list[ratelimit.Limit]:
    config = current_app.config
    window = int(float(config["RESET_RATE_WINDOW_MINUTES"]) * 60)
    return [
        ratelimit.Limit(f"reset:email:{email}", int(config["RESET_RATE_LIMIT_PER_EMAIL"]), window),
        ratelimit.Limit(
            f"reset:address:{address[:64]}", int(config["RESET_RATE_LIMIT_PER_ADDRESS"]), window
        ),
    ]


def _nobody() -> User:
    """Stands in for an unknown address so that its request signs a token and writes a mail
    like a known one's; never added to the session."""
    return User(id=0, email="", name="", password_hash=secrets.token_hex(16))


def request_reset(
    session: Session, email: str, address: str, now: datetime
) -> ratelimit.Exceeded | None:
    """Queues the reset mail if ``email`` belongs to an active account; the limit exceeded, if
    one is (then nothing else is done)."""
    email = throttle.normal_email(email)
    exceeded = ratelimit.hit(session, limits(email, address), now)
    if exceeded is not None:
        return exceeded
    # Without the roles and units a User loads with it: two queries an unknown address skips.
    found = session.scalar(
        select(User).where(func.lower(User.email) == email).options(lazyload("*"))
    )
    # With LOCAL_SIGN_IN "break_glass" a password is of no use to anyone not listed: none is
    # mailed, and the answer is the same as for an unknown address.
    allowed = local_sign_in_allowed(email, current_app.config)
    user = found if found is not None and found.active and allowed else _nobody()
    bucket = int(now.timestamp() // MAIL_EVERY.total_seconds())
    key = f"password_reset:{user.id}:{bucket}"
    already = session.scalar(select(OutboxMail.id).where(OutboxMail.dedupe_key == key))
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
    mail = _mail(user, _("Lexflöde: välj ett nytt lösenord"), body, key, now)
    if user.id != 0 and already is None:
        session.add(mail)
    session.flush()
    return None


def set_password(session: Session, user: User, password: str, now: datetime) -> None:
    """The new password; the owner is told by mail, in case it was not them."""
    user.password_hash = passwords.hash_password(password)
    end_sessions(user)
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


def _mail(user: User, subject: str, body: str, key: str, now: datetime) -> OutboxMail:
    return OutboxMail(
        user_id=user.id,
        to_address=user.email,
        subject=subject,
        body=body + "\n",
        dedupe_key=key,
        next_attempt_at=now,
        created_at=now,
    )


def _queue(session: Session, user: User, subject: str, body: str, key: str, now: datetime) -> None:
    session.add(_mail(user, subject, body, key, now))
    session.flush()
