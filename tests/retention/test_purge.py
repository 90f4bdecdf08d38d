"""A retention run (gallring, DOMAIN.md §9) over cases walked by the real operations: what it
removes, what it keeps, whom it leaves alone, and that the history still verifies."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text

from app.audit.verify import verify_all
from app.models import (
    AffectedPerson,
    Attachment,
    Base,
    Case,
    CaseEvent,
    RetentionRecord,
    StoredDocument,
    set_setting,
)
from app.models.base import frozen_now
from app.models.cases import CASE_TYPES
from app.statistics.queries import compute
from tests.factories import case_of, walk_to
from workflows.retention import PLACEHOLDER, due_for_retention, purge
from workflows.workdays import STOCKHOLM

from .support import MARKED_COLUMNS, OLD, files_in, old_marked_case, text_hits

NOW = datetime.now(UTC)


@pytest.fixture
def old_cases(session, world) -> dict[str, Case]:
    # Complaints have their own purge test (tests/complaints/test_complaint_retention.py).
    return {t: old_marked_case(session, world, t) for t in CASE_TYPES if t != "complaint"}


def count(session, model, case_id: int) -> int:
    return len(session.scalars(select(model.id).where(model.case_id == case_id)).all())


def case_rows(session, case_ids: set[int]) -> dict[str, list[tuple]]:
    """Every row that belongs to these cases, in every table that points at a case."""
    session.flush()
    session.expire_all()
    rows = {}
    for table in Base.metadata.sorted_tables:
        key = table.c.id if table.name == "cases" else table.c.get("case_id")
        if key is not None:
            query = table.select().where(key.in_(case_ids)).order_by(*table.primary_key.columns)
            rows[table.name] = [tuple(r) for r in session.execute(query)]
    return rows


def test_a_run_removes_every_personal_detail_and_free_text(app, session, world, old_cases):
    folder = Path(app.config["UPLOAD_FOLDER"])
    assert text_hits(session) == sorted(MARKED_COLUMNS)
    assert sum(b"Qxzv" in content for content in files_in(folder).values()) == 9

    purged = purge(session, NOW, "Test Testsson")

    assert {r.case_id for r in purged.records} == {c.id for c in old_cases.values()}
    assert text_hits(session) == []
    assert files_in(folder) == {}
    session.expire_all()
    for case in old_cases.values():
        assert case.purged_at == NOW
        assert case.description == PLACEHOLDER
        assert (case.reporter_id, case.reporter_name, case.location) == (
            None,
            PLACEHOLDER,
            PLACEHOLDER,
        )
        for model in (AffectedPerson, Attachment, StoredDocument):
            assert count(session, model, case.id) == 0, model
        events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)).all()
        assert events
        assert {(e.comment, str(e.data), e.redacted_at) for e in events} == {("", "{}", NOW)}


def test_what_the_statistics_count_is_kept(session, world, old_cases):
    case_of(session, world, "lex_sarah", "closed")  # this year's, not purged
    session.flush()
    before = {year: compute(session, year, NOW) for year in (OLD.year, NOW.year)}
    old_reports = before[OLD.year].table("reports").rows
    assert sum(row.values[-1] for row in old_reports) == 3

    purge(session, NOW, "Test")
    session.flush()
    session.expire_all()

    assert {year: compute(session, year, NOW) for year in (OLD.year, NOW.year)} == before
    kept = old_cases["lex_sarah"]
    assert kept.investigation.event_types == ["care_support_service_failure"]
    assert (kept.investigation.severity, kept.investigation.proposed_grade) == (
        3,
        "serious_misconduct",
    )
    assert kept.filings[0].channel == "e_service"
    assert kept.ivo_responses[0].outcome == "closed_duty_fulfilled"
    assert old_cases["deviation"].assessment.category.name == "Fall"


def test_open_and_recently_closed_cases_are_left_alone(session, world, old_cases):
    recent = case_of(session, world, "deviation", "closed")
    still_open = case_of(session, world, "lex_sarah", "follow_up")
    with frozen_now(OLD):
        # Open since long ago: retention counts from closing, so it is never due.
        open_long = case_of(session, world, "lex_maria", "under_investigation")
    untouched = {recent.id, still_open.id, open_long.id}
    before = case_rows(session, untouched)

    purged = purge(session, NOW, "Test")

    assert {r.case_id for r in purged.records} == {c.id for c in old_cases.values()}
    assert case_rows(session, untouched) == before


def test_each_case_type_has_its_own_limit(session, world, old_cases):
    set_setting(session, "retention.lex_maria", 50)
    due = due_for_retention(session, NOW)
    assert {d.case.case_type: d.years for d in due} == {"lex_sarah": 5, "deviation": 5}

    purged = purge(session, NOW, "Test")

    assert purged.run.limits == {
        "lex_sarah": 5,
        "lex_maria": 50,
        "deviation": 5,
        "complaint": 5,
    }
    assert old_cases["lex_maria"].purged_at is None
    assert count(session, AffectedPerson, old_cases["lex_maria"].id) == 2


def test_a_case_that_changed_type_goes_with_the_case_it_became(session, world):
    with frozen_now(OLD):
        converted = case_of(session, world, "deviation", "converted")
        walk_to(session, world, converted.successor_case, "closed")
        pending = case_of(session, world, "deviation", "converted")
    due = {d.case.id: d.ended_at for d in due_for_retention(session, NOW)}
    # The deviation's report lived on in the lex Sarah case until that one closed.
    assert due == {
        converted.id: converted.successor_case.closed_at,
        converted.successor_case.id: converted.successor_case.closed_at,
    }
    assert {pending.id, pending.successor_case.id}.isdisjoint(due)


def test_the_run_is_recorded_without_the_content(session, world, old_cases):
    purged = purge(session, NOW, "Test Testsson")
    session.flush()

    assert (purged.run.started_by, purged.run.case_count, purged.run.at) == (
        "Test Testsson",
        3,
        NOW,
    )
    record = next(r for r in purged.records if r.case_type == "lex_sarah")
    case = old_cases["lex_sarah"]
    assert (record.reference, record.closed_at) == (case.reference, case.closed_at)
    assert record.removed["rows"] == {
        "affected_persons": 2,
        "attachments": 3,
        "stored_documents": 1,
    }
    assert {"description", "location", "reporter_actions", "reporter_name", "reporter_id"} <= set(
        record.removed["fields"]["cases"]
    )
    assert {"what_happened", "grade_motivation", "item_authors"} <= set(
        record.removed["fields"]["investigations"]
    )
    assert set(record.removed["fields"]) >= {
        "immediate_measures",
        "actions",
        "decisions",
        "ivo_responses",
        "feedback",
    }
    assert record.removed["history_rows"] == count(session, CaseEvent, case.id)
    maria = next(r for r in purged.records if r.case_type == "lex_maria")
    assert set(maria.removed["fields"]["patient_information"]) == {
        "informed_by",
        "recipient_name",
        "patient_account",
    }


def test_a_second_run_finds_nothing(session, world, old_cases):
    purge(session, NOW, "Test")
    again = purge(session, NOW, "Test")
    assert (again.records, again.run.case_count) == ([], 0)
    assert due_for_retention(session, NOW) == []


def test_the_history_still_verifies_and_a_redaction_needs_its_seal(session, world, old_cases):
    purge(session, NOW, "Test")
    session.flush()
    results = {r.chain: r for r in verify_all(session)}
    assert all(r.finding is None for r in results.values())
    assert results["purge_seals"].rows == len(old_cases)

    # The retention records are no warrant: without them the sealed rows still verify.
    session.execute(delete(RetentionRecord).where(RetentionRecord.case_type == "lex_sarah"))
    assert all(r.finding is None for r in verify_all(session))

    # Without the purge's seal on its chain, the emptied rows are tampering.
    seals = Base.metadata.tables["purge_seals"]
    if session.connection().dialect.name == "postgresql":
        # Its trigger refuses a DELETE but to the database's owner.
        session.execute(text("SET LOCAL session_replication_role = replica"))
    session.execute(delete(seals).where(seals.c.case_id == old_cases["lex_sarah"].id))
    findings = {r.chain: r.finding for r in verify_all(session) if r.finding is not None}
    assert set(findings) == {"case_events", "purge_seals"}
    assert findings["case_events"].problem == "changed"
    assert "gallringen" in findings["case_events"].message


def test_the_case_page_says_the_case_was_purged(client, auth, session, world, old_cases):
    purge(session, NOW, "Test")
    session.flush()
    for case_type, case in old_cases.items():
        auth.login(world.mas.email if case_type == "lex_maria" else world.sas.email)
        response = client.get(f"/arenden/{case.id}")
        html = response.get_data(as_text=True)
        assert response.status_code == 200, case_type
        day = NOW.astimezone(STOCKHOLM).date().isoformat()
        assert f"Ärendet är gallrat {day} enligt dokumenthanteringsplanen." in html
        assert "Qxzv" not in html
        auth.logout()


def test_a_purged_case_cannot_be_reopened(session, world, old_cases):
    from workflows.engine import fire
    from workflows.errors import WorkflowError

    purge(session, NOW, "Test")
    case = old_cases["lex_sarah"]
    with pytest.raises(WorkflowError) as refused:
        fire(session, case, world.sas, "reopen", {"comment": "Ny uppgift."})
    assert "gallrat" in str(refused.value.field_errors)
    assert case.state == "closed"
