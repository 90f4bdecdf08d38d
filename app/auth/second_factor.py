"""The second factor of a local account (DOMAIN.md §2 rev. 2; HSLF-FS 2016:40): a code from an
authenticator app (TOTP, RFC 6238) after the password, or one of the recovery codes.

Who needs one: every local account holding a role that reads case content — manager, sas, mas,
chair, log_reviewer — and admin, who reads none but can set anyone's password and reset anyone's
second factor, so an admin account without one would be the way around everyone else's. Not the
reporter: a reporter reads only what they wrote themselves, the report's status and the feedback
given to them (§2), never another person's case.

A code is accepted for the time-step before and after the current one too (a phone's clock a
little off), and only for a step newer than the last one this user's code was accepted for: a
code seen over a shoulder or in a proxy's log is refused, as is every older one. The step is
written with a conditional UPDATE, so two requests racing with one code cannot both win; a
recovery code is used up the same way.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pyotp
from flask_babel import gettext as _
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from app.models import RecoveryCode, SecondFactor, User

from .throttle import normal_email

CONTENT_ROLES = frozenset({"manager", "sas", "mas", "chair", "log_reviewer", "admin"})
RECOVERY_CODES = 10
# 16 characters of base32: 80 bits each, so a plain SHA-256 of one is as safe as an API token's.
_RECOVERY_GROUPS = 4
_RECOVERY_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"


class Verdict(enum.Enum):
    ACCEPTED = "accepted"
    # One of the recovery codes, now used up.
    RECOVERY = "recovery"
    WRONG = "wrong"
    # The right code for a time-step already used: refused like a wrong one.
    REPLAYED = "replayed"


def is_demo(user: User) -> bool:
    from app.cli.demo import USERS
    from app.cli.demo_scale import SCALE_DOMAIN

    email = normal_email(user.email)
    return email in {e for e, *_rest in USERS} or email.endswith("@" + SCALE_DOMAIN)


def required(user: User, config: Mapping[str, Any]) -> bool:
    """Must ``user`` sign in with a second factor after the password?"""
    if not config["TOTP_REQUIRED"] or not user.has_role(*CONTENT_ROLES):
        return False
    # The demo users' password is public anyway; production refuses to start while they exist.
    return not (is_demo(user) and config["ENV_NAME"] != "production")


def local_sign_in_allowed(email: str, config: Mapping[str, Any]) -> bool:
    """LOCAL_SIGN_IN "break_glass" leaves the password to the listed addresses alone."""
    if config["LOCAL_SIGN_IN"] != "break_glass":
        return True
    return normal_email(email) in {normal_email(e) for e in config["BREAK_GLASS_EMAILS"]}


def factor_of(session: Session, user: User) -> SecondFactor | None:
    return session.scalar(select(SecondFactor).where(SecondFactor.user_id == user.id))


def enrolled(session: Session, user: User) -> bool:
    factor = factor_of(session, user)
    return factor is not None and factor.confirmed_at is not None


def begin_enrolment(session: Session, user: User, now: datetime) -> SecondFactor:
    """The unconfirmed factor being set up, made on the first call and the same on the next
    (the page reloaded, the QR code fetched): the secret in the phone must be the one kept."""
    factor = factor_of(session, user)
    if factor is not None and factor.confirmed_at is not None:
        raise ValueError("already enrolled")
    if factor is None:
        factor = SecondFactor(user_id=user.id, secret=pyotp.random_base32(), created_at=now)
        session.add(factor)
        session.flush()
    return factor


def provisioning_uri(factor: SecondFactor, user: User, issuer: str) -> str:
    """The otpauth:// address the QR code holds."""
    return pyotp.TOTP(factor.secret).provisioning_uri(name=user.email, issuer_name=issuer)


def readable_secret(secret: str) -> str:
    """Groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _clean(code: str | None) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def _matching_step(factor: SecondFactor, code: str, now: datetime) -> int | None:
    totp = pyotp.TOTP(factor.secret)
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _use_step(session: Session, factor: SecondFactor, step: int) -> bool:
    used = session.execute(
        update(SecondFactor)
        .where(
            SecondFactor.id == factor.id,
            or_(SecondFactor.last_step.is_(None), SecondFactor.last_step < step),
        )
        .values(last_step=step)
        .execution_options(synchronize_session=False)
    )
    session.refresh(factor)
    return bool(used.rowcount)  # type: ignore[attr-defined]


def hash_recovery_code(code: str) -> str:
    return hashlib.sha256(_clean(code).encode()).hexdigest()


def confirm_enrolment(session: Session, user: User, code: str | None, now: datetime) -> list[str]:
    """Turns the factor on once ``code`` shows the app has the secret; returns the recovery
    codes, to be shown once. A wrong code raises InvalidData."""
    from workflows.errors import InvalidData

    factor = factor_of(session, user)
    cleaned = _clean(code)
    step = (
        _matching_step(factor, cleaned, now)
        if factor is not None and factor.confirmed_at is None and cleaned.isdigit()
        else None
    )
    # The step is used up: the code that confirmed cannot sign in as well.
    if factor is None or step is None or not _use_step(session, factor, step):
        raise InvalidData(
            _("Uppgifterna är inte kompletta eller felaktiga."),
            {"code": [_("Koden stämmer inte. Skriv in den kod som appen visar just nu.")]},
        )
    factor.confirmed_at = now
    return new_recovery_codes(session, user, now)


def new_recovery_codes(session: Session, user: User, now: datetime) -> list[str]:
    """Ten fresh codes in place of any before."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _i in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _j in range(4 * _RECOVERY_GROUPS))
        code = "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))
        codes.append(code)
        session.add(
            RecoveryCode(user_id=user.id, code_hash=hash_recovery_code(code), created_at=now)
        )
    session.flush()
    return codes


def unused_recovery_codes(session: Session, user: User) -> int:
    return len(
        session.scalars(
            select(RecoveryCode.id).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        ).all()
    )


def verify(session: Session, user: User, code: str | None, now: datetime) -> Verdict:
    """Checks a code at sign-in: six digits from the app, or an unused recovery code."""
    factor = factor_of(session, user)
    if factor is None or factor.confirmed_at is None:
        return Verdict.WRONG
    cleaned = _clean(code)
    if len(cleaned) == 6 and cleaned.isdigit():
        step = _matching_step(factor, cleaned, now)
        if step is None:
            return Verdict.WRONG
        return Verdict.ACCEPTED if _use_step(session, factor, step) else Verdict.REPLAYED
    if len(cleaned) != 4 * _RECOVERY_GROUPS:
        return Verdict.WRONG
    used = session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == hash_recovery_code(cleaned),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return Verdict.RECOVERY if used.rowcount else Verdict.WRONG  # type: ignore[attr-defined]


def reset(session: Session, user: User) -> bool:
    """Removes the user's second factor and recovery codes (the administrator, for a lost
    phone); True if there was one. The user sets up a new one at their next sign-in."""
    removed = session.execute(delete(SecondFactor).where(SecondFactor.user_id == user.id))
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    session.flush()
    return bool(removed.rowcount)  # type: ignore[attr-defined]
