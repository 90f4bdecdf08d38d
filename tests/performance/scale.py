"""A database of any size, fast: a dozen cases walked through the real operations, then cloned
row by row with SQLAlchemy Core until there are as many as asked for.

Clones keep every row the pages read (history, deadlines, actions, investigation, decisions …)
with new ids, references and dates further back in time; their history rows are linked into the
hash chain as app.audit.chain would have linked them, so that the chain still verifies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Table, bindparam, func, insert, select, text, update

from app.audit.chain import content_hash, link_hash
from app.models import Base, Case, ReferenceCounter, Unit
from app.models.base import frozen_now
from app.models.cases import REFERENCE_PREFIX
from tests.factories import (
    FILING,
    IVO_RESPONSE,
    World,
    action_for,
    case_of,
    investigation_data,
    make_user,
    make_world,
    report_data,
)
from workflows.engine import fire
from workflows.intake import report_event
from workflows.records import save_investigation, update_action

LONG_AGO = (date.today() - timedelta(days=15)).isoformat()
# The rows of a case that a clone copies, parents before children (deadlines point at actions).
CHILD_TABLES = (
    "affected_persons",
    "actions",
    "immediate_measures",
    "investigations",
    "decisions",
    "filings",
    "ivo_responses",
    "closures",
    "deviation_assessments",
    "patient_information",
    "deadlines",
    "case_events",
)
# Case columns that point at other cases: remapped within one round of clones.
CASE_LINKS = ("origin_case_id", "successor_case_id", "related_case_id")
# CaseEvent.chain_content: what a history row's hash covers.
EVENT_CONTENT = (
    "case_id",
    "at",
    "actor_id",
    "actor_name",
    "actor_role",
    "trigger",
    "from_state",
    "to_state",
    "data",
    "comment",
)
# Clones are dated back from the walked cases, this much per round.
ROUND_STEP = timedelta(hours=7)


@dataclass
class Walked:
    """The walked cases the tests open by name."""

    world: World
    sarah_far: Case  # lex Sarah in follow-up: investigation, actions, a returned decision …
    sarah_open: Case  # lex Sarah under investigation with one action
    maria: Case
    deviation: Case
    from_deviation: Case  # a lex Sarah case converted from a deviation: an origin history
    all: list[Case] = field(default_factory=list)
    twins: dict[int, int] = field(default_factory=dict)


def walk_cases(session: Any) -> Walked:
    """Every type in the states the inboxes and lists hold, by the people who would act."""
    world = make_world(session)
    made: list[Case] = []

    def of(case_type: str, state: str, **kwargs: Any) -> Case:
        case = case_of(session, world, case_type, state, **kwargs)
        made.append(case)
        return case

    # Reported two weeks ago: their first deadlines are past, so overdue filters find them.
    with frozen_now(datetime.now(UTC) - timedelta(days=14)):
        past = {"occurred_on": LONG_AGO, "discovered_on": LONG_AGO}
        of("lex_sarah", "submitted", **past)
        of("deviation", "submitted", **past)
    of("lex_sarah", "awaiting_investigation")
    sarah_open = of(
        "lex_sarah", "under_investigation", unit=world.linden, manager=world.other_manager
    )
    action_for(session, world, sarah_open)
    of("lex_sarah", "awaiting_decision")
    sarah_far = sarah_far_along(session, world)
    made.append(sarah_far)
    of("lex_sarah", "closed", reporter=world.manager)
    maria = of("lex_maria", "under_investigation")
    of("lex_maria", "awaiting_decision")
    deviation = of("deviation", "follow_up")
    of("deviation", "submitted", unit=world.linden, manager=world.other_manager)
    of("deviation", "escalated", legal_area="SoL")
    converted = of("deviation", "converted", legal_area="SoL")
    from_deviation = converted.successor_case
    assert from_deviation is not None
    made.append(from_deviation)
    # One report about both laws: two cases that point to each other.
    made += report_event(
        session,
        world.reporter,
        {**report_data(world.solgarden), "affected": "patient", "report_kind": "both"},
    )
    session.flush()
    return Walked(
        world, sarah_far, sarah_open, maria, deviation, from_deviation, made, twin_units(session)
    )


def twin_units(session: Any) -> dict[int, int]:
    """A second organisation of the same shape, each unit with a manager of its own; half the
    clones are reported there, so that a page of clones names more units than the walked
    cases do. Returns {walked case's unit id: its twin's id}."""
    twins: dict[int, Unit] = {}
    for unit in sorted(session.scalars(select(Unit)).all(), key=lambda u: u.id):
        twin = Unit(name=f"{unit.name} 2", kind=unit.kind, parent=twins.get(unit.parent_id or 0))
        twin.legal_areas = unit.legal_areas
        session.add(twin)
        twins[unit.id] = twin
    session.flush()
    for unit_id, twin in twins.items():
        make_user(session, f"chef{unit_id}@twin.se", ["manager"], [twin])
    return {unit_id: twin.id for unit_id, twin in twins.items()}


def sarah_far_along(session: Any, world: World) -> Case:
    """Investigated, returned by the chair once, decided, filed, answered by IVO; two actions,
    one done."""
    case = case_of(session, world, "lex_sarah", "awaiting_decision")
    fire(session, case, world.chair, "return_to_investigator", {"comment": "Komplettera."})
    save_investigation(session, case, world.sas, investigation_data(happened_before="Ja, 2024."))
    fire(session, case, world.sas, "complete_investigation", {})
    fire(session, case, world.chair, "approve_filing", {"motivation": "Allvarligt."})
    fire(session, case, world.sas, "record_filing", FILING)
    first = action_for(session, world, case)
    action_for(session, world, case)
    done = {"status": "completed", "completed_on": FILING["filed_on"], "effect_achieved": "yes"}
    update_action(session, first, world.manager, done)
    fire(session, case, world.sas, "record_ivo_response", IVO_RESPONSE)
    assert case.state == "follow_up"
    return case


def more_history(session: Any, world: World, case: Case, actions: int) -> None:
    """Grows one case's actions and history (each action is a history row and a deadline)."""
    for _ in range(actions):
        action_for(session, world, case)
    session.flush()


