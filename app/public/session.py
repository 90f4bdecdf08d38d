"""What the public pages keep in the visitor's session cookie: the receipt shown once after a
submission, and for a short while the receipt a follow-up was opened with."""

from __future__ import annotations

import time

from flask import current_app, session

ISSUED = "public_issued"
FOLLOWING = "public_following"


def remember_issued(code: str, secret: str, references: list[str]) -> None:
    session[ISSUED] = {"code": code, "secret": secret, "references": references}


def take_issued() -> dict[str, object] | None:
    """The receipt just issued, once: shown again it would sit in the browser's history."""
    issued = session.pop(ISSUED, None)
    return issued if isinstance(issued, dict) else None


def follow(receipt_id: int) -> None:
    session[FOLLOWING] = {"receipt": receipt_id, "at": time.time()}


def following() -> int | None:
    """The receipt opened within the last minutes (PUBLIC_FOLLOW_UP_MINUTES); after that the
    secret is asked for again."""
    held = session.get(FOLLOWING)
    if not isinstance(held, dict):
        return None
    minutes = float(current_app.config.get("PUBLIC_FOLLOW_UP_MINUTES", 30))
    if time.time() - float(held.get("at", 0)) > minutes * 60:
        session.pop(FOLLOWING, None)
        return None
    receipt = held.get("receipt")
    return receipt if isinstance(receipt, int) else None


def leave() -> None:
    session.pop(FOLLOWING, None)
