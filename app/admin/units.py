"""The unit tree as the system administrator keeps it (DOMAIN.md §2): förvaltning →
verksamhetsområde → enhet, each with its legal areas and managers. Units are switched off, never
deleted — cases and history point to them — and not while a case in them is still open.
Every change is logged on "lexflode.admin"."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from app.models import Case, Unit, User
from app.models.org import UserRole
from forms.admin_org import KIND_RANK, UnitForm
from workflows.engine import validate_form
from workflows.errors import InvalidData, WrongState
from workflows.records import FINAL_STATES

from .operations import require_admin
from .versions import check_unchanged

Data = Mapping[str, Any] | MultiDict[str, Any] | None

log = logging.getLogger("lexflode.admin")


@dataclass
class Node:
    unit: Unit
    children: list[Node] = field(default_factory=list)


def tree(session: Session) -> list[Node]:
    """Every unit, inactive ones too, as a forest ordered by name at each level."""
    units = sorted(session.scalars(select(Unit)).all(), key=lambda u: u.name.casefold())
    nodes = {u.id: Node(u) for u in units}
    roots: list[Node] = []
    for unit in units:
        parent = nodes.get(unit.parent_id) if unit.parent_id is not None else None
        (parent.children if parent is not None else roots).append(nodes[unit.id])
    return roots


def parent_choices(session: Session, unit: Unit | None = None) -> list[tuple[int, str]]:
    """The units something may lie under: active förvaltningar and verksamhetsområden, but not
    this unit or any below it, and the present parent in any case."""
    below = _subtree_ids(session, unit) if unit is not None else set()
    units = session.scalars(select(Unit).where(Unit.kind != "unit"))
    current = unit.parent_id if unit is not None else None
    pairs = [(u.id, u.path) for u in units if (u.active or u.id == current) and u.id not in below]
    return sorted(pairs, key=lambda pair: pair[1].casefold())


def manager_choices(session: Session, unit: Unit | None = None) -> list[tuple[int, str]]:
    """Active users with the manager role, and anyone who leads the unit already."""
    managers = session.scalars(
        select(User).join(UserRole).where(UserRole.role == "manager", User.active.is_(True))
    ).all()
    people = {u.id: u for u in managers}
    people.update({u.id: u for u in unit.managers} if unit is not None else {})
    pairs = [(u.id, f"{u.name} ({u.email})") for u in people.values()]
    return sorted(pairs, key=lambda pair: pair[1].casefold())


def unit_values(unit: Unit) -> dict[str, Any]:
    return {
        "name": unit.name,
        "kind": unit.kind,
        "parent_id": unit.parent_id,
        "legal_areas": unit.legal_areas,
        "managers": sorted(u.id for u in unit.managers),
    }


def open_cases(session: Session, unit: Unit) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(Case)
            .where(Case.unit_id == unit.id, Case.state.not_in(FINAL_STATES))
        )
        or 0
    )


def create_unit(session: Session, actor: User, data: Data) -> Unit:
    require_admin(actor)
    values = _validated(session, data, None)
    _refuse_own_lead(actor, None, values)
    unit = Unit()
    _apply(session, unit, values)
    session.add(unit)
    session.flush()
    log.info(
        "admin %s (id %s) created unit %r (id %s): %s",
        actor.email,
        actor.id,
        unit.name,
        unit.id,
        unit_values(unit),
    )
    return unit


def update_unit(session: Session, actor: User, unit: Unit, data: Data) -> dict[str, Any]:
    """Returns what changed, as {field: (old, new)}."""
    require_admin(actor)
    check_unchanged(data, unit_values(unit))
    values = _validated(session, data, unit)
    _refuse_own_lead(actor, unit, values)
    before = unit_values(unit)
    _apply(session, unit, values)
    session.flush()
    after = unit_values(unit)
    changed = {k: (before[k], after[k]) for k in after if before[k] != after[k]}
    if changed:
        log.info(
            "admin %s (id %s) changed unit %r (id %s): %s",
            actor.email,
            actor.id,
            unit.name,
            unit.id,
            changed,
        )
    return changed


def set_unit_active(session: Session, actor: User, unit: Unit, active: bool) -> Unit:
    require_admin(actor)
    if active and unit.parent is not None and not unit.parent.active:
        raise WrongState(
            _(
                "%(name)s ligger under %(parent)s, som är inaktiv. Aktivera den först.",
                name=unit.name,
                parent=unit.parent.name,
            )
        )
    if not active:
        count = open_cases(session, unit)
        if count:
            raise WrongState(
                ngettext(
                    "%(name)s har %(num)d öppet ärende. En enhet kan inaktiveras först när "
                    "alla dess ärenden är avslutade.",
                    "%(name)s har %(num)d öppna ärenden. En enhet kan inaktiveras först när "
                    "alla dess ärenden är avslutade.",
                    count,
                    name=unit.name,
                )
            )
        children = sum(1 for c in unit.children if c.active)
        if children:
            raise WrongState(
                ngettext(
                    "%(name)s har %(num)d aktiv underenhet. Inaktivera den först.",
                    "%(name)s har %(num)d aktiva underenheter. Inaktivera dem först.",
                    children,
                    name=unit.name,
                )
            )
    if unit.active != active:
        unit.active = active
        session.flush()
        log.info(
            "admin %s (id %s) %s unit %r (id %s)",
            actor.email,
            actor.id,
            "reactivated" if active else "deactivated",
            unit.name,
            unit.id,
        )
    return unit


def _refuse_own_lead(actor: User, unit: Unit | None, values: Mapping[str, Any]) -> None:
    """No one makes themselves a unit's manager or stops being one (DOMAIN.md §2 rev. 2)."""
    was = unit is not None and any(u.id == actor.id for u in unit.managers)
    if (actor.id in set(values["managers"])) != was:
        raise InvalidData(
            _("Du kan inte ändra din egen behörighet."),
            {
                "managers": [
                    _(
                        "Du kan inte ändra vilka enheter du själv leder. Be en annan systemförvaltare."
                    )
                ]
            },
        )


