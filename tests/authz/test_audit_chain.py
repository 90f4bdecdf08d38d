"""Tamper evidence: rows of the case history and of the access log changed, inserted or deleted
directly in the database are found by `flask audit verify`, at the first row concerned."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import text

from app import db
from app.audit.chain import content_hash
from app.audit.verify import verify_all, verify_chain


@pytest.fixture
def trail(own_app: Flask) -> Flask:
    """A committed database with history (the demo cases) and access log rows (pages read)."""
    runner = own_app.test_cli_runner()
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    client = own_app.test_client()
    client.post("/login", data={"email": "sas@exempelby.se", "password": "lexflode-demo"})
    for case_id in _ids(
        own_app, "SELECT id FROM cases WHERE case_type = 'lex_sarah' ORDER BY id LIMIT 5"
    ):
        assert client.get(f"/arenden/{case_id}").status_code == 200
    assert _count(own_app, "access_log") >= 5
    return own_app


def _ids(app: Flask, sql: str) -> list[int]:
    with app.app_context():
        return list(db.get_engine().connect().execute(text(sql)).scalars())


def _count(app: Flask, table: str) -> int:
    with db.get_engine().connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def _tamper(sql: str, **params: object) -> None:
    with db.get_engine().begin() as conn:
        conn.execute(text(sql), params)


def _verify(chain: str):  # type: ignore[no-untyped-def]
    session = db.session()
    try:
        return verify_chain(session, chain)
    finally:
        session.rollback()


def _cli(app: Flask) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    return result.exit_code, result.output


def test_an_untouched_trail_verifies(trail: Flask) -> None:
    code, output = _cli(trail)
    assert code == 0, output
    assert "case_events" in output
    assert "kedjan är hel" in output
    results = {r.chain: r for r in verify_all(db.session())}
    assert all(r.finding is None for r in results.values())
    # The demo's users were created with their roles: the administrative trail has them.
    assert all(results[c].rows > 0 for c in ("case_events", "access_log", "admin_events"))
    for chain, result in results.items():
        assert f"huvud {chain} {result.head_seq} " in output
    assert results["case_events"].head_hash in output


@pytest.mark.parametrize("chain", ["case_events", "access_log"])
def test_a_changed_row_is_found(trail: Flask, chain: str) -> None:
    column = "comment" if chain == "case_events" else "address"
    _tamper(f"UPDATE {chain} SET {column} = 'ändrat i efterhand' WHERE chain_seq = 3")
    finding = _verify(chain).finding
    assert finding is not None
    assert (finding.seq, finding.problem) == (3, "changed")
    code, output = _cli(trail)
    assert code == 1
    assert "rad 3" in output


def test_a_change_with_its_content_hash_recomputed_breaks_the_link(trail: Flask) -> None:
    """Whoever also rewrites the row's content hash still cannot rewrite every later link."""
    forged = {
        "case_id": 1,
        "at": None,
        "actor_id": None,
        "actor_name": "Någon annan",
        "actor_role": "sas",
        "trigger": "close",
        "from_state": None,
        "to_state": "closed",
        "data": {},
        "comment": "",
    }
    _tamper(
        "UPDATE case_events SET actor_name = 'Någon annan', content_hash = :h WHERE chain_seq = 4",
        h=content_hash(forged),
    )
    finding = _verify("case_events").finding
    assert finding is not None
    assert finding.seq == 4


def test_a_deleted_row_is_found(trail: Flask) -> None:
    _tamper("DELETE FROM case_events WHERE chain_seq = 5")
    finding = _verify("case_events").finding
    assert finding is not None
    assert (finding.seq, finding.problem) == (5, "deleted")


def test_a_deleted_tail_is_found(trail: Flask) -> None:
    last = _ids(trail, "SELECT max(chain_seq) FROM access_log")[0]
    _tamper("DELETE FROM access_log WHERE chain_seq = :seq", seq=last)
    finding = _verify("access_log").finding
    assert finding is not None
    assert finding.problem == "head"
    assert finding.seq == last


def test_an_inserted_row_is_found(trail: Flask) -> None:
    """A row slipped in between: every seq from there is moved up one, the links no longer
    hold."""
    _tamper("UPDATE access_log SET chain_seq = chain_seq + 1000000 WHERE chain_seq >= 2")
    _tamper("UPDATE access_log SET chain_seq = chain_seq - 999999 WHERE chain_seq >= 1000000")
    _tamper(
        "INSERT INTO access_log (at, user_name, case_id, case_reference, view, detail, address,"
        " chain_seq, content_hash, link_hash) SELECT at, 'Inlagd', case_id, case_reference, view,"
        " detail, address, 2, content_hash, link_hash FROM access_log WHERE chain_seq = 1"
    )
    finding = _verify("access_log").finding
    assert finding is not None
    assert finding.seq == 2


def test_redacted_history_needs_a_recorded_purge(trail: Flask) -> None:
    _tamper("UPDATE case_events SET comment = '', redacted_at = at WHERE chain_seq = 2")
    finding = _verify("case_events").finding
    assert finding is not None
    assert finding.seq == 2
    assert "gallring" in finding.message
