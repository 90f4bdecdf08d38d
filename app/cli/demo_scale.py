"""flask demo generate --cases N --units M: national-scale data for the benchmark (issue 8).

This is a bulk path, kept apart from the real operations on purpose: walking a million cases
through ``workflows.engine.fire`` would take days. Instead the cases that the ordinary demo
generator walked through the real operations (the prototypes; walked here first if there are
none) are cloned: each clone copies one prototype, or a group of linked prototypes (a deviation
and the lex Sarah case it was converted to), with every row that belongs to it — history,
deadlines and their journal, investigation, measures, actions, decisions, filings, closures, feedback,
assessment, patient information, affected persons, notifications — shifted in time by whole
weeks (weekdays stay weekdays), moved to one of the generated units and given its own reference.
So every clone is a state the real operations can reach, and every CHECK constraint holds.

History and the access log are hash chains: each clone's rows are linked onto the chain with
``app.audit.chain`` and the chain heads moved on, so ``flask audit verify`` accepts the result.
Read access is synthesised: a few case-page and list reads per case, by the people who worked it.

Rows go in with COPY on PostgreSQL and with executemany elsewhere, one transaction per chunk.
"""

from __future__ import annotations

import json
import random
import secrets
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import click
from sqlalchemy import Column, Connection, Date, Table, func, select, text
from sqlalchemy.orm import Session

from app import db
from app.audit.chain import content_hash, link_hash
from app.auth.passwords import hash_password
from app.models import Case, CaseEvent, Unit, User, UserRole
from app.models.audit import AccessLogEntry
from app.models.base import Base, UTCDateTime
from app.models.cases import REFERENCE_PREFIX
from app.models.deadlines import OPEN_STATUSES
from workflows.workdays import STOCKHOLM

# Per case type, the share of generated cases (DOMAIN.md §10: tens of thousands of lex Sarah
# reports a year nationally against hundreds of thousands of deviations; lex Maria is rarer).
TYPE_MIX = {"deviation": 0.80, "lex_sarah": 0.16, "lex_maria": 0.04}
# Open cases are the recent ones: about two months' worth of a decade, plus the slow ones.
OPEN_SHARE = 0.03
YEARS = 10
CHUNK = 5_000
# Reads of a case's page by the people who work it, and list rows, per case.
READS_PER_CASE = (1, 6)

# The rows that belong to a case, parents before children. attachments and stored documents
# carry files and PDFs that a clone does not need; retention records belong to purges.
CHILD_TABLES = (
    "case_events",
    "affected_persons",
    "deviation_assessments",
    "immediate_measures",
    "investigations",
    "patient_information",
    "actions",
    "decisions",
    "filings",
    "ivo_responses",
    "closures",
    "feedback",
    "deadlines",
    "deadline_acts",
    "notifications",
)
CASE_LINKS = ("origin_case_id", "successor_case_id", "related_case_id")
USER_COLUMNS = {
    "cases": ("reporter_id", "investigator_id"),
    "case_events": ("actor_id",),
    "deviation_assessments": ("assessed_by_id",),
    "immediate_measures": ("recorded_by_id",),
    "investigations": ("started_by_id",),
    "patient_information": ("recorded_by_id",),
    "actions": ("owner_id", "created_by_id"),
    "decisions": ("decider_id",),
    "filings": ("recorded_by_id",),
    "ivo_responses": ("recorded_by_id",),
    "closures": ("closed_by_id",),
    "feedback": ("recorded_by_id",),
    "deadlines": ("responsible_user_id",),
    "notifications": ("user_id",),
}
# Foreign keys between cloned rows other than case_id.
ROW_LINKS = {
    "deadlines": {"action_id": "actions"},
    "deadline_acts": {"deadline_id": "deadlines"},
    "notifications": {"deadline_id": "deadlines"},
}

