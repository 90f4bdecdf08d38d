"""The administrative trail (DOMAIN.md §2 "Separation of duties", §9, rev. 2): who changed whose
roles, led units or active status, and the deadline policy, settings, thresholds and categories.

User changes are found by the session itself, at flush, whatever made them — the admin pages, the
CLI, SCIM provisioning, a directory sign-in applying its groups (app/directory/mapping.py) — so
that no caller has to remember: a listener reads the attribute history of the users (and of the
role and unit-manager rows) being flushed and adds a chained ``AdminEvent`` for each change, in
the same transaction. Settings, categories and the deadline policy are recorded by the admin
operations themselves (``record``).

Who acted: the ``acting`` label when one is set (SCIM, a sign-in, the CLI), otherwise the signed-in
user of the request, otherwise "system" (with the request's path when there is one).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from flask import g, has_request_context, request
from sqlalchemy import event, select
from sqlalchemy.orm import Session, attributes

from app.models import AdminEvent, Unit, UnitManager, User, UserRole

_acting: ContextVar[str | None] = ContextVar("admin_trail_acting", default=None)
_reason: ContextVar[str] = ContextVar("admin_trail_reason", default="")
_PENDING = "admin_trail_new_users"


@contextmanager
def acting(label: str) -> Iterator[None]:
    """Within the block, changes are recorded as made by ``label`` ("SCIM", "OIDC-inloggning",
    "CLI (os user)"), not by whoever is signed in."""
    token = _acting.set(label[:200])
    try:
        yield
    finally:
        _acting.reset(token)


@contextmanager
def because(reason: str) -> Iterator[None]:
    """The reason the administrator gave, recorded with the changes flushed within the block."""
    token = _reason.set(reason.strip())
    try:
        yield
    finally:
        _reason.reset(token)


def current_actor() -> tuple[int | None, str]:
    label = _acting.get()
    if label:
        return None, label
    if has_request_context():
        # Only a user the request has already loaded: loading one here would query mid-flush.
        user = g.get("_login_user")
        if user is not None and getattr(user, "is_authenticated", False):
            return int(user.id), str(user.name)
        return None, f"system ({request.method} {request.path})"[:200]
    return None, "system"


def record(
    session: Session,
    kind: str,
    target_type: str,
    target_id: int | None,
    target_label: str,
    before: dict[str, Any],
    after: dict[str, Any],
    reason: str | None = None,
) -> AdminEvent:
    """Adds one row to the trail (the caller flushes and commits)."""
    actor_id, actor_name = current_actor()
    row = AdminEvent(
        actor_id=actor_id,
        actor_name=actor_name,
        kind=kind,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label[:300],
        before=_plain(before),
        after=_plain(after),
        reason=_reason.get() if reason is None else reason.strip(),
    )
    session.add(row)
    return row


def _plain(value: Any) -> Any:
    """JSON as it reads back, so the content hash is the same before and after the round trip."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def user_label(user: User) -> str:
    return f"{user.name} <{user.email}>"


@dataclass
class _Change:
    """One user's roles and units before the flush and after it."""

    roles_before: set[str] | None = None
    roles_after: set[str] | None = None
    units_before: set[str] | None = None
    units_after: set[str] | None = None
    active: tuple[bool, bool] | None = None
    loose_roles: dict[str, int] = field(default_factory=dict)  # role: +1 added, -1 removed
    loose_units: dict[int, int] = field(default_factory=dict)  # unit id: +1 / -1


def _collection(obj: Any, key: str) -> tuple[list[Any], list[Any], list[Any]] | None:
    """(unchanged, added, deleted) of a loaded collection with changes, else None."""
    history = attributes.get_history(obj, key, passive=attributes.PASSIVE_NO_INITIALIZE)
    if not history.added and not history.deleted:
        return None
    return list(history.unchanged or ()), list(history.added or ()), list(history.deleted or ())


def _user_change(user: User) -> _Change:
    change = _Change()
    roles = _collection(user, "role_rows")
    if roles is not None:
        unchanged, added, deleted = roles
        change.roles_before = {r.role for r in unchanged + deleted}
        change.roles_after = {r.role for r in unchanged + added}
    units = _collection(user, "managed_units")
    if units is not None:
        unchanged, added, deleted = units
        change.units_before = {u.name for u in unchanged + deleted}
        change.units_after = {u.name for u in unchanged + added}
    history = attributes.get_history(user, "active", passive=attributes.PASSIVE_NO_INITIALIZE)
    if history.added and history.deleted and bool(history.added[0]) != bool(history.deleted[0]):
        change.active = (bool(history.deleted[0]), bool(history.added[0]))
    return change


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    changes: dict[int, tuple[User, _Change]] = {}
    new_users: list[User] = []
    for obj in session.new:
        if isinstance(obj, User):
            new_users.append(obj)
    for obj in session.dirty:
        if isinstance(obj, User) and obj.id is not None:
            changes[obj.id] = (obj, _user_change(obj))
    _loose_rows(session, changes)
    for user, change in changes.values():
        _write(session, user, change)
    if new_users:
        session.info.setdefault(_PENDING, []).extend(
            (user, _acting.get(), _reason.get()) for user in new_users
        )


