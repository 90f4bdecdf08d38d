"""What the database holds, read with plain SQL before the run: the demo users are there, how
many cases, and the ids the scenarios use."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import psycopg
from bare_sql import psycopg_url
from client import BenchError
from scenarios import Sample

PASSWORD = "lexflode-demo"  # noqa: S105  (the demo users' published password, app/cli/demo.py)
USERS = {
    "sas": "sas@exempelby.se",
    "manager": "enhetschef@exempelby.se",
    "reporter": "medarbetare@exempelby.se",
    "mas": "mas@exempelby.se",
    "chair": "ordforande@exempelby.se",
}
# Where a lex Sarah case has its decision to file, so that its IVO report exists.
PDF_STATES = ("awaiting_filing", "filed", "follow_up", "closed")


@dataclass
class Facts:
    database: str
    pg_version: str
    per_type: dict[str, int]
    sample: Sample
    # A unit the demo manager manages: reports go there, so that the manager can act on them.
    report_unit: int

    @property
    def cases(self) -> int:
        return sum(self.per_type.values())


def spread(ids: Sequence[int], count: int) -> list[int]:
    """``count`` ids evenly spaced over ``ids`` (old to new), the first and last included."""
    if len(ids) <= count:
        return list(ids)
    step = (len(ids) - 1) / max(count - 1, 1)
    return [ids[round(i * step)] for i in range(count)]


def read(database_url: str, sample: int) -> Facts:
    try:
        with psycopg.connect(psycopg_url(database_url), connect_timeout=10) as conn:
            return _read(conn, database_url, sample)
    except psycopg.Error as error:
        raise BenchError(
            f"cannot read the database ({error}); is it migrated and seeded?"
        ) from error


def _read(conn: psycopg.Connection, database_url: str, sample: int) -> Facts:
    found = {
        email
        for (email,) in conn.execute(
            "SELECT lower(email) FROM users WHERE active AND lower(email) = ANY(%s)",
            [list(USERS.values())],
        )
    }
    missing = sorted(set(USERS.values()) - found)
    if missing:
        raise BenchError(
            f"the demo users are missing ({', '.join(missing)}): run `flask demo seed` "
            "against this database first"
        )
    version = conn.execute("SHOW server_version").fetchone()
    per_type = {
        str(t): int(n)
        for t, n in conn.execute("SELECT case_type, count(*) FROM cases GROUP BY case_type")
    }
    sarah = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM cases WHERE case_type = 'lex_sarah' ORDER BY received_at, id"
        )
    ]
    if not sarah:
        raise BenchError("no lex Sarah case in the database: run `flask demo generate` first")
    pdf = [
        r[0]
        for r in conn.execute(
            "SELECT c.id FROM cases c WHERE c.case_type = 'lex_sarah' AND c.state = ANY(%s)"
            " AND EXISTS (SELECT 1 FROM decisions d WHERE d.case_id = c.id"
            " AND d.outcome = 'approve_filing') ORDER BY c.received_at, c.id",
            [list(PDF_STATES)],
        )
    ]
    # Lex Sarah is about SoL and LSS: such a unit first.
    report_unit = conn.execute(
        "SELECT u.id FROM units u JOIN unit_managers m ON m.unit_id = u.id"
        " JOIN users p ON p.id = m.user_id WHERE lower(p.email) = %s AND u.kind = 'unit'"
        " AND u.active ORDER BY (u.legal_areas LIKE '%%SoL%%' OR u.legal_areas LIKE '%%LSS%%')"
        " DESC, u.id LIMIT 1",
        [USERS["manager"]],
    ).fetchone()
    if report_unit is None:
        raise BenchError(f"{USERS['manager']} manages no unit: run `flask demo seed` first")
    # The unit with the most lex Sarah cases, for the case list filtered by unit.
    list_unit = conn.execute(
        "SELECT unit_id FROM cases WHERE case_type = 'lex_sarah' GROUP BY unit_id"
        " ORDER BY count(*) DESC, unit_id LIMIT 1"
    ).fetchone()
    return Facts(
        database=urlsplit(database_url).path.lstrip("/"),
        pg_version=version[0] if version else "?",
        per_type=per_type,
        sample=Sample(
            case_ids=spread(sarah, sample),
            pdf_ids=spread(pdf, sample),
            list_unit=list_unit[0] if list_unit else None,
        ),
        report_unit=report_unit[0],
    )
