"""The unit tree as the pages name it, a few queries per page whatever the number of units:
Unit.path walks up one lazy load per parent, and units loaded as objects bring their managers."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import CTE, select
from sqlalchemy.orm import Session

from .org import Unit


def _with_ancestors(unit_ids: Iterable[int]) -> CTE:
    """The ids of the units and of every unit above them, in one recursive query."""
    tree = select(Unit.id, Unit.parent_id)
    up = tree.where(Unit.id.in_(set(unit_ids))).cte("up", recursive=True)
    return up.union(tree.join(up, Unit.id == up.c.parent_id))


def load_units(session: Session, unit_ids: Iterable[int]) -> list[Unit]:
    """The units and all above them, in one query (and their managers in one more), so that
    walking up from them (notifications.recipients) reads no more. Keep the list while
    walking: the session holds only the units someone refers to."""
    wanted = set(unit_ids)
    if not wanted:
        return []
    ids = select(_with_ancestors(wanted).c.id)
    return list(session.scalars(select(Unit).where(Unit.id.in_(ids))))


def unit_paths(session: Session, unit_ids: Iterable[int] | None = None) -> dict[int, str]:
    """Each unit's path ("Förvaltningen › Äldreomsorg › Solgården"), of ``unit_ids`` or of every
    unit, from one query."""
    columns = select(Unit.id, Unit.name, Unit.parent_id)
    if unit_ids is None:
        return _paths(session.execute(columns))
    wanted = set(unit_ids)
    if not wanted:
        return {}
    return _paths(session.execute(columns.where(Unit.id.in_(select(_with_ancestors(wanted).c.id)))))


def _paths(rows: Iterable[tuple[int, str, int | None]]) -> dict[int, str]:
    names = {uid: (name, parent) for uid, name, parent in rows}
    paths: dict[int, str] = {}

    def path(uid: int) -> str:
        if uid not in paths:
            name, parent = names[uid]
            # Set before the parent's path is asked for: a cycle (which the admin pages never
            # store) ends here instead of recursing for ever.
            paths[uid] = name
            if parent is not None and parent in names:
                paths[uid] = f"{path(parent)} › {name}"
        return paths[uid]

    return {uid: path(uid) for uid in names}


def unit_choices(session: Session) -> list[tuple[int, str]]:
    """The active units cases are reported from, by path, in one query."""
    rows = session.execute(select(Unit.id, Unit.name, Unit.parent_id, Unit.active, Unit.kind)).all()
    paths = _paths((uid, name, parent) for uid, name, parent, _a, _k in rows)
    return sorted(
        ((uid, paths[uid]) for uid, _n, _p, active, kind in rows if active and kind == "unit"),
        key=lambda pair: pair[1],
    )
