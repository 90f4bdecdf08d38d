"""Benchmark: the sweep's cost follows the due deadlines, not the cases.

    .venv/bin/python bench/sweep.py --url postgresql://postgres@127.0.0.1:5432/test

Builds a scratch database (created and dropped here; SQLite when no --url is given), migrates
it, and bulk-inserts open lex Sarah cases with the two deadlines a report opens — about 1 % of
them overdue. Then, in the same run, it times the bare indexed query for due deadlines and one
real sweep (rolled back afterwards, so each measurement starts from the same rows), at 10,000
and at 100,000 cases, and once more at 100,000 cases with only as many due as at 10,000.

The bulk rows are written with plain INSERTs, clearly apart from the real operations: they are
what ``workflows.deadlines.on_event`` would have written for each report, minus the history and
the notifications nobody reads here. Everything measured is the real code.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, create_engine, func, insert, select, text, update  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from app import create_app  # noqa: E402
from app.models import Case, Deadline, DeadlineRule, Unit, UnitManager, User, UserRole  # noqa: E402
from app.models.deadlines import OPEN_STATUSES  # noqa: E402
from workflows.sweep import sweep  # noqa: E402

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
CHUNK = 10_000


# --- a scratch database ----------------------------------------------------------------------


def scratch_database(url: str | None) -> tuple[str, Any]:
    if not url:
        path = Path(tempfile.mkdtemp()) / "bench.sqlite3"
        return f"sqlite:///{path}", lambda: path.unlink(missing_ok=True)
    base = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"lexflode_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return base.set(database=name).render_as_string(hide_password=False), drop


# --- bulk rows (not the real operations) -----------------------------------------------------


def organisation(engine: Engine) -> list[int]:
    """An administration, ten areas, a hundred units, a manager for each, a SAS; the unit ids."""
    with Session(engine) as session, session.begin():

        def person(email: str, role: str, unit: Unit | None = None) -> None:
            # Nobody logs in to a benchmark: no password hash matches "!".
            user = User(email=email, name=email.split("@")[0], password_hash="!")  # noqa: S106
            user.role_rows = [UserRole(role=role)]
            session.add(user)
            if unit is not None:
                session.flush()
                session.add(UnitManager(unit_id=unit.id, user_id=user.id))

        root = Unit(name="Förvaltningen", kind="administration")
        session.add(root)
        session.flush()
        person("head@bench.se", "manager", root)
        person("sas@bench.se", "sas")
        units: list[int] = []
        for a in range(10):
            area = Unit(name=f"Område {a}", kind="area", parent_id=root.id, legal_areas_csv="SoL")
            session.add(area)
            session.flush()
            person(f"area{a}@bench.se", "manager", area)
            for u in range(10):
                unit = Unit(
                    name=f"Enhet {a}.{u}", kind="unit", parent_id=area.id, legal_areas_csv="SoL"
                )
                session.add(unit)
                session.flush()
                person(f"unit{a}.{u}@bench.se", "manager", unit)
                units.append(unit.id)
        return units


def bulk_cases(engine: Engine, units: list[int], first: int, count: int, due_every: int) -> None:
    """Cases ``first`` … ``first + count - 1``; every ``due_every``-th has its immediate measures
    overdue (reminder, overdue and first escalation due, the second escalation still ahead)."""
    with Session(engine) as session:
        rules = dict(
            session.execute(
                select(DeadlineRule.key, DeadlineRule.id).where(
                    DeadlineRule.case_type == "lex_sarah"
                )
            ).all()
        )
    received = NOW - timedelta(hours=1)
    with engine.begin() as conn:
        for start in range(first, first + count, CHUNK):
            ids = range(start, min(start + CHUNK, first + count))
            conn.execute(
                insert(Case),
                [
                    {
                        "id": i,
                        "case_type": "lex_sarah",
                        "reference": f"LS-2026-{i:06d}",
                        "year": 2026,
                        "seq": i,
                        "state": "submitted",
                        "version": 1,
                        "unit_id": units[i % len(units)],
                        "reporter_name": "Bänk",
                        "received_at": received,
                        "updated_at": received,
                        "description": "Bänkfall.",
                    }
                    for i in ids
                ],
            )
            rows: list[dict[str, Any]] = []
            for i in ids:
                overdue = i % due_every == 0
                begun = NOW - timedelta(hours=30, seconds=i % 3600) if overdue else received
                rows.append(
                    deadline_row(
                        i,
                        rules["immediate_measures"],
                        "immediate_measures",
                        begun,
                        begun + timedelta(hours=24),
                        "manager",
                    )
                )
                rows.append(
                    deadline_row(
                        i,
                        rules["investigation_start"],
                        "investigation_start",
                        received,
                        received + timedelta(days=2),
                        "sas",
                    )
                )
            conn.execute(insert(Deadline), rows)


def deadline_row(
    case_id: int, rule_id: int, key: str, start: datetime, due: datetime, role: str
) -> dict[str, Any]:
    # The first reminder is halfway: where a fresh deadline's next action lies.
    return {
        "case_id": case_id,
        "key": key,
        "rule_id": rule_id,
        "start_at": start,
        "due_at": due,
        "responsible_role": role,
        "status": "open",
        "status_reason": "",
        "escalation_level": 0,
        "next_action_at": start + (due - start) / 2,
        "created_at": start,
    }


# --- measurements ----------------------------------------------------------------------------


def due_query() -> Any:
    return (
        select(Deadline.id)
        .where(Deadline.next_action_at <= NOW, Deadline.status.in_(OPEN_STATUSES))
        .order_by(Deadline.next_action_at, Deadline.id)
        .with_for_update(skip_locked=True)
    )


def measure(engine: Engine, app: Any, label: str, keep_due: int | None = None) -> dict[str, Any]:
    with app.app_context(), Session(engine) as session:
        session.begin()
        if keep_due is not None:
            # Push all but the first ``keep_due`` due deadlines into the future, for this
            # measurement only (rolled back below).
            keep = (
                select(Deadline.id)
                .where(Deadline.next_action_at <= NOW)
                .order_by(Deadline.id)
                .limit(keep_due)
                .scalar_subquery()
            )
            session.execute(
                update(Deadline)
                .where(Deadline.next_action_at <= NOW, Deadline.id.not_in(keep))
                .values(next_action_at=NOW + timedelta(days=30))
            )
        cases = session.scalar(select(func.count()).select_from(Case)) or 0
        deadlines = session.scalar(select(func.count()).select_from(Deadline)) or 0
        bare = []
        for _ in range(5):
            started = time.perf_counter()
            due = len(session.execute(due_query()).all())
            bare.append(time.perf_counter() - started)
        started = time.perf_counter()
        report = sweep(session, NOW)
        session.flush()
        swept = time.perf_counter() - started
        session.rollback()
    return {
        "label": label,
        "cases": cases,
        "deadlines": deadlines,
        "due": due,
        "bare_ms": min(bare) * 1000,
        "sweep_ms": swept * 1000,
        "acts": len(report.acts),
        "notified": report.notified,
    }


def explain(engine: Engine) -> str:
    if engine.dialect.name != "postgresql":
        return ""
    sql = str(due_query().compile(engine, compile_kwargs={"literal_binds": True}))
    with engine.connect() as conn:
        return "\n".join(row[0] for row in conn.execute(text("EXPLAIN " + sql)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--url", help="a PostgreSQL server to make the scratch database on")
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--due-every", type=int, default=100, help="1 in N cases is due (1 %%)")
    args = parser.parse_args()

    url, drop = scratch_database(args.url)
    try:
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "SCHEDULER_EMBEDDED": False})
        engine: Engine = app.extensions["lexflode_engine"]
        with app.app_context():
            from app.cli.db import upgrade

            upgrade()
        units = organisation(engine)
        results = []
        bulk_cases(engine, units, 1, args.small, args.due_every)
        analyze(engine)
        measure(engine, app, "warm-up")  # the first sweep of a process compiles and caches
        small = measure(engine, app, f"{args.small:,} cases")
        results.append(small)
        bulk_cases(engine, units, args.small + 1, args.large - args.small, args.due_every)
        analyze(engine)
        results.append(measure(engine, app, f"{args.large:,} cases"))
        results.append(
            measure(
                engine,
                app,
                f"{args.large:,} cases, due as at {args.small:,}",
                keep_due=small["due"],
            )
        )
        report(engine, results)
        engine.dispose()
    finally:
        drop()


def analyze(engine: Engine) -> None:
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))


def report(engine: Engine, results: list[dict[str, Any]]) -> None:
    print(f"database: {engine.dialect.name}; sweep as of {NOW.isoformat()}")
    print(
        f"{'':38} {'deadlines':>10} {'due':>6} {'bare SQL ms':>12} {'sweep ms':>10} "
        f"{'ratio':>7} {'ms/due':>7}"
    )
    for r in results:
        ratio = r["sweep_ms"] / r["bare_ms"]
        print(
            f"{r['label']:38} {r['deadlines']:>10,} {r['due']:>6,} {r['bare_ms']:>12.2f} "
            f"{r['sweep_ms']:>10.1f} {ratio:>7.0f} {r['sweep_ms'] / max(r['due'], 1):>7.2f}"
        )
        print(f"{'':38} acts {r['acts']:,}, notifications {r['notified']:,}")
    plan = explain(engine)
    if plan:
        print("\nPostgreSQL plan of the due query:\n" + plan)


if __name__ == "__main__":
    main()