MUNICIPALITY_PARTS = (
    ("Norr", "Söder", "Öster", "Väster", "Sjö", "Berg", "Skog", "Ljung", "Ek", "Björk", "Lind"),
    ("vik", "by", "köping", "å", "hamn", "ås", "sala", "berga", "näs", "holm", "torp"),
)
# (area, legal areas, kinds of unit under it): the shape of a municipality's care.
AREAS = (
    ("Äldreomsorg", "SoL,HSL", ("Särskilt boende", "Hemtjänst")),
    ("Funktionsstöd", "LSS", ("Gruppbostad", "Daglig verksamhet")),
    ("Individ- och familjeomsorg", "SoL", ("Boendestöd",)),
    ("Hälso- och sjukvård", "HSL", ("Hemsjukvård",)),
)
SCALE_DOMAIN = "skala.invalid"


@dataclass
class Workplace:
    unit_id: int
    manager_id: int
    reporter_ids: list[int]


@dataclass
class Group:
    """Prototype cases linked to each other, cloned together."""

    case_ids: list[int]
    case_type: str
    open: bool
    start: datetime
    end: datetime


@dataclass
class Prototypes:
    groups: dict[tuple[str, bool], list[Group]]
    cases: dict[int, dict[str, Any]]
    rows: dict[str, dict[int, list[dict[str, Any]]]]
    # manager and reporter ids among the prototypes' people, replaced per clone
    managers: set[int]
    reporters: set[int]


@dataclass
class Counters:
    ids: dict[str, int]
    refs: dict[tuple[str, int], int]
    chains: dict[str, tuple[int, str]]
    names: dict[int, str] = field(default_factory=dict)


# --- tables -------------------------------------------------------------------------------------


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _time_columns(table: Table) -> tuple[list[str], list[str]]:
    moments = [c.name for c in table.columns if isinstance(c.type, UTCDateTime)]
    dates = [c.name for c in table.columns if isinstance(c.type, Date)]
    return moments, dates


