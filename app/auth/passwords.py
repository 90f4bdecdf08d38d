"""Password hashes, in one place: how they are made, checked, and renewed on login when the
method has been strengthened since the hash was made.

scrypt with N=2^15, r=8, p=3: one of the settings OWASP's password storage cheat sheet gives as
equal to its first choice (N=2^17, r=8, p=1) at a quarter of the memory, 32 MiB per check.
Werkzeug's own default (p=1) is weaker, and is written out nowhere else: hashes made with it, by
`flask users create` say, are renewed at their owner's next login.
"""

from __future__ import annotations

import secrets
from functools import cache

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

METHOD = "scrypt:32768:8:3"


def current_method() -> str:
    # A test suite may set PASSWORD_HASH_METHOD to something cheap; deployments never do.
    return str(current_app.config.get("PASSWORD_HASH_METHOD") or METHOD)


def hash_password(password: str, *, method: str | None = None) -> str:
    return generate_password_hash(password, method=method or current_method())


def check_password(stored: str, password: str) -> bool:
    try:
        return check_password_hash(stored, password)
    except (ValueError, TypeError):
        # A hash made by a method this Werkzeug does not know: no password matches it.
        return False


def needs_rehash(stored: str) -> bool:
    return stored.split("$", 1)[0] != current_method()


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash(secrets.token_hex(16), method=method)


def verify(stored: str | None, password: str) -> bool:
    """Checks against a dummy hash when there is no user, so that an unknown e-mail costs the
    same time as a known one and the answer's timing tells nothing."""
    matches = check_password(
        stored if stored is not None else _dummy_hash(current_method()), password
    )
    return matches and stored is not None
