"""Tamper evidence for the administrative trail and for purges (DOMAIN.md §9 rev. 2):
`flask audit verify` finds a trail row edited in SQL, and a case history rewritten under cover of
a purge forged in SQL, while a real retention run still verifies."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from app.models import AdminEvent, Case, CaseEvent, ChainHead
from tests.factories import case_of
from tests.retention.support import old_marked_case


def as_database_owner(session) -> None:  # type: ignore[no-untyped-def]
    """On PostgreSQL the trail's tables refuse UPDATE and DELETE with a trigger; whoever owns the
    database can switch triggers off for their transaction, and the chain must still tell."""
    if session.connection().dialect.name == "postgresql":
        session.execute(text("SET LOCAL session_replication_role = replica"))


def verify(app) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    return result.exit_code, result.output


def test_a_grant_edited_in_sql_is_found(app, client, auth, world, session):
    auth.login(world.admin.email)
    data = {
        "name": world.reporter.name,
        "email": world.reporter.email,
        "roles": ["reporter", "sas"],
    }
    assert client.post(f"/admin/anvandare/{world.reporter.id}", data=data).status_code == 302
    row = session.scalars(
        select(AdminEvent)
        .where(AdminEvent.target_id == world.reporter.id, AdminEvent.kind == "roles")
        .order_by(AdminEvent.chain_seq.desc())
    ).first()
    assert row.actor_id == world.admin.id
    assert row.after == {"roles": ["reporter", "sas"]}
    code, output = verify(app)
    assert code == 0, output
    assert "admin_events:" in output
    head = session.get(ChainHead, "admin_events", populate_existing=True)
    assert head.seq >= row.chain_seq
    assert f"huvud admin_events {head.seq} {head.link_hash}" in output

    # Someone who owns the database makes the grant look like the CLI's.
    as_database_owner(session)
    session.execute(
        text("UPDATE admin_events SET actor_name = 'CLI (root)' WHERE id = :id"), {"id": row.id}
    )
    code, output = verify(app)
    assert code == 1
    assert f"admin_events: FEL vid rad {row.chain_seq}" in output
    assert "är ändrad" in output


def _forge_purge(session, case: Case) -> CaseEvent:  # type: ignore[no-untyped-def]
    """What the database's password allows: a retention run and record for an open case, and
    its history rewritten as if the purge had blanked it — actor, trigger and state too."""
    event = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.chain_seq)
    ).first()
    run_id = session.execute(
        text(
            "INSERT INTO retention_runs (at, started_by, limits, case_count) "
            "VALUES (:at, 'system', '{}', 1) RETURNING id"
        ),
        {"at": event.at},
    ).scalar_one()
    session.execute(
        text(
            "INSERT INTO retention_records (run_id, case_id, reference, case_type, closed_at,"
            " removed) VALUES (:run, :case, :ref, :type, :at, '{}')"
        ),
        {
            "run": run_id,
            "case": case.id,
            "ref": case.reference,
            "type": case.case_type,
            "at": event.at,
        },
    )
    session.execute(
        text(
            "UPDATE case_events SET actor_name = 'Någon annan', trigger = 'close',"
            " to_state = 'closed', comment = '', data = '{}', redacted_at = at WHERE id = :id"
        ),
        {"id": event.id},
    )
    session.expire_all()
    return event


def test_a_forged_purge_does_not_cover_a_rewritten_history(app, world, session):
    case = case_of(session, world, "lex_sarah", "under_investigation")
    session.flush()
    assert verify(app)[0] == 0
    event = _forge_purge(session, case)
    code, output = verify(app)
    assert code == 1
    assert f"case_events: FEL vid rad {event.chain_seq}" in output
    assert "gallringen" in output


def test_a_sealed_row_rewritten_after_a_real_purge_is_found(app, world, session):
    old = old_marked_case(session, world, "lex_sarah")
    session.flush()
    result = app.test_cli_runner().invoke(args=["retention", "run", "--now", "2026-06-01T08:00"])
    assert result.exit_code == 0, result.output
    code, output = verify(app)
    assert code == 0, output
    assert "purge_seals: 1 rader, kedjan är hel." in output

    event = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == old.id).order_by(CaseEvent.chain_seq)
    ).first()
    assert event.redacted_at is not None
    session.execute(
        text("UPDATE case_events SET actor_name = 'Någon annan' WHERE id = :id"), {"id": event.id}
    )
    code, output = verify(app)
    assert code == 1
    assert f"rad {event.chain_seq} är ändrad efter gallringen" in output


def test_a_recorded_head_must_still_be_in_its_chain(app, world, session):
    head = session.get(ChainHead, "admin_events", populate_existing=True)
    recorded = f"admin_events:{head.seq}:{head.link_hash}"
    result = app.test_cli_runner().invoke(args=["audit", "verify", "--expect", recorded])
    assert result.exit_code == 0, result.output

    # The whole chain rewritten from that row on, hashes and head recomputed, still verifies on
    # its own; the recorded head does not match any more.
    as_database_owner(session)
    session.execute(
        text("UPDATE admin_events SET link_hash = :h WHERE chain_seq = :seq"),
        {"h": "0" * 64, "seq": head.seq},
    )
    result = app.test_cli_runner().invoke(args=["audit", "verify", "--expect", recorded])
    assert result.exit_code == 1
    assert f"det registrerade huvudet {recorded} finns inte längre i kedjan" in result.output


def test_postgresql_itself_refuses_to_change_the_trail(app, world, session, is_postgres):
    if not is_postgres:
        pytest.skip("the append-only triggers are PostgreSQL's")
    for sql in ("UPDATE admin_events SET reason = 'x'", "DELETE FROM admin_events"):
        with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
            session.execute(text(sql))
    assert session.scalar(select(func.count(AdminEvent.id))) > 0
