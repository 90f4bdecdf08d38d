"""Walks a hash chain and reports the first row that was changed, inserted or deleted.

A history row blanked by retention no longer matches its content hash. It is accepted only as
the purge left it: the purge's own row on the ``purge_seals`` chain names the row's hash before
and the hash of its blanked content, and the row must match both — so its actor, trigger, states
and time cannot be rewritten under cover of a purge, and a purge slipped in by SQL (a retention
run and record with no seal on the chain) vouches for nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AccessLogEntry, AdminEvent, CaseEvent, ChainHead, PurgeSeal
from app.models.audit import Chained

from .chain import GENESIS, content_hash, link_hash

CHAINS: dict[str, type[Chained]] = {
    "case_events": CaseEvent,
    "access_log": AccessLogEntry,
    "admin_events": AdminEvent,
    "purge_seals": PurgeSeal,
}
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
    # The head as stored: worth writing down elsewhere, so that a chain rewritten from some row
    # to its end (hashes recomputed, head moved) is still found by comparing (SECURITY.md).
    head_seq: int = 0
    head_hash: str = ""


def _rows(session: Session, model: type[Chained]) -> Iterator[Chained]:
    last = 0
    seq_col = model.chain_seq
    while True:
        # What the database holds now, not what this session may have loaded before.
        batch = session.scalars(
            select(model).where(seq_col > last).order_by(seq_col).limit(BATCH),
            execution_options={"populate_existing": True},
        ).all()
        if not batch:
            return
        yield from batch
        last = batch[-1].chain_seq
        session.expunge_all()


Seals = dict[tuple[int, int], tuple[str, str]]


def _seals(session: Session) -> Seals:
    """(case id, history seq) → (content hash before the purge, hash of the blanked content)."""
    seals: Seals = {}
    for case_id, rows in session.execute(select(PurgeSeal.case_id, PurgeSeal.rows)):
        for seq, (before, blanked) in rows.items():
            seals[(case_id, int(seq))] = (str(before), str(blanked))
    return seals


def _purge_problem(row: CaseEvent, seals: Seals) -> str | None:
    seal = seals.get((row.case_id, row.chain_seq))
    if seal is None:
        return f"rad {row.chain_seq} är rensad utan att gallringen är registrerad i kedjan"
    before, blanked = seal
    if before != row.content_hash or content_hash(row.chain_content()) != blanked:
        return f"rad {row.chain_seq} är ändrad efter gallringen"
    return None


def verify_chain(session: Session, chain: str) -> Result:
    result = _walk(session, chain)
    head = session.get(ChainHead, chain)
    if head is not None:
        return Result(result.chain, result.rows, result.finding, head.seq, head.link_hash)
    return result


def _walk(session: Session, chain: str) -> Result:
    model = CHAINS[chain]
    seals = _seals(session) if model is CaseEvent else {}
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
        problem = _purge_problem(row, seals) if isinstance(row, CaseEvent) and redacted else None
        if problem is not None:
            return Result(chain, count, Finding(chain, row.chain_seq, row_id, "changed", problem))
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
