"""Which roles and units a user's directory groups grant (DOMAIN.md §2 rev. 2).

Applied at every sign-in through the identity provider and at every SCIM change of a user's
groups, so that a change in the directory changes access at once: roles are read from the
database on every request (app/auth/loaders.py), so no session keeps a role it lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import GroupMapping, Unit, User
from app.models.directory import DirectoryGroup


@dataclass(frozen=True)
class Grants:
    roles: frozenset[str]
    unit_ids: frozenset[int]


@dataclass(frozen=True)
class RoleChange:
    """A user's roles and led units before and after their groups were applied."""

    user_id: int
    before: Grants
    after: Grants

    @property
    def changed(self) -> bool:
        return self.before != self.after


def grants_for(session: Session, group_keys: Iterable[str]) -> Grants:
    keys = {k for k in group_keys if k}
    if not keys:
        return Grants(frozenset(), frozenset())
    rows = session.scalars(select(GroupMapping).where(GroupMapping.group_key.in_(keys))).all()
    roles = {m.role for m in rows}
    units = {m.unit_id for m in rows if m.role == "manager" and m.unit_id is not None}
    return Grants(frozenset(roles), frozenset(units))


def scim_group_keys(session: Session, user: User) -> set[str]:
    """The keys of the groups SCIM has made the user a member of."""
    groups = session.scalars(
        select(DirectoryGroup).where(DirectoryGroup.members.any(User.id == user.id))
    ).all()
    return {key for group in groups for key in group.keys}


def current_grants(user: User) -> Grants:
    return Grants(frozenset(user.roles), frozenset(u.id for u in user.managed_units))


def apply_groups(session: Session, user: User, group_keys: Iterable[str]) -> RoleChange:
    """Gives ``user`` exactly what their groups map to, and marks them as kept by the
    directory. A manager mapping without a unit grants the role alone."""
    before = current_grants(user)
    after = grants_for(session, group_keys)
    user.set_roles(set(after.roles))
    if set(before.unit_ids) != set(after.unit_ids):
        user.managed_units = (
            list(session.scalars(select(Unit).where(Unit.id.in_(after.unit_ids))).all())
            if after.unit_ids
            else []
        )
    user.directory_managed = True
    session.flush()
    return RoleChange(user.id, before, after)
