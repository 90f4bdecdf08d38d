"""Archive before purge (DOMAIN.md §9, rev. 2): a case the document management plan keeps is
purged only after its delivery to the e-archive; the run says why it skipped one, and the purge
records the delivery it relied on. Cases the plan purges go as before."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from app.archive.delivery import Destination, deliver_case
from app.audit.verify import verify_all
from app.models import ArchiveDelivery, RetentionRecord, RetentionRun
from tests.archive.support import keep, members

from .support import MARKED_COLUMNS, all_rows, old_marked_case, text_hits

NOW = datetime.now(UTC)


@pytest.fixture
def cases(session, world):
    keep(session, "lex_sarah")
    return {t: old_marked_case(session, world, t) for t in ("lex_sarah", "deviation")}


def invoke(app, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def deliver(app, session, case, tmp_path: Path) -> ArchiveDelivery:
    destination = Destination(folder=tmp_path / "e-arkiv")
    return deliver_case(session, case, NOW, "Test", destination, Path(app.config["UPLOAD_FOLDER"]))


def test_an_undelivered_kept_case_is_skipped_and_says_why(session, cases):
    from workflows.retention import purge

    kept, purged = cases["lex_sarah"], cases["deviation"]

    result = purge(session, NOW, "Test")

    assert [r.case_id for r in result.records] == [purged.id]
    assert [(s.due.case.id, s.reason) for s in result.skipped] == [(kept.id, "not_delivered")]
    session.flush()
    assert [(s.case_id, s.reference, s.reason) for s in result.run.skips] == [
        (kept.id, kept.reference, "not_delivered")
    ]
    assert result.run.case_count == 1
    # The deviation (gallras) lost its content as before; the kept case has all of its own.
    session.expire_all()
    assert (kept.purged_at, purged.purged_at) == (None, NOW)
    assert purged.description == "[gallrad]"
    assert kept.description.startswith("Qxzvmarkör")
    assert set(text_hits(session)) <= set(MARKED_COLUMNS)
    assert "investigations.what_happened" in text_hits(session)


def test_the_dry_run_and_the_report_say_why_a_case_was_skipped(app, session, cases):
    kept, purged = cases["lex_sarah"], cases["deviation"]
    rows = all_rows(session)
    why = (
        "hoppas över: bevaras enligt dokumenthanteringsplanen och är inte levererat till e-arkivet"
    )

    dry = invoke(app, "retention", "run", "--dry-run")

    assert f"{kept.reference}  lex_sarah  avslutat 2018-05-02  {why}" in dry
    assert f"{purged.reference}  deviation  avslutat 2018-05-02  gallras efter 5 år" in dry
    assert "1 ärenden skulle gallras. Provkörning: ingenting har ändrats." in dry
    assert "1 ärenden skulle hoppas över." in dry
    session.expire_all()
    assert all_rows(session) == rows

    out = invoke(app, "retention", "run", "--started-by", "Sara SAS")

    assert f"{kept.reference}  lex_sarah  avslutat 2018-05-02  {why}" in out
    assert f"{purged.reference}  deviation  avslutat 2018-05-02  gallrat:" in out
    assert "1 ärenden gallrade" in out
    assert "1 ärenden hoppades över." in out
    run = session.scalars(select(RetentionRun)).one()
    assert [(s.reference, s.reason) for s in run.skips] == [(kept.reference, "not_delivered")]


def test_a_kept_case_is_purged_once_delivered_and_the_purge_records_the_delivery(
    app, session, cases, tmp_path
):
    from workflows.retention import purge

    kept = cases["lex_sarah"]
    purge(session, NOW, "Test")
    assert kept.purged_at is None

    delivery = deliver(app, session, kept, tmp_path)
    package = (tmp_path / "e-arkiv" / f"{delivery.package_id}.zip").read_bytes()
    result = purge(session, NOW, "Test")

    [record] = result.records
    assert (record.case_id, record.archive_delivery_id) == (kept.id, delivery.id)
    assert result.skipped == []
    session.expire_all()
    assert kept.purged_at == NOW
    assert text_hits(session) == []
    # What the archive received stays as it was, and so does the record of its delivery.
    _root, files = members(package)
    assert b"Qxzv" in files[f"representations/rep1/data/Bilaga_{kept.reference}_2_journal.pdf"]
    assert session.get(ArchiveDelivery, delivery.id).reference == kept.reference
    records = session.scalars(select(RetentionRecord).order_by(RetentionRecord.id)).all()
    assert [(r.case_type, r.archive_delivery_id) for r in records] == [
        ("deviation", None),
        ("lex_sarah", delivery.id),
    ]
    assert all(r.finding is None for r in verify_all(session))


def test_cases_the_plan_purges_go_as_before(session, world):
    from workflows.retention import purge

    case = old_marked_case(session, world, "lex_maria")
    result = purge(session, NOW, "Test")
    assert [(r.case_id, r.archive_delivery_id) for r in result.records] == [(case.id, None)]
    assert (result.skipped, result.run.skips) == ([], [])