def _loose_rows(session: Session, changes: dict[int, tuple[User, _Change]]) -> None:
    """Role and unit-manager rows added or deleted on their own, not through a user's
    collections (``session.add(UserRole(user_id=…))``, a unit's ``managers``)."""
    for obj, sign in [(o, 1) for o in session.new] + [(o, -1) for o in session.deleted]:
        if isinstance(obj, UserRole) and obj.user_id is not None:
            entry = _entry(session, changes, obj.user_id)
            if entry is not None and entry.roles_after is None:
                entry.loose_roles[obj.role] = sign
        elif isinstance(obj, UnitManager):
            entry = _entry(session, changes, obj.user_id)
            if entry is not None and entry.units_after is None:
                entry.loose_units[obj.unit_id] = sign
    for obj in session.dirty:
        if not isinstance(obj, Unit):
            continue
        managers = _collection(obj, "managers")
        if managers is None:
            continue
        _unchanged, added, deleted = managers
        for users, sign in ((added, 1), (deleted, -1)):
            for user in users:
                if user.id is None:
                    continue
                entry = _entry(session, changes, user.id)
                if entry is not None and entry.units_after is None and obj.id is not None:
                    entry.loose_units[obj.id] = sign
    for user_id, (_user, change) in changes.items():
        if change.loose_roles:
            stored = set(session.scalars(select(UserRole.role).where(UserRole.user_id == user_id)))
            change.roles_before = stored
            change.roles_after = {
                r for r in stored | set(change.loose_roles) if change.loose_roles.get(r, 0) >= 0
            }
        if change.loose_units:
            stored_ids = set(
                session.scalars(select(UnitManager.unit_id).where(UnitManager.user_id == user_id))
            )
            after_ids = {
                u for u in stored_ids | set(change.loose_units) if change.loose_units.get(u, 0) >= 0
            }
            wanted = select(Unit.id, Unit.name).where(Unit.id.in_(stored_ids | after_ids))
            names = {unit_id: name for unit_id, name in session.execute(wanted)}
            change.units_before = {names.get(u, str(u)) for u in stored_ids}
            change.units_after = {names.get(u, str(u)) for u in after_ids}


def _entry(
    session: Session, changes: dict[int, tuple[User, _Change]], user_id: int | None
) -> _Change | None:
    if user_id is None:
        return None
    if user_id not in changes:
        user = session.get(User, user_id)
        if user is None or user in session.new:
            return None
        changes[user_id] = (user, _Change())
    return changes[user_id][1]


def _write(session: Session, user: User, change: _Change) -> None:
    label = user_label(user)
    if change.roles_after is not None and change.roles_before != change.roles_after:
        record(
            session,
            "roles",
            "user",
            user.id,
            label,
            {"roles": sorted(change.roles_before or ())},
            {"roles": sorted(change.roles_after)},
        )
    if change.units_after is not None and change.units_before != change.units_after:
        record(
            session,
            "units",
            "user",
            user.id,
            label,
            {"units": sorted(change.units_before or ())},
            {"units": sorted(change.units_after)},
        )
    if change.active is not None:
        record(
            session,
            "active",
            "user",
            user.id,
            label,
            {"active": change.active[0]},
            {"active": change.active[1]},
        )


def _after_flush_postexec(session: Session, _context: Any) -> None:
    """A new user has an id only once inserted: its grants are recorded now, and linked at the
    next flush (the commit's at the latest)."""
    pending = session.info.pop(_PENDING, None)
    for user, label, reason in pending or ():
        if user.id is None:
            continue
        token, reason_token = _acting.set(label), _reason.set(reason)
        try:
            _write(
                session,
                user,
                _Change(
                    roles_before=set(),
                    roles_after=set(user.roles),
                    units_before=set(),
                    units_after={u.name for u in user.managed_units},
                ),
            )
        finally:
            _acting.reset(token)
            _reason.reset(reason_token)


def install() -> None:
    """Before app.audit.chain links the flush's new rows (``insert=True``), so the trail rows
    added here are linked in the same flush."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush, insert=True)
    if not event.contains(Session, "after_flush_postexec", _after_flush_postexec):
        event.listen(Session, "after_flush_postexec", _after_flush_postexec)
    if not event.contains(Session, "after_soft_rollback", _forget):
        event.listen(Session, "after_soft_rollback", _forget)


def _forget(session: Session, _previous: Any) -> None:
    session.info.pop(_PENDING, None)
