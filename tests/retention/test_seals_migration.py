"""History purged before purge seals existed: the migration that brings them seals it as it
stands, so an upgraded installation still verifies, and a purged row changed after the upgrade
is found."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from app import db
from app.cli.db import alembic_config
from tests.factories import make_world

from .support import old_marked_case


def verify(app) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    # The command's session would keep SQLite's read lock until the next request.
    db.session().close()
    return result.exit_code, result.output


def test_the_migration_seals_history_purged_before_it(own_app):
    session = db.session()
    old = old_marked_case(session, make_world(session), "lex_sarah")
    session.commit()
    case_id = old.id
    run = own_app.test_cli_runner().invoke(args=["retention", "run", "--now", "2026-06-01T08:00"])
    assert run.exit_code == 0, run.output
    session.close()

    # Back to before the seals (their tables go), and up again.
    with db.get_engine().begin() as conn:
        command.downgrade(alembic_config(conn), "a15d00000001")
    with db.get_engine().begin() as conn:
        command.upgrade(alembic_config(conn), "head")

    code, output = verify(own_app)
    assert code == 0, output
    assert "purge_seals: 1 rader, kedjan är hel." in output

    with db.get_engine().begin() as conn:
        seq = conn.execute(
            text("SELECT min(chain_seq) FROM case_events WHERE case_id = :id"), {"id": case_id}
        ).scalar_one()
        conn.execute(
            text("UPDATE case_events SET actor_role = 'admin' WHERE chain_seq = :seq"), {"seq": seq}
        )
    code, output = verify(own_app)
    assert code == 1
    assert f"rad {seq} är ändrad efter gallringen" in output
