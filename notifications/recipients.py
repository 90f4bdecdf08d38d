"""Who is told: people by role, and the managers up the unit tree.

A manager's superior is the manager of the parent unit (DOMAIN.md §2). A unit without a manager
of its own answers through the nearest unit above that has one, so a task never falls between
chairs. One ``Recipients`` object lives for one sweep: the answers are cached, so the sweep asks
the database once per role and unit, not once per deadline.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Unit, User, UserRole
from app.models.unit_tree import load_units


class Recipients:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._roles: dict[str, list[User]] = {}
        self._chains: dict[int, list[list[User]]] = {}
        self._units: list[Unit] = []

    def with_role(self, role: str) -> list[User]:
        if role not in self._roles:
            self._roles[role] = list(
                self._session.scalars(
                    select(User)
                    .join(UserRole, UserRole.user_id == User.id)
                    .where(UserRole.role == role, User.active.is_(True))
                    .order_by(User.id)
                )
            )
        return self._roles[role]

    def preload(self, unit_ids: Iterable[int]) -> None:
        """Loads the units and every unit above them, with their managers and the managers'
        roles, in a fixed number of queries: a sweep's due deadlines lie in many different
        units, and walking each one's tree lazily would cost queries per deadline."""
        wanted = set(unit_ids) - set(self._chains)
        if not wanted:
            return
        # Held here so the session's (weak) identity map keeps them: unit.parent and
        # unit.managers (selectin-loaded, with their roles) are then answered from memory.
        self._units.extend(load_units(self._session, wanted))

    def _chain(self, unit: Unit) -> list[list[User]]:
        """The managers level by level from the unit up to the root, skipping unmanaged units."""
        if unit.id not in self._chains:
            levels: list[list[User]] = []
            current: Unit | None = unit
            while current is not None:
                managers = [u for u in current.managers if u.active and u.has_role("manager")]
                if managers:
                    levels.append(managers)
                current = current.parent
            self._chains[unit.id] = levels
        return self._chains[unit.id]

    def unit_managers(self, unit: Unit) -> list[User]:
        chain = self._chain(unit)
        return chain[0] if chain else []

    def superiors(self, unit: Unit) -> list[User]:
        chain = self._chain(unit)
        return chain[1] if len(chain) > 1 else []

    def head_of_administration(self, unit: Unit) -> list[User]:
        """The managers of the administration at the top of the unit's tree."""
        root = unit
        while root.parent is not None:
            root = root.parent
        return [u for u in root.managers if u.active and u.has_role("manager")]
