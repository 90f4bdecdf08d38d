"""flask retention run [--dry-run] [--now]: what it lists, what it changes, and that a second
run and `flask audit verify` find nothing to say."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.models import RetentionRun
from tests.factories import case_of

from .support import all_rows, files_in, old_marked_case

NOW = "2026-06-01T08:00"


def invoke(app, *args: str, code: int = 0) -> str:
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture
def cases(session, world):
    old = old_marked_case(session, world, "lex_sarah")
    recent = case_of(session, world, "deviation", "closed")
    session.flush()
    return old, recent


def test_a_dry_run_lists_what_would_go_and_changes_nothing(app, session, cases):
    old, recent = cases
    folder = Path(app.config["UPLOAD_FOLDER"])
    rows, files = all_rows(session), files_in(folder)

    out = invoke(app, "retention", "run", "--dry-run", "--now", NOW)

    assert f"{old.reference}  lex_sarah  avslutat 2018-05-02  gallras efter 5 år" in out
    assert recent.reference not in out
    assert "1 ärenden skulle gallras. Provkörning: ingenting har ändrats." in out
    session.expire_all()
    assert all_rows(session) == rows
    assert files_in(folder) == files


def test_a_run_purges_prints_and_a_second_run_is_a_no_op(app, session, cases):
    old, recent = cases

    out = invoke(app, "retention", "run", "--now", NOW, "--started-by", "Sara SAS")

    assert f"{old.reference}  lex_sarah  avslutat 2018-05-02  gallrat:" in out
    assert "borttagna rader: affected_persons: 2, attachments: 3, stored_documents: 1" in out
    assert "1 ärenden gallrade" in out
    session.expire_all()
    assert (old.purged_at is not None, recent.purged_at) == (True, None)
    rows = all_rows(session)

    again = invoke(app, "retention", "run", "--now", NOW)

    assert "0 ärenden gallrade" in again
    session.expire_all()
    after = all_rows(session)
    # Only the second run itself is new.
    assert {k: v for k, v in after.items() if k != "retention_runs"} == {
        k: v for k, v in rows.items() if k != "retention_runs"
    }
    runs = session.scalars(select(RetentionRun).order_by(RetentionRun.id)).all()
    assert [(r.started_by, r.case_count) for r in runs] == [
        ("Sara SAS", 1),
        (runs[1].started_by, 0),
    ]
    assert runs[1].started_by.startswith("kommandorad")

    assert "kedjan är hel" in invoke(app, "audit", "verify")


def test_a_bad_time_is_refused(app):
    assert "inte en tidpunkt" in invoke(app, "retention", "run", "--now", "snart", code=2)
