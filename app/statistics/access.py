"""Who may see the annual figures: those who answer for the whole municipality's reporting.
The figures are aggregated and carry no case content or references."""

from __future__ import annotations

from typing import Any

STATISTICS_ROLES = ("sas", "mas", "chair")


def may_see(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.has_role(*STATISTICS_ROLES))