# --- Cloning -------------------------------------------------------------------------------


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def clone_until(
    conn: Connection, templates: list[int], total: int, twins: dict[int, int] | None = None
) -> int:
    """Clones the template cases (by id) round after round until the database holds ``total``
    cases; every other round goes to the ``twins`` of the cases' units. Returns how many were
    added."""
    have = conn.scalar(select(func.count()).select_from(Case.__table__)) or 0
    added, rounds = 0, 0
    source = _load(conn, templates)
    next_seq = {t: _max_seq(conn, t) for t in REFERENCE_PREFIX}
    while have + added < total:
        rounds += 1
        wanted = min(len(templates), total - have - added)
        units = (twins or {}) if rounds % 2 else {}
        added += _clone_round(conn, source, templates[:wanted], rounds, next_seq, units)
    for case_type, seq in next_seq.items():
        _bump_counter(conn, case_type, seq)
    if conn.dialect.name == "postgresql":
        # Rows inserted with their ids leave PostgreSQL's sequences behind.
        for name in ("cases", *CHILD_TABLES):
            conn.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), max(id)) FROM {name}")  # noqa: S608  (table names from this module)
            )
    return added


def _max_seq(conn: Connection, case_type: str) -> int:
    cases = Case.__table__
    return int(
        conn.scalar(select(func.max(cases.c.seq)).where(cases.c.case_type == case_type)) or 0
    )


def _bump_counter(conn: Connection, case_type: str, seq: int) -> None:
    """So that a report submitted afterwards gets the next free number of its year."""
    counters = ReferenceCounter.__table__
    conn.execute(
        update(counters)
        .where(counters.c.case_type == case_type, counters.c.last < seq)
        .values(last=seq)
    )