def _validated(session: Session, data: Data, unit: Unit | None) -> dict[str, Any]:
    """The form's checks, then the tree's: where the unit may lie, what may lie under it, and
    that no manager is left leading nothing."""
    form = validate_form(UnitForm, data, manager_choices=manager_choices(session, unit))
    values = dict(form.data)
    values["name"] = values["name"].strip()
    parent_id = values["parent_id"]
    parent = session.get(Unit, parent_id) if parent_id is not None else None
    errors: dict[str, list[str]] = {}
    problem = _parent_problem(session, unit, parent, values["kind"]) if parent_id else None
    if problem:
        errors["parent_id"] = [problem]
    if unit is not None:
        problem = _children_problem(unit, values["kind"])
        if problem:
            errors["kind"] = [problem]
        errors.update(_managers_left_without_unit(unit, set(values["managers"])))
    if _name_taken(session, unit, parent_id, values["name"]):
        errors["name"] = [_("Det finns redan en enhet med det namnet på samma plats i trädet.")]
    if errors:
        raise InvalidData(_("Uppgifterna är inte kompletta eller felaktiga."), errors)
    values["parent"] = parent
    return values


def _children_problem(unit: Unit, kind: str) -> str | None:
    lower = [c for c in unit.children if KIND_RANK[c.kind] <= KIND_RANK[kind]]
    if not lower:
        return None
    return _(
        "Enheten har underenheter som inte kan ligga under %(kind)s: %(names)s. Flytta dem först.",
        kind=_kind_word(kind),
        names=", ".join(c.name for c in lower),
    )


def _name_taken(session: Session, unit: Unit | None, parent_id: int | None, name: str) -> bool:
    """Two units of the same name side by side could not be told apart in the report form."""
    same_place = Unit.parent_id.is_(None) if parent_id is None else Unit.parent_id == parent_id
    siblings = session.scalars(select(Unit).where(same_place))
    return any(s is not unit and s.name.casefold() == name.casefold() for s in siblings)


def _parent_problem(
    session: Session, unit: Unit | None, parent: Unit | None, kind: str
) -> str | None:
    if parent is None:
        return _("Den valda enheten finns inte.")
    if unit is not None and parent.id in _subtree_ids(session, unit):
        return _("En enhet kan inte ligga under sig själv eller under någon av sina underenheter.")
    if not parent.active and (unit is None or parent.id != unit.parent_id):
        return _("%(name)s är inaktiv och kan inte få nya underenheter.", name=parent.name)
    if KIND_RANK[parent.kind] >= KIND_RANK[kind]:
        return _(
            "%(name)s är %(parent_kind)s och kan inte ha %(kind)s under sig.",
            name=parent.name,
            kind=_kind_word(kind),
            parent_kind=_kind_word(parent.kind),
        )
    return None


def _managers_left_without_unit(unit: Unit, wanted: set[int]) -> dict[str, list[str]]:
    """A manager must lead some unit (the user form says the same); taking away someone's only
    unit here is refused, so that the administrator decides on their role on the user's page."""
    stranded = [
        u.name
        for u in unit.managers
        if u.id not in wanted and u.has_role("manager") and len(u.managed_units) == 1
    ]
    if not stranded:
        return {}
    return {
        "managers": [
            _(
                "%(names)s leder ingen annan enhet. Ge först chefen en annan enhet eller ta bort "
                "rollen Enhetschef på användarens sida.",
                names=", ".join(stranded),
            )
        ]
    }


def _subtree_ids(session: Session, unit: Unit) -> set[int]:
    found: set[int] = set()
    frontier = {unit.id}
    while frontier:
        found |= frontier
        children = session.scalars(select(Unit.id).where(Unit.parent_id.in_(frontier))).all()
        frontier = set(children) - found
    return found


def _kind_word(kind: str) -> str:
    # In running text, with its article: "Linden är en enhet och kan inte ha ett
    # verksamhetsområde under sig".
    words = {
        "administration": _("en förvaltning"),
        "area": _("ett verksamhetsområde"),
        "unit": _("en enhet"),
    }
    return words.get(kind, kind)


def _apply(session: Session, unit: Unit, values: Mapping[str, Any]) -> None:
    # Read before the first change: the query's autoflush must not meet a half-made unit.
    managers = list(session.scalars(select(User).where(User.id.in_(set(values["managers"])))))
    unit.name = values["name"]
    unit.kind = values["kind"]
    unit.parent = values["parent"]
    unit.legal_areas = values["legal_areas"]
    unit.managers = managers
