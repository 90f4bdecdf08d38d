"""Walks a hash chain and reports the first row that was changed, inserted or deleted."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AccessLogEntry, CaseEvent, ChainHead, RetentionRecord
from app.models.audit import Chained

from .chain import GENESIS, content_hash, link_hash

CHAINS: dict[str, type[Chained]] = {"case_events": CaseEvent, "access_log": AccessLogEntry}
BATCH = 5000


@dataclass(frozen=True)
class Finding:
    chain: str
    seq: int
    row_id: int | None
    problem: str  # "changed", "inserted", "deleted", "head"
    message: str


@dataclass(frozen=True)
class Result:
    chain: str
    rows: int
    finding: Finding | None


def _rows(session: Session, model: type[Chained]) -> Iterator[Chained]:
    last = 0
    seq_col = model.chain_seq
    while True:
        batch = session.scalars(
            select(model).where(seq_col > last).order_by(seq_col).limit(BATCH)
        ).all()
        if not batch:
            return
        yield from batch
        last = batch[-1].chain_seq
        session.expunge_all()


def _purged_cases(session: Session) -> set[int]:
    return set(session.scalars(select(RetentionRecord.case_id)))


def verify_chain(session: Session, chain: str) -> Result:
    model = CHAINS[chain]
    purged = _purged_cases(session) if model is CaseEvent else set()
    expected, previous, count = 1, GENESIS, 0
    for row in _rows(session, model):
        count += 1
        row_id = row.id  # type: ignore[attr-defined]
        if row.chain_seq > expected:
            return Result(
                chain,
                count,
                Finding(
                    chain,
                    expected,
                    row_id,
                    "deleted",
                    f"rad {expected}–{row.chain_seq - 1} saknas (borttagen)",
                ),
            )
        if row.chain_seq < expected:
            return Result(
                chain,
                count,
                Finding(
                    chain,
                    row.chain_seq,
                    row_id,
                    "inserted",
                    f"rad {row.chain_seq} finns två gånger (infogad)",
                ),
            )
        redacted = isinstance(row, CaseEvent) and row.redacted_at is not None
        if redacted and row.case_id not in purged:  # type: ignore[attr-defined]
            return Result(
                chain,
                count,
                Finding(
                    chain,
                    row.chain_seq,
                    row_id,
                    "changed",
                    f"rad {row.chain_seq} är rensad utan att gallringen är registrerad",
                ),
            )
        if not redacted and content_hash(row.chain_content()) != row.content_hash:
            return Result(
                chain,
                count,
                Finding(chain, row.chain_seq, row_id, "changed", f"rad {row.chain_seq} är ändrad"),
            )
        if link_hash(row.chain_seq, previous, row.content_hash) != row.link_hash:
            return Result(
                chain,
                count,
                Finding(
                    chain,
                    row.chain_seq,
                    row_id,
                    "inserted",
                    f"rad {row.chain_seq} hänger inte ihop med raden före (infogad eller ändrad)",
                ),
            )
        previous = row.link_hash
        expected += 1
    head = session.get(ChainHead, chain)
    last = expected - 1
    if head is None or head.seq != last or head.link_hash != previous:
        return Result(
            chain,
            count,
            Finding(
                chain,
                last + 1,
                None,
                "head",
                f"kedjan slutar vid rad {last} men huvudet anger {head.seq if head else '–'} "
                "(rader borttagna i slutet)",
            ),
        )
    return Result(chain, count, None)


def verify_all(session: Session) -> list[Result]:
    return [verify_chain(session, chain) for chain in CHAINS]