class Sink:
    """Writes rows of one table at a time: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.copy = conn.dialect.name == "postgresql"
        if conn.dialect.name == "sqlite":
            # Linked cases point both ways; PostgreSQL checks a COPY's keys at its end.
            conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")

    def write(self, name: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        table = _table(name)
        rows = _with_defaults(table, rows)
        if not self.copy:
            self.conn.execute(table.insert(), rows)
            return
        columns = [c for c in table.columns if c.name in rows[0]]
        names = ", ".join(f'"{c.name}"' for c in columns)
        convert = [_copy_value(c) for c in columns]
        cursor = self.conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY {name} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([f(row[c.name]) for f, c in zip(convert, columns, strict=True)])


def _with_defaults(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """COPY applies no Python-side column defaults; fill them in as the ORM would."""
    missing = [c for c in table.columns if c.name not in rows[0] and c.default is not None]
    if not missing:
        return rows
    values = {
        c.name: c.default.arg if c.default.is_scalar else c.default.arg(None)  # type: ignore[union-attr]
        for c in missing
    }
    return [{**values, **row} for row in rows]


def _copy_value(column: Column[Any]) -> Any:
    if column.type.__class__.__name__ == "JSON":
        return lambda v: None if v is None else json.dumps(v, ensure_ascii=False)
    return lambda v: v


# --- the people and places of a nation ----------------------------------------------------------


def _municipality_names(count: int, rng: random.Random) -> list[str]:
    combos = [a + b for a in MUNICIPALITY_PARTS[0] for b in MUNICIPALITY_PARTS[1]]
    rng.shuffle(combos)
    return [
        combos[i % len(combos)] + ("" if i < len(combos) else f" {i // len(combos) + 1}")
        for i in range(count)
    ]


def add_units(session: Session, count: int, rng: random.Random) -> list[Workplace]:
    """``count`` units in municipalities of about seven units each: administration → area →
    unit, one manager per area, two reporters per unit. Users get an unknown random password."""
    conn = session.connection()
    password = hash_password(secrets.token_urlsafe(24))
    start = (session.scalar(select(func.max(Unit.id))) or 0) + 1
    user_start = (session.scalar(select(func.max(User.id))) or 0) + 1
    units: list[dict[str, Any]] = []
    users: list[dict[str, Any]] = []
    roles: list[dict[str, Any]] = []
    managed: list[dict[str, Any]] = []
    places: list[Workplace] = []
    ids = {"unit": start, "user": user_start}

    def unit(name: str, kind: str, parent: int | None, areas: str) -> int:
        uid = ids["unit"]
        ids["unit"] += 1
        units.append(
            {"id": uid, "name": name, "kind": kind, "parent_id": parent, "legal_areas": areas}
        )
        return uid

    def user(email: str, name: str, title: str, role: str) -> int:
        uid = ids["user"]
        ids["user"] += 1
        users.append(
            {"id": uid, "email": email, "name": name, "title": title, "password_hash": password}
        )
        roles.append({"user_id": uid, "role": role})
        return uid

    made = 0
    for m, town in enumerate(_municipality_names(-(-count // 7), rng)):
        if made >= count:
            break
        admin = unit(f"Vård- och omsorgsförvaltningen {town}", "administration", None, "")
        for a, (area_name, areas, kinds) in enumerate(AREAS):
            area = unit(f"{area_name} {town}", "area", admin, areas)
            manager = user(
                f"chef.{m}.{a}@{SCALE_DOMAIN}", f"Chef {town} {a + 1}", "Enhetschef", "manager"
            )
            managed.append({"unit_id": area, "user_id": manager})
            for k, kind in enumerate(kinds):
                if made >= count:
                    break
                leaf = unit(f"{kind} {town}", "unit", area, areas)
                reporters = [
                    user(
                        f"personal.{leaf}.{r}@{SCALE_DOMAIN}",
                        f"Personal {town} {k + 1}{'ab'[r]}",
                        "Undersköterska",
                        "reporter",
                    )
                    for r in range(2)
                ]
                places.append(Workplace(leaf, manager, reporters))
                made += 1
    sink = Sink(conn)
    sink.write("units", units)
    sink.write("users", users)
    sink.write(
        "user_roles", [dict(r, id=i) for i, r in enumerate(roles, _next_id(session, UserRole))]
    )
    sink.write("unit_managers", managed)
    return places


def _next_id(session: Session, model: Any) -> int:
    return (session.scalar(select(func.max(model.id))) or 0) + 1


# --- prototypes ---------------------------------------------------------------------------------


def load_prototypes(session: Session) -> Prototypes:
    conn = session.connection()
    scale_users = select(User.id).where(User.email.like(f"%@{SCALE_DOMAIN}"))
    protos = conn.execute(
        select(_table("cases")).where(
            (_table("cases").c.reporter_id.is_(None))
            | _table("cases").c.reporter_id.not_in(scale_users)
        )
    ).mappings()
    cases = {row["id"]: dict(row) for row in protos}
    if not cases:
        raise click.ClickException("inga genomgångna ärenden att klona")
    ids = list(cases)
    rows: dict[str, dict[int, list[dict[str, Any]]]] = {}
    for name in CHILD_TABLES:
        table = _table(name)
        # deadline_acts belong to a case through their deadline.
        owner = (
            {r["id"]: r["case_id"] for rs in rows["deadlines"].values() for r in rs}
            if name == "deadline_acts"
            else None
        )
        stmt = (
            select(table).where(table.c.deadline_id.in_(list(owner)))
            if owner is not None
            else select(table).where(table.c.case_id.in_(ids))
        )
        by_case: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in conn.execute(stmt.order_by(table.c.id)).mappings():
            case_id = owner[row["deadline_id"]] if owner is not None else row["case_id"]
            by_case[case_id].append(dict(row))
        rows[name] = by_case
    managers = set(
        session.scalars(select(UserRole.user_id).where(UserRole.role == "manager")).all()
    )
    reporters = {c["reporter_id"] for c in cases.values() if c["reporter_id"] is not None}
    # The SAS and the MAS also report; they keep their own part in a clone.
    overseers = set(
        session.scalars(select(UserRole.user_id).where(UserRole.role.in_(("sas", "mas")))).all()
    )
    return Prototypes(
        _groups(cases, rows), cases, rows, managers - overseers, reporters - overseers - managers
    )


def _groups(
    cases: dict[int, dict[str, Any]], rows: dict[str, dict[int, list[dict[str, Any]]]]
) -> dict[tuple[str, bool], list[Group]]:
    parent = {cid: cid for cid in cases}

    def find(cid: int) -> int:
        while parent[cid] != cid:
            parent[cid] = parent[parent[cid]]
            cid = parent[cid]
        return cid

    for cid, case in cases.items():
        for link in CASE_LINKS:
            other = case[link]
            if other in parent:
                parent[find(other)] = find(cid)
    members: dict[int, list[int]] = defaultdict(list)
    for cid in sorted(cases):
        members[find(cid)].append(cid)
    groups: dict[tuple[str, bool], list[Group]] = defaultdict(list)
    for ids in members.values():
        first = min(ids, key=lambda i: (cases[i]["received_at"], i))
        moments = [cases[i]["received_at"] for i in ids] + [
            e["at"] for i in ids for e in rows["case_events"].get(i, [])
        ]
        is_open = any(cases[i]["closed_at"] is None for i in ids)
        # A purged prototype has no content left to show.
        if any(cases[i]["purged_at"] is not None for i in ids):
            continue
        group = Group(ids, cases[first]["case_type"], is_open, min(moments), max(moments))
        groups[(group.case_type, is_open)].append(group)
    return groups


# --- cloning ------------------------------------------------------------------------------------


@dataclass
class Clone:
    group: Group
    shift: timedelta
    place: Workplace


def plan(
    protos: Prototypes,
    places: list[Workplace],
    count: int,
    now: datetime,
    rng: random.Random,
    open_share: float = OPEN_SHARE,
) -> list[Clone]:
    """Which prototype group goes where and when, oldest first so the chains run forward.
    Exactly ``count`` cases, as long as single-case prototypes exist to fill up with."""
    clones: list[Clone] = []
    made = 0
    types = list(TYPE_MIX)
    weights = [TYPE_MIX[t] for t in types]
    earliest = now - timedelta(days=365 * YEARS)
    every = [g for gs in protos.groups.values() for g in gs]
    while made < count:
        case_type = rng.choices(types, weights)[0]
        is_open = rng.random() < open_share
        pool = protos.groups.get((case_type, is_open)) or protos.groups.get((case_type, False))
        fits = [g for g in pool or every if made + len(g.case_ids) <= count]
        fits = fits or [g for g in every if made + len(g.case_ids) <= count]
        if not fits:
            break
        group = rng.choice(fits)
        length = group.end - group.start
        if group.open:
            # Its latest step falls within the last three weeks.
            target_end = now - timedelta(hours=1) - timedelta(days=21) * rng.random()
            shift = target_end - group.end
        else:
            latest_start = now - length - timedelta(days=1)
            span = max((latest_start - earliest).total_seconds(), 0)
            shift = earliest + timedelta(seconds=span * rng.random()) - group.start
        # Whole weeks, rounded down: weekdays stay weekdays and nothing moves past now.
        shift = timedelta(weeks=shift // timedelta(weeks=1))
        clones.append(Clone(group, shift, rng.choice(places)))
        made += len(group.case_ids)
    clones.sort(key=lambda c: c.group.start + c.shift)
    return clones


class Cloner:
    def __init__(
        self,
        session: Session,
        protos: Prototypes,
        counters: Counters,
        now: datetime,
        rng: random.Random,
    ) -> None:
        self.session = session
        self.protos = protos
        self.counters = counters
        self.now = now
        self.rng = rng
        self.times = {name: _time_columns(_table(name)) for name in ("cases", *CHILD_TABLES)}
        self.out: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.reads: list[dict[str, Any]] = []

    def _id(self, table: str) -> int:
        self.counters.ids[table] += 1
        return self.counters.ids[table]

    def _user(self, clone: Clone, user_id: int | None) -> int | None:
        if user_id in self.protos.managers:
            return clone.place.manager_id
        if user_id in self.protos.reporters:
            return clone.place.reporter_ids[user_id % 2]
        return user_id

    def _shift(self, table: str, row: dict[str, Any], shift: timedelta) -> None:
        moments, dates = self.times[table]
        for name in moments:
            if row[name] is not None:
                row[name] = row[name] + shift
        for name in dates:
            if row[name] is not None:
                row[name] = row[name] + timedelta(days=shift.days)

    def add(self, clone: Clone) -> int:
        maps: dict[str, dict[int, int]] = defaultdict(dict)
        for cid in clone.group.case_ids:
            maps["cases"][cid] = self._id("cases")
        for cid in clone.group.case_ids:
            self._case(clone, cid, maps)
        for name in CHILD_TABLES:
            for cid in clone.group.case_ids:
                for proto in self.protos.rows[name].get(cid, []):
                    self._row(clone, name, proto, maps)
        return len(clone.group.case_ids)

    def _case(self, clone: Clone, cid: int, maps: dict[str, dict[int, int]]) -> None:
        row = dict(self.protos.cases[cid])
        row["id"] = maps["cases"][cid]
        self._shift("cases", row, clone.shift)
        for link in CASE_LINKS:
            if row[link] is not None:
                row[link] = maps["cases"].get(row[link])
        row["unit_id"] = clone.place.unit_id
        for column in USER_COLUMNS["cases"]:
            row[column] = self._user(clone, row[column])
        if row["reporter_id"] is not None:
            row["reporter_name"] = self.counters.names[row["reporter_id"]]
        year = row["received_at"].astimezone(STOCKHOLM).year
        seq = self.counters.refs.get((row["case_type"], year), 0) + 1
        self.counters.refs[(row["case_type"], year)] = seq
        row.update(
            year=year, seq=seq, reference=f"{REFERENCE_PREFIX[row['case_type']]}-{year}-{seq:04d}"
        )
        self.out["cases"].append(row)
        self._reads(row)

    def _row(
        self, clone: Clone, name: str, proto: dict[str, Any], maps: dict[str, dict[int, int]]
    ) -> None:
        row = dict(proto)
        new_id = self._id(name)
        maps[name][row["id"]] = new_id
        row["id"] = new_id
        if "case_id" in row and row["case_id"] is not None:
            row["case_id"] = maps["cases"][row["case_id"]]
        for column, target in ROW_LINKS.get(name, {}).items():
            if row[column] is not None:
                row[column] = maps[target][row[column]]
        for column in USER_COLUMNS.get(name, ()):
            row[column] = self._user(clone, row[column])
        self._shift(name, row, clone.shift)
        if name == "case_events":
            if row["actor_id"] is not None:
                row["actor_name"] = self.counters.names.get(row["actor_id"], row["actor_name"])
            self._chain("case_events", row, CaseEvent)
        elif name == "deadlines":
            self._caught_up(row)
        elif name == "notifications":
            row["dedupe_key"] = f"skala:{new_id}"
            if row["read_at"] is None and row["created_at"] < self.now - timedelta(days=14):
                row["read_at"] = row["created_at"] + timedelta(days=1)
        self.out[name].append(row)

    def _caught_up(self, row: dict[str, Any]) -> None:
        """The clock has swept all along: what fell due before now has been acted on."""
        if row["status"] not in OPEN_STATUSES or row["next_action_at"] is None:
            return
        if row["next_action_at"] > self.now:
            return
        if row["due_at"] > self.now:
            row["next_action_at"] = row["due_at"]
        else:
            row.update(status="escalated", escalation_level=2, next_action_at=None)

    def _chain(self, chain: str, row: dict[str, Any], model: Any) -> None:
        seq, previous = self.counters.chains[chain]
        seq += 1
        row["chain_seq"] = seq
        row["content_hash"] = content_hash(model.chain_content(SimpleNamespace(**row)))
        row["link_hash"] = link_hash(seq, previous, row["content_hash"])
        self.counters.chains[chain] = (seq, row["link_hash"])

    def _reads(self, case: dict[str, Any]) -> None:
        """Case-page and list reads by the people who work the case, during its life."""
        start = case["received_at"]
        end = case["closed_at"] or self.now
        readers = [case["reporter_id"], case["investigator_id"], *self.protos.managers]
        readers = [r for r in readers if r is not None and r in self.counters.names]
        if not readers:
            return
        for _ in range(self.rng.randint(*READS_PER_CASE)):
            user = self.rng.choice(readers)
            view = self.rng.choice(("cases.case_page", "cases.case_page", "cases.case_list"))
            self.reads.append(
                {
                    "at": start + (end - start) * self.rng.random(),
                    "user_id": user,
                    "user_name": self.counters.names[user],
                    "case_id": case["id"],
                    "case_reference": case["reference"],
                    "view": view,
                    "detail": "",
                    "address": f"10.{self.rng.randrange(256)}.{self.rng.randrange(256)}.1",
                }
            )

    def flush(self, sink: Sink) -> None:
        # The access log is chained in the order the reads happened.
        self.reads.sort(key=lambda r: r["at"])
        for read in self.reads:
            read["id"] = self._id("access_log")
            self._chain("access_log", read, AccessLogEntry)
        self.out["access_log"] = self.reads
        for name in ("cases", *CHILD_TABLES, "access_log"):
            sink.write(name, self.out.get(name, []))
        self.out = defaultdict(list)
        self.reads = []


# --- the run ------------------------------------------------------------------------------------


def _counters(session: Session) -> Counters:
    conn = session.connection()
    ids = {
        name: conn.scalar(select(func.coalesce(func.max(_table(name).c.id), 0))) or 0
        for name in ("cases", *CHILD_TABLES, "access_log")
    }
    refs = {
        (t, y): s
        for t, y, s in conn.execute(
            select(Case.case_type, Case.year, func.max(Case.seq)).group_by(
                Case.case_type, Case.year
            )
        )
    }
    chains = {
        chain: (int(seq), str(link))
        for chain, seq, link in conn.execute(
            text("SELECT chain, seq, link_hash FROM audit_chain_heads")
        )
    }
    names = {uid: name for uid, name in session.execute(select(User.id, User.name))}
    return Counters(ids, refs, chains, names)


def _save_counters(session: Session, counters: Counters) -> None:
    conn = session.connection()
    for chain, (seq, link) in counters.chains.items():
        conn.execute(
            text("UPDATE audit_chain_heads SET seq = :seq, link_hash = :link WHERE chain = :chain"),
            {"seq": seq, "link": link, "chain": chain},
        )
    for (case_type, year), last in counters.refs.items():
        updated = conn.execute(
            text(
                "UPDATE reference_counters SET last = :last "
                "WHERE case_type = :t AND year = :y AND last < :last"
            ),
            {"last": last, "t": case_type, "y": year},
        ).rowcount
        exists = conn.scalar(
            text("SELECT 1 FROM reference_counters WHERE case_type = :t AND year = :y"),
            {"t": case_type, "y": year},
        )
        if not updated and not exists:
            conn.execute(
                text("INSERT INTO reference_counters (case_type, year, last) VALUES (:t, :y, :l)"),
                {"t": case_type, "y": year, "l": last},
            )
    if conn.dialect.name == "postgresql":
        for name in ("cases", *CHILD_TABLES, "access_log", "units", "users", "user_roles"):
            conn.execute(
                text(  # the names are this module's own constants
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                    f"(SELECT coalesce(max(id), 1) FROM {name}))"
                )
            )


def generate_scale(
    cases: int, units: int, seed: int | None, now: datetime | None = None
) -> Iterator[int]:
    """Adds ``units`` units and ``cases`` cloned cases; yields the cases made per chunk."""
    rng = random.Random(seed)  # noqa: S311  (demo data, repeatable by seed)
    session = db.session()
    places = add_units(session, units, rng)
    session.commit()
    for made in clone(session, places, cases, now or datetime.now(UTC), rng):
        session.commit()
        yield made
    if db.get_engine().dialect.name == "postgresql":
        with db.get_engine().connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))


def clone(
    session: Session,
    places: list[Workplace],
    cases: int,
    now: datetime,
    rng: random.Random,
    open_share: float = OPEN_SHARE,
) -> Iterator[int]:
    """Clones the cases in the database (the prototypes) into ``places`` until there are
    ``cases`` more; yields the cases written per chunk, for the caller to commit."""
    protos = load_prototypes(session)
    counters = _counters(session)
    cloner = Cloner(session, protos, counters, now, rng)
    for chunk in _chunks(plan(protos, places, cases, now, rng, open_share), CHUNK):
        for planned in chunk:
            cloner.add(planned)
        cloner.flush(Sink(session.connection()))
        _save_counters(session, counters)
        yield sum(len(c.group.case_ids) for c in chunk)


def _chunks(items: list[Clone], size: int) -> Iterable[list[Clone]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
