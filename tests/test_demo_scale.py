"""flask demo generate --cases N --units M: walked cases cloned in bulk to national scale."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from app import db
from app.audit.verify import verify_all
from app.cli.demo_scale import SCALE_DOMAIN
from app.models import Case, CaseEvent, Deadline, Unit, User
from app.models.audit import AccessLogEntry
from app.models.deadlines import OPEN_STATUSES
from tests.factories import report_data
from workflows.records import submit_report
from workflows.workdays import STOCKHOLM

CASES = 300
UNITS = 12


@pytest.fixture
def scaled(own_app: Flask, monkeypatch: pytest.MonkeyPatch) -> Flask:
    from tests.factories import _password_hash

    monkeypatch.setattr("app.cli.users.hash_password", lambda _password: _password_hash())
    monkeypatch.setattr("app.cli.demo_scale.hash_password", lambda _password: _password_hash())
    monkeypatch.setattr("app.documents.store.render_document", lambda _case, _kind: b"%PDF-")
    year = datetime.now(UTC).year
    args = ["demo", "generate", "--years", str(year), "--profile", "tiny", "--seed", "3"]
    result = own_app.test_cli_runner().invoke(
        args=[*args, "--cases", str(CASES), "--units", str(UNITS)]
    )
    assert result.exit_code == 0, result.output
    assert f"{CASES} ärenden och {UNITS} enheter" in result.output
    db.session().close()
    return own_app


def clones() -> list[Case]:
    scale_users = select(User.id).where(User.email.like(f"%@{SCALE_DOMAIN}"))
    return list(db.session().scalars(select(Case).where(Case.reporter_id.in_(scale_users))))


def test_clones_are_many_valid_and_chained(scaled: Flask) -> None:
    session = db.session()
    cases = clones()
    # A group of linked cases is cloned whole, so the last one may overshoot by its size.
    assert CASES <= len(cases) <= CASES + 2
    assert {c.case_type for c in cases} == {"deviation", "lex_sarah", "lex_maria"}
    assert sum(c.case_type == "deviation" for c in cases) > len(cases) / 2
    assert any(c.state == "closed" for c in cases)
    assert any(c.state != "closed" for c in cases)
    units = set(session.scalars(select(Unit.id).where(Unit.kind == "unit")).all())
    assert {c.unit_id for c in cases} <= units
    assert (
        session.scalar(select(func.count()).select_from(Unit).where(Unit.kind == "unit")) >= UNITS
    )
    # Spread over years, each reference numbered within its own year.
    assert len({c.year for c in cases}) >= 5
    for case in cases:
        assert case.year == case.received_at.astimezone(STOCKHOLM).year
        assert case.reference.endswith(f"-{case.year}-{case.seq:04d}")
    # Every clone carries its history, shifted with it; nothing lies in the future.
    now = datetime.now(UTC)
    for case in cases:
        moments = [e.at for e in case.events]
        assert moments
        assert min(moments) >= case.received_at - timedelta(days=1)
        assert max(moments) <= now
    links = [c for c in cases if c.origin_case_id or c.successor_case_id]
    for case in links:
        other = session.get(Case, case.origin_case_id or case.successor_case_id)
        assert other is not None
        assert other.reporter_id == case.reporter_id
    # The clock has swept all along: no open deadline is waiting for an act in the past.
    stale = session.scalar(
        select(func.count())
        .select_from(Deadline)
        .where(
            Deadline.status.in_(OPEN_STATUSES), Deadline.next_action_at < now - timedelta(hours=1)
        )
    )
    assert stale == 0
    reads = session.scalar(
        select(func.count())
        .select_from(AccessLogEntry)
        .where(AccessLogEntry.case_id.in_([c.id for c in cases]))
    )
    assert reads >= len(cases)
    assert session.scalar(select(func.count()).select_from(CaseEvent)) > len(cases) * 2
    assert all(result.finding is None for result in verify_all(session)), verify_all(session)


def test_real_operations_carry_on_after_the_bulk_load(scaled: Flask) -> None:
    client = scaled.test_client()
    assert client.post("/login", data={"email": "sas@exempelby.se", "password": "password"})
    clone = next(c for c in clones() if c.case_type == "lex_sarah")
    case_id, reference = clone.id, clone.reference
    db.session().close()  # the request writes the access log; SQLite has one writer
    page = client.get(f"/arenden/{case_id}")
    assert page.status_code == 200
    assert reference in page.get_data(as_text=True)
    # A new report gets the next number of its year: the counters moved with the bulk load.
    year = datetime.now(UTC).astimezone(STOCKHOLM).year
    last = db.session().scalar(
        select(func.max(Case.seq)).where(Case.case_type == "lex_sarah", Case.year == year)
    )
    session = db.session()
    reporter = session.scalar(select(User).where(User.email == "medarbetare@exempelby.se"))
    unit = session.scalar(select(Unit).where(Unit.name == "Gruppbostaden Linden"))
    case = submit_report(session, reporter, report_data(unit), case_type="lex_sarah")
    session.commit()
    assert case.reference == f"LS-{year}-{last + 1:04d}"
    assert all(result.finding is None for result in verify_all(session))