def _load(conn: Connection, ids: list[int]) -> dict[str, list[dict[str, Any]]]:
    cases = Case.__table__
    rows: dict[str, list[dict[str, Any]]] = {
        "cases": [dict(r._mapping) for r in conn.execute(select(cases).where(cases.c.id.in_(ids)))]
    }
    for name in CHILD_TABLES:
        table = _table(name)
        rows[name] = [
            dict(r._mapping)
            for r in conn.execute(
                select(table).where(table.c.case_id.in_(ids)).order_by(table.c.id)
            )
        ]
    return rows


def _clone_round(
    conn: Connection,
    source: dict[str, list[dict[str, Any]]],
    ids: list[int],
    round_no: int,
    next_seq: dict[str, int],
    units: dict[int, int],
) -> int:
    shift = ROUND_STEP * round_no
    wanted = set(ids)
    new_ids: dict[str, dict[int, int]] = {}
    # Ids are taken from the tables' current maxima, so that links are known before inserting.
    case_rows = [dict(r) for r in source["cases"] if r["id"] in wanted]
    new_ids["cases"] = _allocate(conn, "cases", [r["id"] for r in case_rows])
    for row in case_rows:
        next_seq[row["case_type"]] += 1
        seq = next_seq[row["case_type"]]
        row.update(
            id=new_ids["cases"][row["id"]],
            seq=seq,
            reference=f"{REFERENCE_PREFIX[row['case_type']]}-{row['year']}-{seq:04d}",
            unit_id=units.get(row["unit_id"], row["unit_id"]),
        )
        _shift(row, shift)
    # The links are set once every case of the round is there (the database checks each).
    links = [
        {"new_id": row["id"], **{k: new_ids["cases"].get(row[k]) for k in CASE_LINKS}}
        for row in case_rows
        if any(row[k] for k in CASE_LINKS)
    ]
    conn.execute(insert(Case.__table__), [{**r, **dict.fromkeys(CASE_LINKS)} for r in case_rows])
    if links:
        cases = Case.__table__
        conn.execute(
            update(cases)
            .where(cases.c.id == bindparam("new_id"))
            .values({k: bindparam(k) for k in CASE_LINKS}),
            links,
        )
    for name in CHILD_TABLES:
        rows = [dict(r) for r in source[name] if r["case_id"] in wanted]
        if not rows:
            continue
        new_ids[name] = _allocate(conn, name, [r["id"] for r in rows])
        for row in rows:
            row["id"] = new_ids[name][row["id"]]
            row["case_id"] = new_ids["cases"][row["case_id"]]
            if name == "deadlines" and row["action_id"] is not None:
                row["action_id"] = new_ids["actions"][row["action_id"]]
            _shift(row, shift)
        if name == "case_events":
            _chain(conn, rows)
        conn.execute(insert(_table(name)), rows)
    return len(case_rows)


def _allocate(conn: Connection, name: str, old: list[int]) -> dict[int, int]:
    table = _table(name)
    start = int(conn.scalar(select(func.max(table.c.id))) or 0)
    return {o: start + i for i, o in enumerate(old, 1)}


def _shift(row: dict[str, Any], delta: timedelta) -> None:
    """Moves every moment and date of a cloned row back by ``delta`` (whole days for dates)."""
    for key, value in row.items():
        if isinstance(value, datetime):
            row[key] = value - delta
        elif isinstance(value, date):
            row[key] = value - timedelta(days=delta.days)


def _chain(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Links cloned history rows into the chain, as app.audit.chain does for ORM rows."""
    head = conn.execute(
        text("SELECT seq, link_hash FROM audit_chain_heads WHERE chain = 'case_events'")
    ).one()
    seq, previous = int(head.seq), str(head.link_hash)
    for row in sorted(rows, key=lambda r: r["id"]):
        seq += 1
        content = {k: row[k] for k in EVENT_CONTENT}
        row["chain_seq"] = seq
        row["content_hash"] = content_hash(content)
        row["link_hash"] = previous = link_hash(seq, previous, row["content_hash"])
    conn.execute(
        text(
            "UPDATE audit_chain_heads SET seq = :seq, link_hash = :link WHERE chain = 'case_events'"
        ),
        {"seq": seq, "link": previous},
    )
