"""Hash chains over append-only tables.

Each new row gets the next ``chain_seq`` of its chain, ``content_hash`` = SHA-256 of its content
in a canonical JSON form, and ``link_hash`` = SHA-256 over (seq, previous link, content hash).
The chain head (``audit_chain_heads``) is locked with an UPDATE before it is read, so two
transactions never link to the same predecessor: on PostgreSQL the second waits for the first to
commit; on SQLite the write lock serialises them.

A changed row no longer matches its content hash; an inserted or deleted row breaks the sequence
and the links after it; a removed tail no longer reaches the head.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from app.models.audit import Chained
from app.models.base import utcnow
from app.models.cases import Case

GENESIS = "0" * 64


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def content_hash(content: dict[str, Any]) -> str:
    body = json.dumps(
        {key: _canonical(value) for key, value in content.items()},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def link_hash(seq: int, previous: str, content: str) -> str:
    return hashlib.sha256(f"{seq}:{previous}:{content}".encode()).hexdigest()


def _new_rows(session: Session) -> dict[str, list[Chained]]:
    rows: dict[str, list[Chained]] = {}
    for obj in session.new:
        if isinstance(obj, Chained) and getattr(obj, "chain_seq", None) is None:
            rows.setdefault(obj.chain_name, []).append(obj)
    return rows


def _reserve(session: Session, chain: str, count: int) -> tuple[int, str]:
    """Moves the head ``count`` places on and returns the seq and link before the move; the
    UPDATE takes the row lock (the write lock on SQLite) before anything is read."""
    conn = session.connection()
    conn.execute(
        text("UPDATE audit_chain_heads SET seq = seq + :n WHERE chain = :chain"),
        {"n": count, "chain": chain},
    )
    row = conn.execute(
        text("SELECT seq, link_hash FROM audit_chain_heads WHERE chain = :chain"),
        {"chain": chain},
    ).one()
    return int(row.seq) - count, str(row.link_hash)


def _lock_cases(session: Session, rows: list[Chained]) -> None:
    """History rows belong to cases: lock those case rows before the chain head, in the order
    engine.fire takes them, so that a transition and a record operation on one case never
    wait for each other in opposite order (PostgreSQL; SQLite has one writer anyway)."""
    ids = sorted({row.case_id for row in rows if getattr(row, "case_id", None)})  # type: ignore[attr-defined]
    if ids:
        session.execute(select(Case.id).where(Case.id.in_(ids)).order_by(Case.id).with_for_update())


def _link(session: Session) -> None:
    for chain, rows in sorted(_new_rows(session).items()):
        if chain == "case_events":
            _lock_cases(session, rows)
        seq, previous = _reserve(session, chain, len(rows))
        for row in rows:
            if getattr(row, "at", None) is None:
                row.at = utcnow()  # type: ignore[attr-defined]
            _fill_defaults(row)
            seq += 1
            row.chain_seq = seq
            row.content_hash = content_hash(row.chain_content())
            row.link_hash = previous = link_hash(seq, previous, row.content_hash)
        session.connection().execute(
            text("UPDATE audit_chain_heads SET link_hash = :link WHERE chain = :chain"),
            {"link": previous, "chain": chain},
        )


def _fill_defaults(row: Chained) -> None:
    """Column defaults are applied only at INSERT, after the hash; apply the scalar ones now so
    the hash covers the values stored."""
    table = row.__table__  # type: ignore[attr-defined]
    for column in table.columns:
        if column.key in ("id", "chain_seq", "content_hash", "link_hash"):
            continue
        if getattr(row, column.key, None) is None and column.default is not None:
            default = column.default
            if default.is_scalar:
                setattr(row, column.key, default.arg)
            elif default.is_callable and column.key != "at":
                setattr(row, column.key, default.arg(None))


def install() -> None:
    """Links every new chained row at flush, for every session of the application; the
    administrative trail's listener adds its rows first."""
    from .admin_trail import install as install_admin_trail

    install_admin_trail()
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    _link(session)
