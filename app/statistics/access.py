"""Who may see the statistics, and of which units (DOMAIN.md §8 rev. 2). The SAS, the MAS and
the committee chair answer for the whole municipality's reporting and see all of it; a manager
sees the same tables for their own units and the units below them (seed 004: analysed "både på
enhets- och på verksamhetsnivå"). The admin sees none. The figures are aggregated and carry no
case content or references."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.models import unit_ids_managed_by

STATISTICS_ROLES = ("sas", "mas", "chair")


def sees_all(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.has_role(*STATISTICS_ROLES))


def unit_scope(session: Session, user: Any) -> set[int] | None:
    """The units whose figures ``user`` may see: None for all of them, an empty set for none."""
    if sees_all(user):
        return None
    if user and user.is_authenticated and user.has_role("manager"):
        return unit_ids_managed_by(session, user)
    return set()


def may_see(session: Session, user: Any) -> bool:
    return unit_scope(session, user) != set()
