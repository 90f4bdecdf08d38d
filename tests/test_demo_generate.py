"""flask demo generate: a year of cases, dated in that year, walked by the real operations."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.cli.demo_texts import all_texts
from app.models import Case, CaseEvent
from workflows.registry import flow_for
from workflows.workdays import STOCKHOLM

YEAR = date.today().year - 1


@pytest.fixture
def generate(app, monkeypatch):  # type: ignore[no-untyped-def]
    # A strong password hash per demo user would dominate the test's time.
    from tests.factories import _password_hash

    monkeypatch.setattr("app.cli.users.hash_password", lambda _password: _password_hash())
    # So would rendering each completed investigation's PDF (tested with the documents).
    monkeypatch.setattr("app.documents.store.render_document", lambda _case, _kind: b"%PDF-")
    runner = app.test_cli_runner()

    def run(*extra: str) -> str:
        args = ["demo", "generate", "--years", str(YEAR), "--profile", "tiny", "--seed", "5"]
        result = runner.invoke(args=[*args, *extra])
        assert result.exit_code == 0, result.output
        return result.output

    return run


def generated(session) -> list[Case]:  # type: ignore[no-untyped-def]
    session.expire_all()
    return list(session.scalars(select(Case).where(Case.description.in_(all_texts()))))


def test_a_year_of_cases_in_every_state_once(session, generate):
    generate("--if-empty")
    cases = generated(session)
    for case_type in ("deviation", "lex_sarah", "lex_maria"):
        states = {c.state for c in cases if c.case_type == case_type}
        assert states == set(flow_for(case_type).states), case_type
    assert {c.received_at.astimezone(STOCKHOLM).year for c in cases} == {YEAR}
    events = dict(
        session.execute(select(CaseEvent.case_id, func.count()).group_by(CaseEvent.case_id)).all()
    )
    for case in cases:
        # The report itself, and one row per step after it.
        assert events.get(case.id, 0) >= (1 if case.state == "submitted" else 2), case.reference
        moments = [e.at for e in case.events]
        assert min(moments) >= case.received_at
        if case.state == "closed":
            # Walked over weeks, not in one instant.
            assert max(moments) - min(moments) > timedelta(days=7), case.reference
    numbers: dict[tuple[str, int], list[int]] = defaultdict(list)
    for reference in session.scalars(select(Case.reference)):
        prefix, year, seq = reference.split("-")
        numbers[prefix, int(year)].append(int(seq))
    assert (prefix_year := ("AV", YEAR)) in numbers, prefix_year
    for key, seqs in numbers.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), key

    # Generated data already there: --if-empty adds nothing.
    count = len(cases)
    assert "finns redan" in generate("--if-empty")
    assert len(generated(session)) == count
