"""References (LS-2026-0007) are gapless per case type and year, also under concurrency."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.db import make_engine
from app.models import Case, CaseEvent, ReferenceCounter, Unit, User
from tests.factories import make_user, new_case, report_data
from workflows.errors import InvalidData
from workflows.records import submit_report
from workflows.references import next_reference

YEAR = datetime.now(UTC).year


def test_references_are_consecutive_per_type_and_year(session, world):
    cases = [new_case(session, world) for _ in range(3)]
    first = cases[0].seq
    assert [c.seq for c in cases] == [first, first + 1, first + 2]
    for case in cases:
        assert re.fullmatch(rf"LS-{YEAR}-\d{{4}}", case.reference)
        assert case.reference == f"LS-{YEAR}-{case.seq:04d}"
        assert case.year == YEAR

    # Other types and other years count on their own.
    assert next_reference(session, "deviation", 2001) == ("AV-2001-0001", 2001, 1)
    assert next_reference(session, "lex_maria", 2001) == ("LM-2001-0001", 2001, 1)
    assert next_reference(session, "lex_sarah", 2001) == ("LS-2001-0001", 2001, 1)
    assert next_reference(session, "deviation", 2001) == ("AV-2001-0002", 2001, 2)
    assert new_case(session, world).seq == first + 3


def test_a_rolled_back_submission_gives_its_number_back(session, world):
    first = new_case(session, world)
    with pytest.raises(RuntimeError), session.begin_nested():  # noqa: PT012
        lost = new_case(session, world)
        assert lost.seq == first.seq + 1
        raise RuntimeError("the request failed after the report was written")
    assert session.scalar(select(Case).where(Case.seq == first.seq + 1)) is None
    assert new_case(session, world).reference == f"LS-{YEAR}-{first.seq + 1:04d}"


def test_an_invalid_report_takes_no_number(session, world):
    first = new_case(session, world)
    with pytest.raises(InvalidData):
        submit_report(session, world.reporter, report_data(world.solgarden, description=""))
    assert new_case(session, world).seq == first.seq + 1


# --- PostgreSQL: real concurrent transactions ----------------------------------------------


def _submit(
    app, url_engine, user_id: int, unit_id: int, barrier: threading.Barrier, commit: bool
) -> tuple[int, bool]:
    """One submission in its own connection and transaction, as one web request would do it."""
    with app.app_context(), Session(url_engine) as session:
        transaction = session.begin()
        user = session.get(User, user_id)
        data = report_data(SimpleNamespace(id=unit_id))
        barrier.wait(timeout=30)
        case = submit_report(session, user, data)
        seq = case.seq
        if commit:
            transaction.commit()
        else:
            transaction.rollback()
    return seq, commit


@pytest.fixture
def committed_org(app, database_url, is_postgres):
    """A unit and a reporter committed for real (outside the test's rolled-back transaction);
    everything the test commits is removed afterwards."""
    if not is_postgres:
        pytest.skip(
            "needs PostgreSQL (row locks between connections): set LEXFLODE_TEST_DATABASE_URL"
        )
    engine = make_engine(database_url, pool_size=12)
    with Session(engine) as session, session.begin():
        counter = session.get(ReferenceCounter, ("lex_sarah", YEAR))
        last_before = counter.last if counter is not None else None
        unit = Unit(name="Samtidighetens enhet", kind="unit")
        unit.legal_areas = ["SoL"]
        session.add(unit)
        user = make_user(session, "concurrent@test.se", ["reporter"])
        session.flush()
        ids = SimpleNamespace(
            unit_id=unit.id, user_id=user.id, engine=engine, last_before=last_before or 0
        )
    yield ids
    with engine.begin() as conn:
        case_ids = select(Case.id).where(Case.unit_id == ids.unit_id).scalar_subquery()
        # History is append-only for the application; a test's own rows are cleaned up below it.
        conn.execute(delete(CaseEvent.__table__).where(CaseEvent.case_id.in_(case_ids)))
        conn.execute(delete(Case.__table__).where(Case.unit_id == ids.unit_id))
        conn.execute(delete(User.__table__).where(User.id == ids.user_id))
        conn.execute(delete(Unit.__table__).where(Unit.id == ids.unit_id))
        counter_key = (ReferenceCounter.case_type == "lex_sarah", ReferenceCounter.year == YEAR)
        if last_before is None:
            conn.execute(delete(ReferenceCounter.__table__).where(*counter_key))
        else:
            conn.execute(
                update(ReferenceCounter.__table__).where(*counter_key).values(last=last_before)
            )
    engine.dispose()


def _run(app, org, commits: list[bool]) -> list[tuple[int, bool]]:
    barrier = threading.Barrier(len(commits))
    with ThreadPoolExecutor(max_workers=len(commits)) as pool:
        futures = [
            pool.submit(_submit, app, org.engine, org.user_id, org.unit_id, barrier, commit)
            for commit in commits
        ]
        return [f.result(timeout=60) for f in futures]


@pytest.mark.postgres
def test_concurrent_submissions_get_distinct_consecutive_numbers(app, committed_org):
    results = _run(app, committed_org, [True] * 8)
    seqs = sorted(seq for seq, _ in results)
    start = committed_org.last_before
    assert seqs == list(range(start + 1, start + 9))

    with Session(committed_org.engine) as session:
        stored = session.scalars(
            select(Case.reference).where(Case.unit_id == committed_org.unit_id).order_by(Case.seq)
        ).all()
    assert stored == [f"LS-{YEAR}-{n:04d}" for n in range(start + 1, start + 9)]


@pytest.mark.postgres
def test_concurrent_rollbacks_leave_no_gaps(app, committed_org):
    commits = [True, False] * 4 + [True, True]
    _run(app, committed_org, commits)
    start = committed_org.last_before
    with Session(committed_org.engine) as session:
        seqs = session.scalars(
            select(Case.seq).where(Case.unit_id == committed_org.unit_id).order_by(Case.seq)
        ).all()
        last = session.get(ReferenceCounter, ("lex_sarah", YEAR)).last
    assert seqs == list(range(start + 1, start + 7))
    assert last == start + 6
