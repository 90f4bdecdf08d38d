"""Reports per unit, and rolled up per area (verksamhetsområde) and administration (förvaltning)
through the unit tree (DOMAIN.md §8 rev. 2, seed 000: "Rapporterade avvikelser per avdelning").

A case is reported from a unit; the roll-up adds it to the nearest unit above it (or itself) of
the kind the table shows. A case reported on an area itself counts for that area."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Case, Unit

from .imported import imported_totals
from .tables import Frame, Table, bucket, counted, in_units, reported_as, table_of, within

LEVELS = ("unit", "area", "administration")
TYPE_NAMES = {
    "deviation": _l("Avvikelser"),
    "lex_sarah": _l("Lex Sarah"),
    "lex_maria": _l("Lex Maria"),
    "complaint": _l("Synpunkter och klagomål"),
}


@dataclass(frozen=True)
class Node:
    name: str
    kind: str
    parent_id: int | None


def unit_tree(session: Session) -> dict[int, Node]:
    """Every unit in one query: the roll-ups walk it in Python."""
    return {
        uid: Node(name, kind, parent)
        for uid, name, kind, parent in session.execute(
            select(Unit.id, Unit.name, Unit.kind, Unit.parent_id)
        )
    }


def ancestor_of_kind(tree: dict[int, Node], unit_id: int, kind: str) -> int | None:
    """The unit itself or the nearest unit above it of ``kind``; None where the tree has none."""
    seen: set[int] = set()
    current: int | None = unit_id
    while current is not None and current in tree and current not in seen:
        seen.add(current)
        if tree[current].kind == kind:
            return current
        current = tree[current].parent_id
    return None


def unit_counts(
    session: Session, frame: Frame, case_type: str, *, with_imported: bool = True
) -> dict[tuple[int, int], int]:
    """{(unit id, year): reports of ``case_type``}, with the counts imported for the years
    before the system was taken into use (a year's period only: they are counted per year)."""
    y = bucket(Case.received_at, frame.spans)
    counts = counted(
        session.execute(
            select(y, Case.unit_id, func.count(Case.id))
            .where(
                within(Case.received_at, frame.spans),
                reported_as(case_type),
                in_units(frame.units),
            )
            .group_by(y, Case.unit_id)
        )
    )
    if with_imported and frame.period.kind == "year":
        imported = imported_totals(
            session, case_type=case_type, years=frame.years, unit_ids=frame.units
        )
        for (year, unit_id), n in imported.items():
            if unit_id is not None and (frame.units is None or unit_id in frame.units):
                counts[(unit_id, year)] = counts.get((unit_id, year), 0) + n
    return counts


def rolled_up(
    tree: dict[int, Node], counts: dict[tuple[int, int], int], kind: str
) -> dict[tuple[int | None, int], int]:
    """The counts per unit added up per area or administration; None for units outside any."""
    result: dict[tuple[int | None, int], int] = {}
    for (unit_id, year), n in counts.items():
        key = (ancestor_of_kind(tree, unit_id, kind), year)
        result[key] = result.get(key, 0) + n
    return result


def per_unit_tables(session: Session, frame: Frame, case_type: str) -> list[Table]:
    tree = unit_tree(session)
    counts = unit_counts(session, frame, case_type)
    name = str(TYPE_NAMES[case_type])
    titles = {
        "unit": _("%(type)s per enhet", type=name),
        "area": _("%(type)s per verksamhetsområde", type=name),
        "administration": _("%(type)s per förvaltning", type=name),
    }
    tables = []
    for level in LEVELS:
        level_counts = dict(counts.items()) if level == "unit" else rolled_up(tree, counts, level)
        seen = {k for k, _y in level_counts}
        labels: list[tuple[int | None, str]] = sorted(
            ((uid, tree[uid].name) for uid in seen if uid is not None), key=lambda p: p[1]
        )
        if None in seen:
            outside = _("Utan verksamhetsområde") if level == "area" else _("Utan förvaltning")
            labels.append((None, outside))
        key = f"{'units' if level == 'unit' else level + 's'}_{case_type}"
        tables.append(
            table_of(
                key,
                titles[level],
                frame,
                labels,
                level_counts,
                masked=level == "unit",
                note=_("Antal under 5 visas som ”< 5” för att ingen enskild ska kunna pekas ut.")
                if level == "unit"
                else _("Enheternas rapporter summerade uppåt i organisationen."),
            )
        )
    return tables
